// Validating an ID token from the token endpoint (OpenID Connect Core 1.0
// §3.1.3.7): its signature against the IdP's keys with an allow-listed
// algorithm, then its claims. Stateless apart from the KeySet; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oidc/key_set.h"
#include "passerelle/result.h"

namespace passerelle::oidc {

struct IdTokenExpectations {
  std::vector<std::string> issuers;  // iss must be one of these, exactly
  std::string client_id;             // in aud; azp when present
  std::string nonce;                 // "" skips the check (refresh, §12.2)
  int64_t now = 0;
  int64_t clock_skew = 0;
  std::optional<int64_t> max_age;  // when asked: auth_time required, recent enough
};

// Errors, unprefixed ("the ID token's iss ..."): a nonce that differs or is
// missing (a code injected from another login) -> kInvalidArgument; any
// other claim that fails -> kUnavailable (the IdP issued a token we cannot
// accept). Never quotes a claim's value.
Status check_id_token_claims(const nlohmann::json& claims, const IdTokenExpectations& expected);

// Parses `token`, verifies its signature with a key from `jwks_uri` for one
// of `algorithms`, and checks its claims. Returns the claims. Errors as
// check_id_token_claims, and kUnavailable for a malformed token, an
// algorithm not allowed, no usable key, or a signature that does not verify.
Result<nlohmann::json> verify_id_token(const std::string& token, const std::string& jwks_uri, KeySet& keys,
                                       const std::vector<std::string>& algorithms,
                                       const IdTokenExpectations& expected);

}  // namespace passerelle::oidc
