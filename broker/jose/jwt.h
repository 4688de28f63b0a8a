// JWTs (RFC 7519) in JWS compact serialization (RFC 7515 §7.1): signing with
// the broker's keys, and verification against a JWKS with an allow-list of
// algorithms. Time claims (exp, nbf, iat) are the caller's to check.
// Free functions over immutable keys; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "jose/jws_alg.h"
#include "jose/signing_key.h"
#include "jose/verification_key.h"
#include "passerelle/result.h"

namespace passerelle {

// Compact JWS of `claims` (a JSON object) with the protected header
// {"alg", "kid", "typ": typ}; an empty typ leaves "typ" out (RFC 9068 §2.1
// uses "at+jwt" for access tokens). Fails (kInvalidArgument) when claims is
// not an object or holds invalid UTF-8; (kInternal) on an OpenSSL failure.
Result<std::string> sign_jwt(const nlohmann::json& claims, const SigningKey& key,
                             std::string_view typ = "JWT");
// The same over a payload already serialised (a JSON object, e.g. from a
// JsonObjectWriter), which is signed as it is.
Result<std::string> sign_jwt_payload(std::string_view payload, const SigningKey& key,
                                     std::string_view typ = "JWT");

struct VerifiedJwt {
  nlohmann::json header;
  nlohmann::json claims;
};

// Verifies a compact JWS against a JWKS ({"keys": [...]}) and an allow-list
// of algorithms. The key is the one whose kid is the header's; a header
// without kid takes the only key that fits the algorithm. Refuses with:
//  - kInvalidArgument: not exactly 3 parts, bad base64url, header or payload
//    not a JSON object, a non-string alg or kid, a JWKS without "keys";
//  - kPermissionDenied: alg not allowed ("none" and HMAC never are), a "crit"
//    header, no key for the kid, a key of another type than alg (algorithm
//    confusion), no single fitting key when kid is absent, a bad signature.
// Messages are short and never contain the token.
Result<VerifiedJwt> verify_jwt(std::string_view token, const nlohmann::json& jwks,
                               std::span<const JwsAlg> allowed_algs);

// The same over keys already parsed (e.g. a cached keys_from_jwks result).
Result<VerifiedJwt> verify_jwt_with_keys(std::string_view token, std::span<const VerificationKey> keys,
                                         std::span<const JwsAlg> allowed_algs);

}  // namespace passerelle
