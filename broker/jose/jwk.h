// JSON Web Key helpers shared by signing and verification keys: the key
// identifier rule (RFC 7638 thumbprints). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "passerelle/result.h"

namespace passerelle {

// RFC 7638 §3: base64url(SHA-256) of the JWK's required public members
// (RSA: e, kty, n; EC: crv, kty, x, y; OKP: crv, kty, x per RFC 8037 §2),
// in lexicographic order with no whitespace. Other members are ignored.
// Fails (kInvalidArgument) on an unknown kty or a missing/non-string member.
Result<std::string> jwk_thumbprint(const nlohmann::json& jwk);

}  // namespace passerelle
