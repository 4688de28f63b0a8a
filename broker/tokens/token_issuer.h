// Mints the broker's JWTs: ID tokens (OIDC Core §2) and access tokens in the
// JWT profile of RFC 9068, signed with the key ring's active key.
// Thread-safe (KeyRing is; the rest is immutable).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_writer.h"
#include "tokens/key_ring.h"
#include "users/user.h"

namespace passerelle {

// Whom and what a token speaks for.
struct TokenGrant {
  std::string client_id;
  std::string scope;
  std::string user_id;  // empty for client_credentials: the client is the subject
  std::string sid;
  std::string nonce;
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::string acr;
};

struct IssuedAccessToken {
  std::string token;
  std::string jti;
  int64_t expires_at = 0;
};

// OIDC Core §5.4: the claims a scope releases about a user, added to `out`.
void add_user_claims(JsonObjectWriter& out, const User& user, const std::vector<std::string>& scopes);

class TokenIssuer {
 public:
  static constexpr int64_t kIdTokenLifetime = 3600;
  static constexpr int64_t kAccessTokenLifetime = 3600;

  TokenIssuer(const KeyRing& keys, const Clock& clock, std::string issuer)
      : keys_(keys), clock_(clock), issuer_(std::move(issuer)) {}

  const std::string& issuer() const { return issuer_; }
  // The audience of access tokens meant for the userinfo endpoint.
  std::string userinfo_audience() const { return issuer_ + "/userinfo"; }

  // A fresh jti and expiry, chosen before the token is signed so a grant can
  // record them in the same transaction that consumes a code.
  IssuedAccessToken plan_access_token() const;

  Result<IssuedAccessToken> access_token(const TokenGrant& grant, const std::vector<std::string>& audience,
                                         IssuedAccessToken plan) const;
  Result<std::string> id_token(const TokenGrant& grant, const User& user) const;

 private:
  const KeyRing& keys_;
  const Clock& clock_;
  std::string issuer_;
};

}  // namespace passerelle
