// Logins through an upstream IdP at the broker's HTTP level: the fake
// Facebook on 127.0.0.1 behind the real facebook plugin, a scripted browser
// at Facebook, and the broker's login page, /login/upstream and
// /login/callback.
#include <doctest/doctest.h>

#include "broker/connectors/facebook_user_agent.h"
#include "broker/management/management_support.h"
#include "broker/support/running_broker.h"
#include "fake_facebook.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

using fixtures::FakeFacebook;
using testing::FacebookUserAgent;
using testing::ManagedBroker;

// Secrets here are test fixtures.
constexpr const char* kAppId = "1001";
constexpr const char* kAppSecret = "fb-app-secret-fixture";

Config config_with_facebook(const FakeFacebook& fb) {
  Config config = testing::test_config();
  ConnectionConfig c;
  c.name = "facebook";
  c.strategy = "facebook";
  c.options = {{"client_id", kAppId},
               {"client_secret", kAppSecret},
               {"authorization_endpoint", fb.dialog_url()},
               {"token_endpoint", fb.token_url()},
               {"userinfo_endpoint", fb.me_url()},
               {"logout_endpoint", fb.logout_url()}};
  c.enabled_clients = {"web"};
  config.connections.push_back(c);
  return config;
}

struct FacebookBed {
  FakeFacebook facebook{{{kAppId, kAppSecret, {"http://127.0.0.1:9/login/callback"}}},
                        {{"10203", "ada@example.test", "ada-password", "Ada", "Lovelace"}}};
  int fb_port = facebook.start();
  ManagedBroker rb{config_with_facebook(facebook)};
  FacebookUserAgent at_facebook{facebook};
  std::string cookie;  // the browser's broker session

  // /authorize for `client` up to the login page; returns its HTML.
  std::string login_page(const std::string& extra = "") {
    auto a = rb.client.Get(testing::authorize_path(extra).c_str(), rb.with_cookie(cookie));
    REQUIRE(a);
    REQUIRE(a->status == 302);
    if (std::string set = testing::session_cookie_set(a); !set.empty()) cookie = set;
    std::string location = a->get_header_value("Location");
    REQUIRE(location.find("/login?tx=") != std::string::npos);
    auto page = rb.client.Get(location.substr(location.find("/login")).c_str(), rb.with_cookie(cookie));
    REQUIRE(page);
    REQUIRE(page->status == 200);
    return page->body;
  }

  // Presses "Continue with Facebook"; returns where the broker sends the browser.
  std::string press_facebook(const std::string& page) {
    auto r = rb.client.Post("/login/upstream", rb.with_cookie(cookie),
                            httplib::Params{{"tx", testing::hidden_field(page, "tx")},
                                            {"csrf_token", testing::hidden_field(page, "csrf_token")},
                                            {"connection", "facebook"}});
    REQUIRE(r);
    REQUIRE(r->status == 302);
    return r->get_header_value("Location");
  }

  // Ada logs in at Facebook (password and consent unless Facebook knows her);
  // returns the callback's query string.
  std::string at_facebook_log_in(const std::string& dialog_url) {
    std::string page = at_facebook.open(dialog_url);
    if (!page.empty()) {
      REQUIRE(page.find("fb-login") != std::string::npos);
      std::string consent = at_facebook.log_in(page, "ada@example.test", "ada-password");
      if (!consent.empty()) at_facebook.answer_consent(consent, "accept");
    }
    return query_of(at_facebook.returned());
  }

  static std::string query_of(const testing::ReturnTrip& back) {
    REQUIRE(back.callback == "http://127.0.0.1:9/login/callback");
    httplib::Params params(back.params.begin(), back.params.end());
    return httplib::detail::params_to_query_str(params);
  }

  httplib::Result callback(const std::string& query, const std::string& with_cookie) {
    return rb.client.Get(("/login/callback?" + query).c_str(), rb.with_cookie(with_cookie));
  }

  // The whole login from /authorize; returns where the app is sent.
  std::string log_in_with_facebook(const std::string& extra = "") {
    std::string query = at_facebook_log_in(press_facebook(login_page(extra)));
    auto r = callback(query, cookie);
    REQUIRE(r);
    REQUIRE(r->status == 302);
    if (std::string set = testing::session_cookie_set(r); !set.empty()) cookie = set;
    return r->get_header_value("Location");
  }

  std::optional<User> user(const std::string& id) {
    auto found = rb.broker->users().find_by_id(id);
    REQUIRE(found.has_value());
    return *found;
  }
};

bool is_code_for_app(const std::string& location) {
  return location.rfind("https://app.test/cb?", 0) == 0 && !testing::query_value(location, "code").empty();
}

TEST_CASE("upstream login: the login page offers each connection enabled for the client") {
  FacebookBed bed;
  std::string page = bed.login_page();
  CHECK(page.find("data-connection=\"facebook\"") != std::string::npos);
  CHECK(page.find("Continue with Facebook") != std::string::npos);
  CHECK(page.find("id=\"login-form\"") != std::string::npos);
  // The spa client is not among the connection's enabled_clients.
  auto a = bed.rb.client.Get(
      "/authorize?client_id=spa&redirect_uri=https%3A%2F%2Fspa.test%2Fcb&response_type=code&scope=openid"
      "&state=s&nonce=n&code_challenge=" + std::string(testing::kChallenge) + "&code_challenge_method=S256");
  REQUIRE(a);
  std::string cookie = testing::session_cookie_set(a);
  std::string location = a->get_header_value("Location");
  auto spa_page = bed.rb.client.Get(location.substr(location.find("/login")).c_str(), bed.rb.with_cookie(cookie));
  REQUIRE(spa_page);
  CHECK(spa_page->body.find("data-connection") == std::string::npos);
}

TEST_CASE("upstream login: Continue with Facebook creates facebook|<id>, links an upstream session, and SSO follows") {
  FacebookBed bed;
  std::string dialog = bed.press_facebook(bed.login_page());
  CHECK(dialog.rfind(bed.facebook.dialog_url() + "?", 0) == 0);
  std::string state = testing::query_value(dialog, "state");
  CHECK(state.size() >= 43);  // 256 random bits
  CHECK(testing::query_value(dialog, "auth_type").empty());

  std::string query = bed.at_facebook_log_in(dialog);
  auto r = bed.callback(query, bed.cookie);
  REQUIRE(r);
  REQUIRE(r->status == 302);
  std::string location = r->get_header_value("Location");
  CHECK(is_code_for_app(location));
  CHECK(testing::query_value(location, "iss") == "http://127.0.0.1:9");
  std::string old_cookie = bed.cookie;
  bed.cookie = testing::session_cookie_set(r);
  CHECK(bed.cookie != old_cookie);  // S3: a new session id at login

  auto user = bed.user("facebook|10203");
  REQUIRE(user.has_value());
  CHECK(user->email == "ada@example.test");
  CHECK_FALSE(user->email_verified);  // Facebook does not say
  CHECK(user->name == "Ada Lovelace");
  REQUIRE(user->identities.size() == 1);
  CHECK(user->identities[0].connection == "facebook");
  CHECK(user->identities[0].provider == "facebook");
  CHECK(user->identities[0].user_id == "10203");

  auto session = bed.rb.broker->sessions().find(bed.cookie);
  REQUIRE(session.has_value());
  REQUIRE(session->has_value());
  CHECK((*session)->connection == "facebook");
  auto upstream = bed.rb.broker->upstream_sessions().find((*session)->upstream_session_id);
  REQUIRE(upstream.has_value());
  REQUIRE(upstream->has_value());
  CHECK((*upstream)->connection == "facebook");
  CHECK((*upstream)->upstream_user_id == "10203");
  CHECK((*upstream)->user_id == "facebook|10203");
  CHECK((*upstream)->token_expires_at > testing::kStartTime);

  // Single sign-on: the next authorization needs no prompt at all.
  auto again = bed.rb.client.Get(testing::authorize_path().c_str(), bed.rb.with_cookie(bed.cookie));
  REQUIRE(again);
  CHECK(is_code_for_app(again->get_header_value("Location")));

  // Logged out of the broker, Facebook's own session logs Ada back in
  // without a password, into the same user.
  auto out = bed.rb.client.Get("/v2/logout", bed.rb.with_cookie(bed.cookie));
  REQUIRE(out);
  bed.cookie.clear();
  CHECK(is_code_for_app(bed.log_in_with_facebook()));
  CHECK(bed.facebook.password_logins() == 1);
  CHECK(bed.user("facebook|10203")->identities.size() == 1);
}

TEST_CASE("upstream login: a replayed, forged or foreign callback resumes nothing") {
  FacebookBed bed;
  std::string query = bed.at_facebook_log_in(bed.press_facebook(bed.login_page()));

  SUBCASE("another browser") {
    auto r = bed.callback(query, "");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("data-error=\"invalid_request\"") != std::string::npos);
    CHECK_FALSE(bed.user("facebook|10203").has_value());
  }
  SUBCASE("replayed") {
    auto first = bed.callback(query, bed.cookie);
    REQUIRE(first);
    CHECK(first->status == 302);
    auto second = bed.callback(query, bed.cookie);
    REQUIRE(second);
    CHECK(second->status == 400);
    CHECK(second->body.find("data-error=\"invalid_request\"") != std::string::npos);
  }
  SUBCASE("unknown state") {
    auto r = bed.callback("code=abc&state=forged", bed.cookie);
    REQUIRE(r);
    CHECK(r->status == 400);
    auto none = bed.callback("code=abc", bed.cookie);
    REQUIRE(none);
    CHECK(none->status == 400);
  }
  SUBCASE("repeated parameter") {
    auto r = bed.callback(query + "&code=second", bed.cookie);
    REQUIRE(r);
    CHECK(r->status == 400);
  }
}

TEST_CASE("upstream login: the login form's CSRF token and the connection are checked") {
  FacebookBed bed;
  std::string page = bed.login_page();
  auto forged = bed.rb.client.Post("/login/upstream", bed.rb.with_cookie(bed.cookie),
                                   httplib::Params{{"tx", testing::hidden_field(page, "tx")},
                                                   {"csrf_token", "wrong"},
                                                   {"connection", "facebook"}});
  REQUIRE(forged);
  CHECK(forged->status == 403);
  auto unknown = bed.rb.client.Post("/login/upstream", bed.rb.with_cookie(bed.cookie),
                                    httplib::Params{{"tx", testing::hidden_field(page, "tx")},
                                                    {"csrf_token", testing::hidden_field(page, "csrf_token")},
                                                    {"connection", "github"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 400);
}

TEST_CASE("upstream login: cancelling at Facebook sends access_denied to the application") {
  FacebookBed bed;
  std::string page = bed.at_facebook.open(bed.press_facebook(bed.login_page()));
  std::string consent = bed.at_facebook.log_in(page, "ada@example.test", "ada-password");
  bed.at_facebook.answer_consent(consent, "cancel");
  auto r = bed.callback(FacebookBed::query_of(bed.at_facebook.returned()), bed.cookie);
  REQUIRE(r);
  REQUIRE(r->status == 302);
  std::string location = r->get_header_value("Location");
  CHECK(location.rfind("https://app.test/cb?", 0) == 0);
  CHECK(testing::query_value(location, "error") == "access_denied");
  CHECK(testing::query_value(location, "state") == "st");
  CHECK_FALSE(bed.user("facebook|10203").has_value());
}

TEST_CASE("upstream login: a failing IdP gives a clear error page and creates no user") {
  FacebookBed bed;
  std::string query = bed.at_facebook_log_in(bed.press_facebook(bed.login_page()));
  bed.facebook.fail_graph_with(500);
  auto r = bed.callback(query, bed.cookie);
  REQUIRE(r);
  CHECK(r->status == 502);
  CHECK(r->body.find("data-error=\"temporarily_unavailable\"") != std::string::npos);
  CHECK(r->body.find(kAppSecret) == std::string::npos);
  CHECK_FALSE(bed.user("facebook|10203").has_value());
  auto session = bed.rb.broker->sessions().find(bed.cookie);
  REQUIRE(session.has_value());
  CHECK_FALSE((session->has_value() && (*session)->authenticated));
}

TEST_CASE("upstream login: prompt=login goes back to Facebook asking it to reauthenticate") {
  FacebookBed bed;
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));
  auto a = bed.rb.client.Get(testing::authorize_path("&prompt=login").c_str(), bed.rb.with_cookie(bed.cookie));
  REQUIRE(a);
  REQUIRE(a->status == 302);
  std::string dialog = a->get_header_value("Location");
  CHECK(dialog.rfind(bed.facebook.dialog_url() + "?", 0) == 0);
  CHECK(testing::query_value(dialog, "auth_type") == "reauthenticate");
  // Facebook asks for the password again, and the login completes.
  std::string page = bed.at_facebook.open(dialog);
  REQUIRE(page.find("fb-login") != std::string::npos);
  bed.at_facebook.log_in(page, "ada@example.test", "ada-password");
  auto r = bed.callback(FacebookBed::query_of(bed.at_facebook.returned()), bed.cookie);
  REQUIRE(r);
  CHECK(is_code_for_app(r->get_header_value("Location")));
  CHECK(bed.facebook.password_logins() == 2);
}

TEST_CASE("upstream login: connection=facebook on /authorize skips the login page") {
  FacebookBed bed;
  auto a = bed.rb.client.Get(testing::authorize_path("&connection=facebook").c_str());
  REQUIRE(a);
  REQUIRE(a->status == 302);
  bed.cookie = testing::session_cookie_set(a);
  std::string dialog = a->get_header_value("Location");
  CHECK(dialog.rfind(bed.facebook.dialog_url() + "?", 0) == 0);
  auto r = bed.callback(bed.at_facebook_log_in(dialog), bed.cookie);
  REQUIRE(r);
  CHECK(is_code_for_app(r->get_header_value("Location")));

  auto unknown = bed.rb.client.Get(testing::authorize_path("&connection=github").c_str());
  REQUIRE(unknown);
  CHECK(testing::query_value(unknown->get_header_value("Location"), "error") == "invalid_request");
  auto database =
      bed.rb.client.Get(testing::authorize_path("&connection=Username-Password-Authentication").c_str());
  REQUIRE(database);
  CHECK(database->get_header_value("Location").find("/login?tx=") != std::string::npos);
}

TEST_CASE("upstream login: the Management API shows the user's identity") {
  FacebookBed bed;
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));
  auto got = bed.rb.call("GET", "/api/v2/users/facebook%7C10203");
  REQUIRE(got.status == 200);
  CHECK(got.body["user_id"] == "facebook|10203");
  CHECK(got.body["email"] == "ada@example.test");
  REQUIRE(got.body["identities"].size() == 1);
  CHECK(got.body["identities"][0]["connection"] == "facebook");
  CHECK(got.body["identities"][0]["provider"] == "facebook");
  CHECK(got.body["identities"][0]["user_id"] == "10203");
  CHECK(got.body["identities"][0]["isSocial"] == true);
  auto sessions = bed.rb.call("GET", "/api/v2/users/facebook%7C10203/sessions");
  REQUIRE(sessions.status == 200);
  CHECK(sessions.body["sessions"].size() == 1);
}

TEST_CASE("upstream login: a blocked user is refused with access_denied") {
  FacebookBed bed;
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));
  UserChanges block;
  block.blocked = true;
  REQUIRE(bed.rb.broker->users().update("facebook|10203", block).has_value());
  bed.cookie.clear();
  std::string location = bed.log_in_with_facebook();
  CHECK(testing::query_value(location, "error") == "access_denied");
}

TEST_CASE("upstream login: /v2/logout?federated ends the Facebook session too") {
  FacebookBed bed;
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));
  auto out = bed.rb.client.Get("/v2/logout?federated&client_id=web&returnTo=https%3A%2F%2Fapp.test%2F",
                               bed.rb.with_cookie(bed.cookie));
  REQUIRE(out);
  REQUIRE(out->status == 302);
  std::string to_facebook = out->get_header_value("Location");
  CHECK(to_facebook.rfind(bed.facebook.logout_url() + "?", 0) == 0);
  CHECK(testing::query_value(to_facebook, "next") == "https://app.test/");
  CHECK(testing::session_cookie_set(out).empty());  // the broker's cookie is cleared
  auto session = bed.rb.broker->sessions().find(bed.cookie);
  REQUIRE(session.has_value());
  CHECK_FALSE(session->has_value());

  // Facebook ends its session and sends the browser back to the app.
  CHECK(bed.at_facebook.open(to_facebook).empty());
  CHECK(bed.at_facebook.returned().callback == "https://app.test/");
  CHECK(bed.facebook.logouts() == 1);

  // The next "Continue with Facebook" asks for the password again.
  bed.cookie.clear();
  std::string page = bed.at_facebook.open(bed.press_facebook(bed.login_page()));
  CHECK(page.find("fb-login") != std::string::npos);
}

TEST_CASE("upstream login: /v2/logout?federated without a return URL comes back to the broker") {
  FacebookBed bed;
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));
  auto out = bed.rb.client.Get("/v2/logout?federated", bed.rb.with_cookie(bed.cookie));
  REQUIRE(out);
  REQUIRE(out->status == 302);
  CHECK(testing::query_value(out->get_header_value("Location"), "next") == "http://127.0.0.1:9/v2/logout");
}

TEST_CASE("upstream login: the audit trail records a failed and a successful login at Facebook") {
  FacebookBed bed;
  std::string query = bed.at_facebook_log_in(bed.press_facebook(bed.login_page()));
  bed.facebook.fail_graph_with(500);
  REQUIRE(bed.callback(query, bed.cookie)->status == 502);
  bed.facebook.fail_graph_with(0);
  REQUIRE(is_code_for_app(bed.log_in_with_facebook()));

  auto events = bed.rb.call("GET", "/api/v2/logs?q=connection%3Afacebook&sort=date%3A1");
  REQUIRE(events.status == 200);
  REQUIRE(events.body.size() == 2);
  CHECK(events.body[0]["type"] == "fc");
  CHECK(events.body[0]["client_id"] == "web");
  CHECK(events.body[0]["details"]["error"].is_string());
  CHECK(events.body[1]["type"] == "s");
  CHECK(events.body[1]["user_id"] == "facebook|10203");
  CHECK(events.body[1]["user_name"] == "ada@example.test");
  CHECK(events.body.dump().find("ada-password") == std::string::npos);
  CHECK(events.body.dump().find(kAppSecret) == std::string::npos);
}

}  // namespace
}  // namespace passerelle

namespace passerelle {
namespace {

// The value of `series` in the broker's scrape text, or -1 when absent.
double scraped(Broker& b, const std::string& series) {
  std::string text = b.metrics().render();
  size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  at += series.size() + 2;
  return std::stod(text.substr(at, text.find('\n', at) - at));
}

TEST_CASE("upstream login: metrics count the login and each call to Facebook under the connection") {
  FacebookBed bed;
  CHECK(is_code_for_app(bed.log_in_with_facebook()));
  Broker& b = *bed.rb.broker;
  CHECK(b.metrics().logins().value({"facebook", "success"}) == 1);
  // The code exchange and the profile read, at least.
  CHECK(scraped(b, "passerelle_upstream_request_duration_seconds_count{connection=\"facebook\"}") >= 2);
  CHECK(scraped(b, "passerelle_upstream_request_errors_total{connection=\"facebook\",kind=\"unavailable\"}") == -1);
}

}  // namespace
}  // namespace passerelle
