// JSON Web Signatures in compact form (RFC 7515 §7.1) and the public JSON
// Web Keys that verify them (RFC 7517), for connectors that check an IdP's
// signed tokens (OIDC ID tokens). Plugins do not link the broker's JOSE, so
// this is a small, separate verifier over OpenSSL 3: RS256, PS256 and ES256
// only, never "none", never a MAC. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "passerelle/result.h"

namespace passerelle::connector_util {

// The algorithms verify_jws knows (RFC 7518 §3.1).
const std::vector<std::string>& supported_jws_algorithms();

struct Jws {
  nlohmann::json header;   // the protected header, an object
  nlohmann::json payload;  // the payload parsed as a JSON object
  std::string alg;         // header.alg
  std::string kid;         // header.kid, "" when absent
  std::string signing_input;  // "<header>.<payload>" as received
  std::string signature;      // the decoded signature bytes
};

// Splits and decodes a compact JWS whose payload is a JSON object.
// kInvalidArgument when it is not three base64url parts, a part is not JSON,
// the header has no alg, or it carries "crit" (no extension is understood,
// so §4.1.11 says refuse). The message never quotes the token.
Result<Jws> parse_jws(std::string_view compact);

// Whether `jwk` (a public key) may verify a signature made with `alg`: kty
// RSA for RS256/PS256, EC on P-256 for ES256; "use" absent or "sig"; "alg"
// absent or equal to `alg`.
bool jwk_fits(const nlohmann::json& jwk, const std::string& alg);

// Verifies jws.signature over jws.signing_input with `jwk`, for jws.alg,
// which must be one of `allowed` and supported. kInvalidArgument for an
// algorithm not allowed or a key that does not fit it (jwk_fits) or cannot
// be read (RSA under 2048 bits, an EC point off the curve);
// kPermissionDenied for a signature that does not verify.
Status verify_jws(const Jws& jws, const nlohmann::json& jwk, const std::vector<std::string>& allowed);

}  // namespace passerelle::connector_util
