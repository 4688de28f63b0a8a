// The claims of the broker's JWTs, read back through verify_jwt: RFC 9068
// access tokens and OIDC ID tokens, with the claims each grant carries.
#include "tokens/token_issuer.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "jose/jwt.h"

namespace passerelle {
namespace {

struct IssuerFixture : testing::BrokerFixture {
  const TokenIssuer& issuer = broker->tokens();

  VerifiedJwt verified(const std::string& token) {
    auto algs = broker->keys().algorithms();
    auto jwt = verify_jwt(token, broker->keys().jwks(), algs);
    REQUIRE_MESSAGE(jwt.has_value(), jwt.error().message);
    return *std::move(jwt);
  }
};

TokenGrant user_grant() {
  TokenGrant grant;
  grant.client_id = "web";
  grant.scope = "openid email profile phone offline_access";
  grant.user_id = "user_1";
  grant.sid = "sid-1";
  grant.nonce = "n-0S6_WzA2Mj";
  grant.auth_time = testing::kStartTime - 30;
  grant.amr = {"pwd", "otp"};
  grant.acr = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  return grant;
}

User test_user(std::string name) {
  User user;
  user.id = "user_1";
  user.email = "alice@example.test";
  user.email_verified = true;
  user.name = std::move(name);
  user.phone_number = "+33 1 23 45 67 89";
  return user;
}

TEST_CASE_FIXTURE(IssuerFixture, "token issuer: an access token carries the claims of RFC 9068") {
  auto plan = issuer.plan_access_token();
  auto access = issuer.access_token(user_grant(), {issuer.userinfo_audience()}, plan);
  REQUIRE(access.has_value());
  CHECK(access->jti == plan.jti);
  auto jwt = verified(access->token);
  CHECK(jwt.header["typ"] == "at+jwt");
  CHECK(jwt.header["kid"] == broker->keys().active().kid());
  CHECK(jwt.claims == nlohmann::json{{"iss", "http://127.0.0.1:9"},
                                     {"sub", "user_1"},
                                     {"aud", "http://127.0.0.1:9/userinfo"},
                                     {"client_id", "web"},
                                     {"iat", testing::kStartTime},
                                     {"exp", testing::kStartTime + TokenIssuer::kAccessTokenLifetime},
                                     {"jti", plan.jti},
                                     {"scope", "openid email profile phone offline_access"},
                                     {"auth_time", testing::kStartTime - 30},
                                     {"amr", {"pwd", "otp"}},
                                     {"acr", "http://schemas.openid.net/pape/policies/2007/06/multi-factor"},
                                     {"sid", "sid-1"}});
}

TEST_CASE_FIXTURE(IssuerFixture, "token issuer: a machine token names the client, and several audiences a list") {
  TokenGrant grant;
  grant.client_id = "m2m";
  auto access = issuer.access_token(grant, {"https://a.test/", "https://b.test/"}, issuer.plan_access_token());
  REQUIRE(access.has_value());
  auto claims = verified(access->token).claims;
  CHECK(claims["sub"] == "m2m");
  CHECK(claims["aud"] == nlohmann::json::array({"https://a.test/", "https://b.test/"}));
  CHECK(claims["scope"] == "");
  for (const char* absent : {"auth_time", "amr", "acr", "sid"}) CHECK_FALSE(claims.contains(absent));
}

TEST_CASE_FIXTURE(IssuerFixture, "token issuer: an ID token carries what the scopes release, the nonce and the login") {
  auto token = issuer.id_token(user_grant(), test_user("Alice \"Al\" Dupr\xC3\xA9"));
  REQUIRE(token.has_value());
  auto jwt = verified(*token);
  CHECK(jwt.header["typ"] == "JWT");
  CHECK(jwt.claims == nlohmann::json{{"sub", "user_1"},
                                     {"email", "alice@example.test"},
                                     {"email_verified", true},
                                     {"name", "Alice \"Al\" Dupr\xC3\xA9"},
                                     {"phone_number", "+33 1 23 45 67 89"},
                                     {"phone_number_verified", false},
                                     {"iss", "http://127.0.0.1:9"},
                                     {"aud", "web"},
                                     {"azp", "web"},
                                     {"iat", testing::kStartTime},
                                     {"exp", testing::kStartTime + TokenIssuer::kIdTokenLifetime},
                                     {"nonce", "n-0S6_WzA2Mj"},
                                     {"auth_time", testing::kStartTime - 30},
                                     {"amr", {"pwd", "otp"}},
                                     {"acr", "http://schemas.openid.net/pape/policies/2007/06/multi-factor"},
                                     {"sid", "sid-1"}});

  TokenGrant openid_only = user_grant();
  openid_only.scope = "openid";
  openid_only.nonce.clear();
  auto bare = verified(*issuer.id_token(openid_only, test_user("Alice"))).claims;
  for (const char* absent : {"email", "email_verified", "name", "phone_number", "nonce"}) {
    CHECK_FALSE(bare.contains(absent));
  }
}

TEST_CASE_FIXTURE(IssuerFixture, "token issuer: a claim that is not UTF-8 fails the token, nothing is signed") {
  auto token = issuer.id_token(user_grant(), test_user("Alice \xC3"));
  REQUIRE_FALSE(token.has_value());
  CHECK(token.error().is(ErrorCode::kInvalidArgument));
  TokenGrant grant = user_grant();
  grant.acr = "\xFF";
  auto access = issuer.access_token(grant, {issuer.userinfo_audience()}, issuer.plan_access_token());
  REQUIRE_FALSE(access.has_value());
  CHECK(access.error().is(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace passerelle
