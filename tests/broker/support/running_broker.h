// The broker's HTTP server on 127.0.0.1 (any free port) over a
// BrokerFixture, with a client and helpers to walk the login flow.
#pragma once

#include <string>
#include <thread>

#include <httplib.h>

#include "app/http_server.h"
#include "http/cookies.h"
#include "broker/support/broker_fixture.h"

namespace passerelle::testing {

inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct RunningBroker : BrokerFixture {
  explicit RunningBroker(Config config = test_config(), const StoreOpener& open_store = {})
      : BrokerFixture(std::move(config), open_store) {}

  // Members start in this order: bind, serve, then connect.
  HttpServer server{*broker};
  int port = bind_any_port();
  std::thread thread{[this] { server.run(); }};
  httplib::Client client{"127.0.0.1", port};

  ~RunningBroker() {
    server.stop();
    thread.join();
  }

  int bind_any_port() {
    auto bound = server.bind("127.0.0.1", 0);
    REQUIRE(bound.has_value());
    return *bound;
  }

  httplib::Headers with_cookie(const std::string& cookie) const {
    return cookie.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", std::string(kSessionCookie) + "=" + cookie}};
  }
};

// The value of the session cookie a response sets, or "".
inline std::string session_cookie_set(const httplib::Result& r) {
  std::string header = r->get_header_value("Set-Cookie");
  auto value = find_cookie(header.substr(0, header.find(';')), kSessionCookie);
  return value.value_or("");
}

// The text between `before` and the next `end` in `text`, or "".
inline std::string text_between(const std::string& text, const std::string& before, char end) {
  size_t start = text.find(before);
  if (start == std::string::npos) return "";
  start += before.size();
  return text.substr(start, text.find(end, start) - start);
}

inline std::string hidden_field(const std::string& html, const std::string& name) {
  return text_between(html, "name=\"" + name + "\" value=\"", '"');
}

inline std::string query_value(const std::string& url, const std::string& name) {
  std::string query = url.substr(url.find('?') == std::string::npos ? url.size() : url.find('?'));
  std::string value = text_between("&" + query.substr(query.empty() ? 0 : 1), "&" + name + "=", '&');
  return httplib::detail::decode_url(value, true);
}

inline constexpr const char* kDefaultScope = "openid%20email";

inline std::string authorize_path(const std::string& extra = "", const std::string& scope = kDefaultScope) {
  return std::string("/authorize?client_id=web&redirect_uri=https%3A%2F%2Fapp.test%2Fcb&response_type=code") +
         "&scope=" + scope + "&state=st&nonce=no&code_challenge=" + kChallenge + "&code_challenge_method=S256" + extra;
}

// GET /authorize for the web client, the login page, then POST the form
// with these credentials; returns the answer to the POST unchecked.
inline httplib::Result post_login(RunningBroker& rb, const std::string& username, const std::string& password,
                                  const std::string& extra = "") {
  auto a = rb.client.Get(authorize_path(extra).c_str());
  std::string cookie = session_cookie_set(a);
  std::string login_url = a->get_header_value("Location");
  auto page = rb.client.Get(login_url.substr(login_url.find("/login")).c_str(), rb.with_cookie(cookie));
  return rb.client.Post("/login", rb.with_cookie(cookie),
                        httplib::Params{{"tx", hidden_field(page->body, "tx")},
                                        {"csrf_token", hidden_field(page->body, "csrf_token")},
                                        {"username", username},
                                        {"password", password}});
}

struct LoginResult {
  std::string cookie;    // the broker session after login
  std::string location;  // where the browser was sent
};

// GET /authorize, the login page, then POST the form; `cookie` is the
// browser's session cookie going in.
inline LoginResult log_in(RunningBroker& rb, const std::string& password = "alice-password",
                          const std::string& extra = "", std::string cookie = "",
                          const std::string& scope = kDefaultScope) {
  auto a = rb.client.Get(authorize_path(extra, scope).c_str(), rb.with_cookie(cookie));
  REQUIRE(a);
  REQUIRE(a->status == 302);
  if (std::string set = session_cookie_set(a); !set.empty()) cookie = set;
  std::string login_url = a->get_header_value("Location");
  auto page = rb.client.Get(login_url.substr(login_url.find("/login")).c_str(), rb.with_cookie(cookie));
  REQUIRE(page);
  REQUIRE(page->status == 200);
  httplib::Params form{{"tx", hidden_field(page->body, "tx")},
                       {"csrf_token", hidden_field(page->body, "csrf_token")},
                       {"username", "alice@example.test"},
                       {"password", password}};
  auto post = rb.client.Post("/login", rb.with_cookie(cookie), form);
  REQUIRE(post);
  std::string after = session_cookie_set(post);
  return {after.empty() ? cookie : after, post->get_header_value("Location")};
}

// POST /oauth/token: the web client (Basic auth) redeems `code`.
inline httplib::Result redeem_code(RunningBroker& rb, const std::string& code,
                                   const std::string& verifier = kVerifier) {
  httplib::Headers basic = {httplib::make_basic_authentication_header("web", "web-secret-fixture")};
  return rb.client.Post("/oauth/token", basic,
                        httplib::Params{{"grant_type", "authorization_code"},
                                        {"code", code},
                                        {"redirect_uri", "https://app.test/cb"},
                                        {"code_verifier", verifier}});
}

struct Tokens {
  std::string cookie;
  nlohmann::json body;
};

// A password login for the web client, and its code redeemed.
inline Tokens log_in_and_exchange(RunningBroker& rb, const std::string& scope = kDefaultScope) {
  auto login = log_in(rb, "alice-password", "", "", scope);
  auto r = redeem_code(rb, query_value(login.location, "code"));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return {login.cookie, nlohmann::json::parse(r->body)};
}

}  // namespace passerelle::testing
