// The token, userinfo, revocation and logout endpoints over real HTTP.
#include <doctest/doctest.h>

#include "jose/jwt.h"
#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

using testing::Tokens;
using testing::log_in_and_exchange;
using testing::redeem_code;

nlohmann::json verified_claims(testing::RunningBroker& rb, const std::string& token) {
  JwsAlg algs[] = {JwsAlg::kRS256};
  auto jwt = verify_jwt(token, rb.broker->keys().jwks(), algs);
  REQUIRE_MESSAGE(jwt.has_value(), jwt.error().message);
  return jwt->claims;
}

}  // namespace

TEST_CASE("token: a code becomes an ID token and an RFC 9068 access token") {
  testing::RunningBroker rb;
  auto t = log_in_and_exchange(rb);
  CHECK(t.body["token_type"] == "Bearer");
  auto id = verified_claims(rb, t.body["id_token"]);
  CHECK(id["iss"] == rb.broker->config().issuer);
  CHECK(id["aud"] == "web");
  CHECK(id["nonce"] == "no");
  CHECK(id["amr"] == nlohmann::json::array({"pwd"}));
  CHECK(id["auth_time"] == testing::kStartTime);
  CHECK(id["exp"] == testing::kStartTime + 3600);
  CHECK(id["email"] == "alice@example.test");
  CHECK(id["sid"].is_string());
  auto at = verified_claims(rb, t.body["access_token"]);
  CHECK(at["client_id"] == "web");
  CHECK(at["sub"] == id["sub"]);
  CHECK(at["jti"].is_string());

  auto userinfo = rb.client.Get("/userinfo", {{"Authorization", "Bearer " + t.body["access_token"].get<std::string>()}});
  REQUIRE(userinfo);
  CHECK(userinfo->status == 200);
  CHECK(nlohmann::json::parse(userinfo->body)["email"] == "alice@example.test");
}

TEST_CASE("token: a replayed code is refused and revokes the first access token") {
  testing::RunningBroker rb;
  auto login = testing::log_in(rb);
  std::string code = testing::query_value(login.location, "code");
  auto first = redeem_code(rb, code);
  REQUIRE(first->status == 200);
  std::string access = nlohmann::json::parse(first->body)["access_token"];
  auto replay = redeem_code(rb, code);
  CHECK(replay->status == 400);
  CHECK(nlohmann::json::parse(replay->body)["error"] == "invalid_grant");
  auto userinfo = rb.client.Get("/userinfo", {{"Authorization", "Bearer " + access}});
  CHECK(userinfo->status == 401);
  CHECK(userinfo->get_header_value("WWW-Authenticate").find("invalid_token") != std::string::npos);
}

TEST_CASE("token: client authentication failures") {
  testing::RunningBroker rb;
  auto login = testing::log_in(rb);
  std::string code = testing::query_value(login.location, "code");
  httplib::Params form{{"grant_type", "authorization_code"}, {"code", code},
                       {"redirect_uri", "https://app.test/cb"}, {"code_verifier", testing::kVerifier}};
  struct Row { const char* name; httplib::Headers headers; httplib::Params extra; int status; const char* error; };
  const std::vector<Row> rows = {
      {"wrong secret", {httplib::make_basic_authentication_header("web", "wrong")}, {}, 401, "invalid_client"},
      {"unknown client", {httplib::make_basic_authentication_header("ghost", "x")}, {}, 401, "invalid_client"},
      {"secret in body for a basic client", {}, {{"client_id", "web"}, {"client_secret", "web-secret-fixture"}}, 401, "invalid_client"},
      {"no authentication", {}, {}, 401, "invalid_client"},
      {"two methods", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
       {{"client_secret", "web-secret-fixture"}}, 400, "invalid_request"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    httplib::Params body = form;
    body.insert(row.extra.begin(), row.extra.end());
    auto r = rb.client.Post("/oauth/token", row.headers, body);
    REQUIRE(r);
    CHECK(r->status == row.status);
    CHECK(nlohmann::json::parse(r->body)["error"] == row.error);
  }
  CHECK(redeem_code(rb, code)->status == 200);  // none of the failures used the code
}

TEST_CASE("token: bad requests get the RFC 6749 error") {
  testing::RunningBroker rb;
  httplib::Headers basic = {httplib::make_basic_authentication_header("web", "web-secret-fixture")};
  struct Row { const char* name; httplib::Params form; const char* error; };
  const std::vector<Row> rows = {
      {"missing grant_type", {}, "invalid_request"},
      {"unknown grant_type", {{"grant_type", "password"}}, "unsupported_grant_type"},
      {"grant not allowed", {{"grant_type", "client_credentials"}}, "unauthorized_client"},
      {"missing code", {{"grant_type", "authorization_code"}}, "invalid_request"},
      {"unknown code", {{"grant_type", "authorization_code"}, {"code", "nope"}}, "invalid_grant"},
      {"repeated parameter", {{"grant_type", "authorization_code"}, {"grant_type", "authorization_code"}}, "invalid_request"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto r = rb.client.Post("/oauth/token", basic, row.form);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(nlohmann::json::parse(r->body)["error"] == row.error);
  }
  auto not_form = rb.client.Post("/oauth/token", basic, "{}", "application/json");
  CHECK(nlohmann::json::parse(not_form->body)["error"] == "invalid_request");
}

TEST_CASE("token: client_credentials for the Management API audience") {
  testing::RunningBroker rb;
  httplib::Headers basic = {httplib::make_basic_authentication_header("m2m", "m2m-secret-fixture")};
  std::string audience = rb.broker->config().issuer + "/api/v2/";
  auto r = rb.client.Post("/oauth/token", basic,
                          httplib::Params{{"grant_type", "client_credentials"}, {"audience", audience}});
  REQUIRE(r->status == 200);
  auto claims = verified_claims(rb, nlohmann::json::parse(r->body)["access_token"]);
  CHECK(claims["sub"] == "m2m");
  CHECK(claims["aud"] == audience);
  CHECK(claims["scope"] == "read:clients");
  auto too_much = rb.client.Post("/oauth/token", basic,
                                 httplib::Params{{"grant_type", "client_credentials"},
                                                 {"audience", audience},
                                                 {"scope", "update:clients"}});
  CHECK(nlohmann::json::parse(too_much->body)["error"] == "invalid_scope");
}

httplib::Result refresh(testing::RunningBroker& rb, const std::string& token, const std::string& scope = "") {
  httplib::Params form{{"grant_type", "refresh_token"}, {"refresh_token", token}};
  if (!scope.empty()) form.emplace("scope", scope);
  return rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")}, form);
}

std::string oauth_error(const httplib::Result& r) { return nlohmann::json::parse(r->body).value("error", ""); }

TEST_CASE("token: a refresh token only with offline_access") {
  testing::RunningBroker rb;
  CHECK_FALSE(log_in_and_exchange(rb).body.contains("refresh_token"));
  auto t = log_in_and_exchange(rb, "openid%20email%20offline_access");
  REQUIRE(t.body["refresh_token"].is_string());
  CHECK(t.body["refresh_token"].get<std::string>().size() >= 43);  // 256 bits, base64url
}

TEST_CASE("token: refresh_token grant rotates and detects reuse") {
  testing::RunningBroker rb;
  auto t = log_in_and_exchange(rb, "openid%20email%20offline_access");
  std::string first = t.body["refresh_token"];
  // The seeded web client has the new-application default: non-rotating.
  auto same = refresh(rb, first);
  REQUIRE(same->status == 200);
  CHECK(nlohmann::json::parse(same->body)["refresh_token"] == first);

  auto policy = nlohmann::json::parse(R"({"rotation_type": "rotating", "expiration_type": "expiring"})");
  auto client = rb.broker->clients().find("web");
  REQUIRE(client->has_value());
  Client web = **client;
  web.settings.refresh_token = *parse_refresh_token_policy(policy, web.settings.refresh_token, kRefreshTokenMaxLifetime);
  REQUIRE(rb.broker->clients().put(web).has_value());

  auto rotating = log_in_and_exchange(rb, "openid%20email%20offline_access");
  std::string r0 = rotating.body["refresh_token"];
  auto step = refresh(rb, r0, "openid");
  REQUIRE(step->status == 200);
  auto body = nlohmann::json::parse(step->body);
  CHECK(body["scope"] == "openid");
  CHECK(body["id_token"].is_string());
  std::string r1 = body["refresh_token"];
  CHECK(r1 != r0);
  CHECK(oauth_error(refresh(rb, r1, "openid email address")) == "invalid_scope");

  auto reuse = refresh(rb, r0);
  CHECK(reuse->status == 400);
  CHECK(oauth_error(reuse) == "invalid_grant");
  CHECK(oauth_error(refresh(rb, r1)) == "invalid_grant");  // the whole family is revoked
  std::string access = body["access_token"];
  CHECK(rb.client.Get("/userinfo", {{"Authorization", "Bearer " + access}})->status == 401);
}

TEST_CASE("token: /oauth/revoke with a refresh token ends its family") {
  testing::RunningBroker rb;
  auto t = log_in_and_exchange(rb, "openid%20email%20offline_access");
  std::string token = t.body["refresh_token"];
  auto revoke = rb.client.Post("/oauth/revoke", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                               httplib::Params{{"token", token}, {"token_type_hint", "refresh_token"}});
  CHECK(revoke->status == 200);
  CHECK(oauth_error(refresh(rb, token)) == "invalid_grant");
  CHECK(oauth_error(refresh(rb, "")) == "invalid_request");
}

TEST_CASE("userinfo: tampered, expired and revoked tokens are refused") {
  testing::RunningBroker rb;
  auto t = log_in_and_exchange(rb);
  std::string access = t.body["access_token"];
  std::string tampered = access;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(rb.client.Get("/userinfo", {{"Authorization", "Bearer " + tampered}})->status == 401);
  std::string id_token = t.body["id_token"];
  CHECK(rb.client.Get("/userinfo", {{"Authorization", "Bearer " + id_token}})->status == 401);

  SUBCASE("revoked through /oauth/revoke") {
    auto revoke = rb.client.Post("/oauth/revoke",
                                 {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                                 httplib::Params{{"token", access}});
    CHECK(revoke->status == 200);
    CHECK(rb.client.Get("/userinfo", {{"Authorization", "Bearer " + access}})->status == 401);
  }
  SUBCASE("expired") {
    rb.clock.advance(TokenIssuer::kAccessTokenLifetime);
    CHECK(rb.client.Get("/userinfo", {{"Authorization", "Bearer " + access}})->status == 401);
  }
}

TEST_CASE("logout: RP-initiated logout ends the session and returns only to registered URLs") {
  testing::RunningBroker rb;
  auto t = log_in_and_exchange(rb);
  std::string hint = t.body["id_token"];
  auto bad = rb.client.Get(("/oidc/logout?id_token_hint=" + hint +
                            "&post_logout_redirect_uri=https%3A%2F%2Fevil.test%2F").c_str(),
                           rb.with_cookie(t.cookie));
  CHECK(bad->status == 400);
  CHECK_FALSE(bad->has_header("Location"));

  auto ok = rb.client.Get(("/oidc/logout?id_token_hint=" + hint +
                           "&post_logout_redirect_uri=https%3A%2F%2Fapp.test%2F&state=bye").c_str(),
                          rb.with_cookie(t.cookie));
  CHECK(ok->status == 302);
  CHECK(ok->get_header_value("Location") == "https://app.test/?state=bye");
  CHECK(ok->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  auto after = rb.client.Get(testing::authorize_path("&prompt=none").c_str(), rb.with_cookie(t.cookie));
  CHECK(testing::query_value(after->get_header_value("Location"), "error") == "login_required");
}

TEST_CASE("logout: /v2/logout checks returnTo against allowed_logout_urls") {
  testing::RunningBroker rb;
  auto login = testing::log_in(rb);
  auto bad = rb.client.Get("/v2/logout?client_id=web&returnTo=https%3A%2F%2Fevil.test%2F", rb.with_cookie(login.cookie));
  CHECK(bad->status == 400);
  auto ok = rb.client.Get("/v2/logout?client_id=web&returnTo=https%3A%2F%2Fapp.test%2F", rb.with_cookie(login.cookie));
  CHECK(ok->status == 302);
  CHECK(ok->get_header_value("Location") == "https://app.test/");
  CHECK_FALSE(rb.broker->sessions().find(login.cookie)->has_value());
}

}  // namespace passerelle
