// The OAuth 2.0 Security Best Current Practice (RFC 9700) as tests: one
// case per applicable section, each proving the broker's behaviour over
// real HTTP on 127.0.0.1 (a real LMDB store behind it). Sections that do
// not apply say why in a comment where they would be.
//
// Not applicable: §2.1.2 / §4.6 (the implicit grant is not offered: see
// §2.1.2 below), §2.2.1 / §4.10 sender-constrained access tokens (no DPoP
// or mTLS yet: access tokens are short-lived JWTs with an audience),
// §4.9 (leakage at the resource server: the broker is not one), §4.11.1
// (clients as open redirectors: a client's concern), §4.13 (TLS-terminating
// proxies: X-Forwarded-* is not honoured, so nothing a proxy adds is
// trusted).
#include <doctest/doctest.h>

#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

using testing::RunningBroker;

std::string oauth_error(const httplib::Result& r) { return nlohmann::json::parse(r->body).value("error", ""); }

httplib::Result authorize(RunningBroker& rb, const std::string& query, const std::string& cookie = "") {
  auto r = rb.client.Get(("/authorize?" + query).c_str(), rb.with_cookie(cookie));
  REQUIRE(r);
  return r;
}

// /authorize with `query`, then the login page it leads to.
struct LoginPage {
  std::string cookie;
  std::string html;
};

LoginPage login_page(RunningBroker& rb, const std::string& query) {
  auto a = authorize(rb, query);
  REQUIRE(a->status == 302);
  LoginPage out{testing::session_cookie_set(a), ""};
  std::string location = a->get_header_value("Location");
  auto page = rb.client.Get(location.substr(location.find("/login")).c_str(), rb.with_cookie(out.cookie));
  REQUIRE(page);
  REQUIRE(page->status == 200);
  out.html = page->body;
  return out;
}

// Alice's password posted on `page`, with `csrf_token` (default: the page's).
httplib::Result submit_login(RunningBroker& rb, const LoginPage& page, std::string csrf_token = "") {
  if (csrf_token.empty()) csrf_token = testing::hidden_field(page.html, "csrf_token");
  auto r = rb.client.Post("/login", rb.with_cookie(page.cookie),
                          httplib::Params{{"tx", testing::hidden_field(page.html, "tx")},
                                          {"csrf_token", csrf_token},
                                          {"username", "alice@example.test"},
                                          {"password", "alice-password"}});
  REQUIRE(r);
  return r;
}

const std::string kWebQuery = std::string("client_id=web&response_type=code&scope=openid&state=st&nonce=no") +
                              "&code_challenge=" + testing::kChallenge + "&code_challenge_method=S256";

TEST_CASE("RFC 9700 §2.1 and §4.1: redirect URIs are matched exactly, a mismatch is never redirected to") {
  RunningBroker rb;
  for (const char* uri : {"https%3A%2F%2Fapp.test%2Fcb%2Fextra", "https%3A%2F%2Fapp.test%2Fcb%3Fx%3D1",
                          "https%3A%2F%2FAPP.test%2Fcb", "https%3A%2F%2Fapp.test%2Fcb%2F", "http%3A%2F%2Fapp.test%2Fcb",
                          "https%3A%2F%2Fapp.test.evil.test%2Fcb"}) {
    CAPTURE(uri);
    auto r = authorize(rb, kWebQuery + "&redirect_uri=" + uri);
    CHECK(r->status == 400);
    CHECK_FALSE(r->has_header("Location"));
    CHECK(r->body.find("data-error=\"invalid_request\"") != std::string::npos);
  }
  CHECK(authorize(rb, kWebQuery + "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb")->status == 302);
}

TEST_CASE("RFC 9700 §2.1.1 and §4.8: public clients must use PKCE with S256, and it cannot be downgraded") {
  RunningBroker rb;
  std::string base = "client_id=spa&response_type=code&scope=openid&state=st&redirect_uri=https%3A%2F%2Fspa.test%2Fcb";
  auto none = authorize(rb, base);
  REQUIRE(none->status == 302);
  CHECK(testing::query_value(none->get_header_value("Location"), "error") == "invalid_request");
  auto plain = authorize(rb, base + "&code_challenge=" + testing::kVerifier + "&code_challenge_method=plain");
  CHECK(testing::query_value(plain->get_header_value("Location"), "error") == "invalid_request");

  // A confidential client may omit PKCE (RECOMMENDED, not required), but a
  // verifier sent for a code issued without a challenge is refused.
  auto without = submit_login(rb, login_page(rb, "client_id=web&response_type=code&scope=openid&state=st&nonce=no"
                                                  "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb"));
  std::string code = testing::query_value(without->get_header_value("Location"), "code");
  REQUIRE_FALSE(code.empty());
  auto downgraded = testing::redeem_code(rb, code);
  CHECK(downgraded->status == 400);
  CHECK(oauth_error(downgraded) == "invalid_grant");

  // §4.5 code injection: a code redeemed with another verifier is refused.
  auto login = testing::log_in(rb);
  auto stolen = testing::redeem_code(rb, testing::query_value(login.location, "code"),
                                     "a-verifier-the-attacker-made-up-of-43-chars-xx");
  CHECK(stolen->status == 400);
  CHECK(oauth_error(stolen) == "invalid_grant");
}

TEST_CASE("RFC 9700 §2.1.2: the implicit grant is not offered, so no token travels in a URL (§4.3)") {
  RunningBroker rb;
  for (const char* type : {"token", "id_token%20token", "code%20token"}) {
    CAPTURE(type);
    auto r = authorize(rb, "client_id=web&response_type=" + std::string(type) +
                               "&scope=openid&state=st&nonce=no&redirect_uri=https%3A%2F%2Fapp.test%2Fcb");
    REQUIRE(r->status == 302);
    std::string location = r->get_header_value("Location");
    CHECK(testing::query_value(location, "error") == "unsupported_response_type");
    CHECK(location.find("access_token") == std::string::npos);
  }
  auto discovery = nlohmann::json::parse(rb.client.Get("/.well-known/openid-configuration")->body);
  CHECK(discovery["response_types_supported"] == nlohmann::json::array({"code"}));
}

TEST_CASE("RFC 9700 §2.2.2 and §4.14: refresh tokens rotate, and a reused one revokes its family") {
  RunningBroker rb;
  auto client = rb.broker->clients().find("web");
  REQUIRE(client->has_value());
  Client web = **client;
  auto policy = nlohmann::json::parse(R"({"rotation_type": "rotating", "expiration_type": "expiring", "leeway": 0})");
  web.settings.refresh_token = *parse_refresh_token_policy(policy, web.settings.refresh_token, kRefreshTokenMaxLifetime);
  REQUIRE(rb.broker->clients().put(web).has_value());
  auto t = testing::log_in_and_exchange(rb, "openid%20offline_access");
  auto exchange = [&](const std::string& token) {
    return rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                          httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
  };
  std::string first = t.body["refresh_token"];
  auto next = exchange(first);
  REQUIRE(next->status == 200);
  std::string second = nlohmann::json::parse(next->body)["refresh_token"];
  CHECK(second != first);
  CHECK(oauth_error(exchange(first)) == "invalid_grant");
  CHECK(oauth_error(exchange(second)) == "invalid_grant");
}

TEST_CASE("RFC 9700 §2.4: the resource owner password credentials grant is not offered") {
  RunningBroker rb;
  auto r = rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                          httplib::Params{{"grant_type", "password"},
                                          {"username", "alice@example.test"},
                                          {"password", "alice-password"}});
  CHECK(r->status == 400);
  CHECK(oauth_error(r) == "unsupported_grant_type");
}

TEST_CASE("RFC 9700 §2.5: confidential clients authenticate, and a wrong secret is invalid_client") {
  RunningBroker rb;
  auto login = testing::log_in(rb);
  std::string code = testing::query_value(login.location, "code");
  auto r = rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "not-the-secret")},
                          httplib::Params{{"grant_type", "authorization_code"},
                                          {"code", code},
                                          {"redirect_uri", "https://app.test/cb"},
                                          {"code_verifier", testing::kVerifier}});
  CHECK(r->status == 401);
  CHECK(oauth_error(r) == "invalid_client");
  auto anonymous = rb.client.Post("/oauth/token", httplib::Params{{"grant_type", "authorization_code"},
                                                                  {"client_id", "web"},
                                                                  {"code", code},
                                                                  {"redirect_uri", "https://app.test/cb"},
                                                                  {"code_verifier", testing::kVerifier}});
  CHECK(anonymous->status == 401);
}

TEST_CASE("RFC 9700 §2.3: access tokens are restricted to an audience and scopes") {
  RunningBroker rb;
  auto t = testing::log_in_and_exchange(rb);
  std::string access = t.body["access_token"];
  CHECK(t.body["scope"] == "openid email");
  auto management = rb.client.Get("/api/v2/clients", {{"Authorization", "Bearer " + access}});
  CHECK(management->status == 401);  // a login's token is not a Management API token
}

TEST_CASE("RFC 9700 §4.4: the authorization response names its issuer (mix-up defence)") {
  RunningBroker rb;
  auto login = testing::log_in(rb);
  CHECK(testing::query_value(login.location, "iss") == rb.broker->config().issuer);
  auto error = authorize(rb, "client_id=web&response_type=token&state=st&redirect_uri=https%3A%2F%2Fapp.test%2Fcb");
  CHECK(testing::query_value(error->get_header_value("Location"), "iss") == rb.broker->config().issuer);
  auto discovery = nlohmann::json::parse(rb.client.Get("/.well-known/openid-configuration")->body);
  CHECK(discovery["authorization_response_iss_parameter_supported"] == true);
}

TEST_CASE("RFC 9700 §4.7: CSRF: state comes back unchanged, and the login form needs its token") {
  RunningBroker rb;
  auto login = testing::log_in(rb);
  CHECK(testing::query_value(login.location, "state") == "st");

  auto forged = submit_login(rb, login_page(rb, kWebQuery + "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb"), "forged");
  CHECK(forged->status == 403);
  CHECK(testing::session_cookie_set(forged).empty());
}

TEST_CASE("RFC 9700 §4.2 and §4.16: pages send no Referer and cannot be framed") {
  RunningBroker rb;
  auto a = authorize(rb, kWebQuery + "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb");
  std::string location = a->get_header_value("Location");
  auto page = rb.client.Get(location.substr(location.find("/login")).c_str(),
                            rb.with_cookie(testing::session_cookie_set(a)));
  REQUIRE(page);
  REQUIRE(page->status == 200);
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(page->get_header_value("X-Frame-Options") == "DENY");
  CHECK(page->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
}

TEST_CASE("RFC 9700 §4.11.2: the broker is no open redirector") {
  RunningBroker rb;
  // An unknown client or redirect URI: an error page, never a redirect.
  auto unknown = authorize(rb, "client_id=nobody&response_type=code&redirect_uri=https%3A%2F%2Fevil.test%2F");
  CHECK(unknown->status == 400);
  CHECK_FALSE(unknown->has_header("Location"));
  // Logout returns only to registered URLs.
  auto logout = rb.client.Get("/v2/logout?client_id=web&returnTo=https%3A%2F%2Fevil.test%2F");
  REQUIRE(logout);
  CHECK(logout->get_header_value("Location").find("evil.test") == std::string::npos);
}

TEST_CASE("RFC 9700 §4.12: after a POST the browser is sent on with 302/303, never 307") {
  RunningBroker rb;
  auto login = testing::log_in(rb);
  CHECK(login.location.rfind("https://app.test/cb?", 0) == 0);
  auto post = submit_login(rb, login_page(rb, kWebQuery + "&redirect_uri=https%3A%2F%2Fapp.test%2Fcb"));
  CHECK((post->status == 302 || post->status == 303));
}

TEST_CASE("RFC 9700 §4.15: a client cannot pass itself off as a user") {
  RunningBroker rb;
  auto r = rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("m2m", "m2m-secret-fixture")},
                          httplib::Params{{"grant_type", "client_credentials"},
                                          {"audience", rb.broker->config().issuer + "/api/v2/"}});
  REQUIRE(r->status == 200);
  std::string access = nlohmann::json::parse(r->body)["access_token"];
  // The token names the client as its subject, and userinfo (a user's
  // resource) does not accept it.
  auto userinfo = rb.client.Get("/userinfo", {{"Authorization", "Bearer " + access}});
  CHECK(userinfo->status == 401);
}

TEST_CASE("RFC 9700 §4.18 and §4.19: postMessage and CORS reach only registered origins") {
  RunningBroker rb;
  auto preflight = rb.client.Options("/oauth/token", {{"Origin", "https://evil.test"},
                                                      {"Access-Control-Request-Method", "POST"}});
  REQUIRE(preflight);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin").empty());
  auto allowed = rb.client.Options("/oauth/token", {{"Origin", "https://spa.test"},
                                                    {"Access-Control-Request-Method", "POST"}});
  CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://spa.test");
  // web_message answers only to the redirect URI's origin, and only when it
  // is registered; other.test is a redirect URI of spa without being a web
  // origin of it.
  auto r = authorize(rb, std::string("client_id=spa&response_type=code&scope=openid&state=st&nonce=no") +
                             "&code_challenge=" + testing::kChallenge +
                             "&code_challenge_method=S256&prompt=none&response_mode=web_message" +
                             "&redirect_uri=https%3A%2F%2Fother.test%2Fcb");
  CHECK(r->body.find("postMessage") == std::string::npos);
  CHECK(r->body.find("\"*\"") == std::string::npos);
}

}  // namespace
}  // namespace passerelle
