#include "tokens/token_issuer.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"
#include "jose/jwt.h"

namespace passerelle {
namespace {

bool has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

void add_authentication_claims(JsonObjectWriter& claims, const TokenGrant& grant) {
  if (grant.auth_time) claims.add("auth_time", grant.auth_time);
  if (!grant.amr.empty()) claims.add("amr", grant.amr);
  if (!grant.acr.empty()) claims.add("acr", grant.acr);
  if (!grant.sid.empty()) claims.add("sid", grant.sid);
}

// Signs the claims `claims` holds; a string in them that is not valid UTF-8
// fails as sign_jwt does.
Result<std::string> sign_claims(JsonObjectWriter& claims, const SigningKey& key, std::string_view typ) {
  auto payload = claims.take();
  if (!payload) return fail(Error::invalid_argument("jwt: claims are not valid UTF-8"));
  return sign_jwt_payload(*payload, key, typ);
}

}  // namespace

void add_user_claims(JsonObjectWriter& out, const User& user, const std::vector<std::string>& scopes) {
  out.add("sub", user.id);
  if (has(scopes, "email")) {
    out.add("email", user.email);
    out.add("email_verified", user.email_verified);
  }
  if (has(scopes, "profile")) {
    out.add("name", user.name.empty() ? user.email : user.name);
  }
  if (has(scopes, "phone") && !user.phone_number.empty()) {
    out.add("phone_number", user.phone_number);
    out.add("phone_number_verified", false);
  }
}

IssuedAccessToken TokenIssuer::plan_access_token() const {
  return {"", random_token(), clock_.now() + kAccessTokenLifetime};
}

Result<IssuedAccessToken> TokenIssuer::access_token(const TokenGrant& grant,
                                                    const std::vector<std::string>& audience,
                                                    IssuedAccessToken plan) const {
  int64_t now = clock_.now();
  // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti (+ auth_time, acr, amr, scope).
  JsonObjectWriter claims;
  claims.add("iss", issuer_).add("sub", grant.user_id.empty() ? grant.client_id : grant.user_id);
  if (audience.size() == 1) {
    claims.add("aud", audience[0]);
  } else {
    claims.add("aud", audience);
  }
  claims.add("client_id", grant.client_id)
      .add("iat", now)
      .add("exp", plan.expires_at)
      .add("jti", plan.jti)
      .add("scope", grant.scope);
  add_authentication_claims(claims, grant);
  auto token = sign_claims(claims, keys_.active(), "at+jwt");
  if (!token) return fail(token.error());
  plan.token = std::move(*token);
  return plan;
}

Result<std::string> TokenIssuer::id_token(const TokenGrant& grant, const User& user) const {
  int64_t now = clock_.now();
  JsonObjectWriter claims;
  add_user_claims(claims, user, split_words(grant.scope));
  claims.add("iss", issuer_)
      .add("aud", grant.client_id)
      .add("azp", grant.client_id)
      .add("iat", now)
      .add("exp", now + kIdTokenLifetime);
  if (!grant.nonce.empty()) claims.add("nonce", grant.nonce);
  add_authentication_claims(claims, grant);
  return sign_claims(claims, keys_.active(), "JWT");
}

}  // namespace passerelle
