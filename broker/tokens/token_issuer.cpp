#include "tokens/token_issuer.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"
#include "jose/jwt.h"

namespace passerelle {
namespace {

bool has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void add_authentication_claims(nlohmann::json& claims, const TokenGrant& grant) {
  if (grant.auth_time) claims["auth_time"] = grant.auth_time;
  if (!grant.amr.empty()) claims["amr"] = grant.amr;
  if (!grant.acr.empty()) claims["acr"] = grant.acr;
  if (!grant.sid.empty()) claims["sid"] = grant.sid;
}

}  // namespace

nlohmann::json user_claims(const User& user, const std::vector<std::string>& scopes) {
  nlohmann::json claims = {{"sub", user.id}};
  if (has(scopes, "email")) {
    claims["email"] = user.email;
    claims["email_verified"] = user.email_verified;
  }
  if (has(scopes, "profile")) {
    claims["name"] = user.name.empty() ? user.email : user.name;
  }
  if (has(scopes, "phone") && !user.phone_number.empty()) {
    claims["phone_number"] = user.phone_number;
    claims["phone_number_verified"] = false;
  }
  return claims;
}

IssuedAccessToken TokenIssuer::plan_access_token() const {
  return {"", random_token(), clock_.now() + kAccessTokenLifetime};
}

Result<IssuedAccessToken> TokenIssuer::access_token(const TokenGrant& grant,
                                                    const std::vector<std::string>& audience,
                                                    IssuedAccessToken plan) const {
  int64_t now = clock_.now();
  // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti (+ auth_time, acr, amr, scope).
  nlohmann::json claims = {{"iss", issuer_},
                           {"sub", grant.user_id.empty() ? grant.client_id : grant.user_id},
                           {"aud", audience.size() == 1 ? nlohmann::json(audience[0]) : nlohmann::json(audience)},
                           {"client_id", grant.client_id},
                           {"iat", now},
                           {"exp", plan.expires_at},
                           {"jti", plan.jti},
                           {"scope", grant.scope}};
  add_authentication_claims(claims, grant);
  auto token = sign_jwt(claims, keys_.active(), "at+jwt");
  if (!token) return fail(token.error());
  plan.token = std::move(*token);
  return plan;
}

Result<std::string> TokenIssuer::id_token(const TokenGrant& grant, const User& user) const {
  int64_t now = clock_.now();
  nlohmann::json claims = user_claims(user, split_words(grant.scope));
  claims["iss"] = issuer_;
  claims["aud"] = grant.client_id;
  claims["azp"] = grant.client_id;
  claims["iat"] = now;
  claims["exp"] = now + kIdTokenLifetime;
  if (!grant.nonce.empty()) claims["nonce"] = grant.nonce;
  add_authentication_claims(claims, grant);
  return sign_jwt(claims, keys_.active());
}

}  // namespace passerelle
