// The JWS algorithms Passerelle signs and verifies with (RFC 7518 §3.1,
// RFC 8037 §3.1). Deliberately closed: no "none", no HMAC, so a token can
// never pick a weaker algorithm than the key was made for. Thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace passerelle {

enum class JwsAlg { kRS256, kES256, kEdDSA };

// "RS256" | "ES256" | "EdDSA" (case-sensitive, RFC 7515 §4.1.1); anything
// else, "none" and "HS256" included, is nullopt.
std::optional<JwsAlg> parse_jws_alg(std::string_view name);

// The registered name: "RS256", "ES256" or "EdDSA".
const char* jws_alg_name(JwsAlg alg);

}  // namespace passerelle
