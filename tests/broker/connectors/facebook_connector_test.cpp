// The facebook connector against the fake Facebook on 127.0.0.1: the real
// HTTP client of the host services, a manual clock, and a scripted browser.
#include <doctest/doctest.h>

#include "broker/connectors/facebook_user_agent.h"
#include "connectors/host_services.h"
#include "core/clock.h"
#include "facebook/facebook_connector.h"
#include "fake_facebook.h"

namespace passerelle {
namespace {

using fixtures::FakeFacebook;
using testing::FacebookUserAgent;

// Secrets here are test fixtures.
constexpr const char* kAppId = "1001";
constexpr const char* kAppSecret = "fb-app-secret-fixture";
constexpr const char* kCallback = "http://127.0.0.1:9/login/callback";
constexpr int64_t kNow = 1'800'000'000;

struct FacebookFixture {
  FakeFacebook facebook{{{kAppId, kAppSecret, {kCallback}}},
                        {{"10203", "ada@example.test", "ada-password", "Ada", "Lovelace"},
                         {"40506", "", "noemail-password", "Grace", "Hopper"}}};
  int port = facebook.start();
  ManualClock clock{kNow};
  HostBundle host{clock, HttpClientOptions{1000, 500}};
  std::unique_ptr<Connector> connector = make(kAppSecret);
  FacebookUserAgent browser{facebook};

  std::unique_ptr<Connector> make(const std::string& secret) {
    REQUIRE(port > 0);
    ConnectionSettings settings{"facebook", "facebook",
                                {{"client_id", kAppId},
                                 {"client_secret", secret},
                                 {"authorization_endpoint", facebook.dialog_url()},
                                 {"token_endpoint", facebook.token_url()},
                                 {"userinfo_endpoint", facebook.me_url()}}};
    auto c = facebook::create_connector(settings, host.services());
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return std::move(*c);
  }

  LoginStart begin(bool reauthenticate = false) {
    LoginRequest request{kCallback, "state-123", reauthenticate, std::nullopt, ""};
    auto start = connector->begin_login(request);
    REQUIRE(start.has_value());
    return *start;
  }

  // Logs in at the fake as Ada and consents; returns the callback.
  CallbackRequest log_in_and_consent(const LoginStart& start, const std::string& email = "ada@example.test",
                                     const std::string& password = "ada-password") {
    std::string login_page = browser.open(start.redirect_url);
    REQUIRE(login_page.find("fb-login") != std::string::npos);
    std::string consent_page = browser.log_in(login_page, email, password);
    REQUIRE(consent_page.find("fb-consent") != std::string::npos);
    browser.answer_consent(consent_page, "accept");
    return callback();
  }

  CallbackRequest callback() const {
    REQUIRE(browser.returned().callback == kCallback);
    return CallbackRequest{"GET", kCallback, browser.returned().params};
  }
};

TEST_CASE("facebook: the login dialog URL carries the app, the exact callback and the state") {
  FacebookFixture f;
  LoginStart start = f.begin();
  CHECK(start.redirect_url.rfind(f.facebook.dialog_url() + "?", 0) == 0);
  CHECK(start.redirect_url.find("client_id=1001") != std::string::npos);
  CHECK(start.redirect_url.find("redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Flogin%2Fcallback") != std::string::npos);
  CHECK(start.redirect_url.find("state=state-123") != std::string::npos);
  CHECK(start.redirect_url.find("response_type=code") != std::string::npos);
  CHECK(start.redirect_url.find("scope=email%2Cpublic_profile") != std::string::npos);
  CHECK(start.redirect_url.find("auth_type") == std::string::npos);
  CHECK(f.begin(true).redirect_url.find("auth_type=reauthenticate") != std::string::npos);
}

TEST_CASE("facebook: a first login gives the profile, a second one is single sign-on at Facebook") {
  FacebookFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.log_in_and_consent(start);
  CHECK(cb.params.at("state") == "state-123");
  auto id = f.connector->finish_login(cb, start.state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->provider == "facebook");
  CHECK(id->user_id == "10203");
  CHECK(id->email == "ada@example.test");
  CHECK_FALSE(id->email_verified);
  CHECK(id->name == "Ada Lovelace");
  CHECK(id->given_name == "Ada");
  CHECK(id->family_name == "Lovelace");
  CHECK(id->picture == f.facebook.base_url() + "/picture/10203.jpg");
  CHECK(id->raw_profile.at("id") == "10203");
  CHECK_FALSE(id->raw_profile.contains("access_token"));
  CHECK(id->upstream.token_expires_at == kNow + 5183944);
  CHECK(id->upstream.auth_time == 0);  // Facebook does not say

  // Facebook's session and remembered consent: no page at all the second time.
  LoginStart again = f.begin();
  CHECK(f.browser.open(again.redirect_url).empty());
  auto second = f.connector->finish_login(f.callback(), again.state_data);
  REQUIRE(second.has_value());
  CHECK(second->user_id == "10203");
  CHECK(f.facebook.password_logins() == 1);
}

TEST_CASE("facebook: reauthenticate asks for the password despite the session and dates the login") {
  FacebookFixture f;
  LoginStart first = f.begin();
  REQUIRE(f.connector->finish_login(f.log_in_and_consent(first), first.state_data).has_value());
  f.clock.advance(3600);
  LoginStart start = f.begin(true);
  std::string page = f.browser.open(start.redirect_url);
  REQUIRE(page.find("fb-login") != std::string::npos);
  CHECK(f.browser.log_in(page, "ada@example.test", "ada-password").empty());  // consent is remembered
  auto id = f.connector->finish_login(f.callback(), start.state_data);
  REQUIRE(id.has_value());
  CHECK(id->upstream.auth_time == kNow + 3600);
  CHECK(f.facebook.password_logins() == 2);
}

TEST_CASE("facebook: a user who cancels comes back as access_denied") {
  FacebookFixture f;
  LoginStart start = f.begin();
  std::string consent = f.browser.log_in(f.browser.open(start.redirect_url), "ada@example.test", "ada-password");
  f.browser.answer_consent(consent, "cancel");
  CallbackRequest cb = f.callback();
  CHECK(cb.params.at("error") == "access_denied");
  CHECK(cb.params.at("state") == "state-123");
  auto id = f.connector->finish_login(cb, start.state_data);
  REQUIRE_FALSE(id.has_value());
  CHECK(id.error().code == ErrorCode::kPermissionDenied);
  CHECK(id.error().message == "facebook: access_denied (user_denied)");
  CHECK(f.facebook.codes_exchanged() == 0);
}

TEST_CASE("facebook: a user without an email address still logs in") {
  FacebookFixture f;
  LoginStart start = f.begin();
  auto id = f.connector->finish_login(f.log_in_and_consent(start, "40506", "noemail-password"), start.state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->user_id == "40506");
  CHECK(id->email.empty());
  CHECK_FALSE(id->raw_profile.contains("email"));
}

TEST_CASE("facebook: callback and upstream failures are typed errors without secrets") {
  FacebookFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.log_in_and_consent(start);
  const std::string code = cb.params.at("code");
  auto no_secret = [&](const Error& e) {
    CHECK(e.message.find(kAppSecret) == std::string::npos);
    CHECK(e.message.find(code) == std::string::npos);
  };

  SUBCASE("an upstream error parameter") {
    auto id = f.connector->finish_login({"GET", kCallback, {{"error", "server_error"}, {"state", "state-123"}}},
                                        start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
  }
  SUBCASE("no code") {
    auto id = f.connector->finish_login({"GET", kCallback, {{"state", "state-123"}}}, start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a replayed code is refused by Facebook") {
    REQUIRE(f.connector->finish_login(cb, start.state_data).has_value());
    auto replay = f.connector->finish_login(cb, start.state_data);
    REQUIRE_FALSE(replay.has_value());
    CHECK(replay.error().code == ErrorCode::kPermissionDenied);
    CHECK(replay.error().message == "facebook: the code exchange answered HTTP 400 (OAuthException code 100)");
    no_secret(replay.error());
  }
  SUBCASE("a wrong app secret") {
    auto id = f.make("wrong-secret-fixture")->finish_login(cb, start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kPermissionDenied);
    CHECK(id.error().message.find("wrong-secret-fixture") == std::string::npos);
  }
  SUBCASE("a callback URL other than the dialog's") {
    cb.callback_url = "http://127.0.0.1:9/other";
    auto id = f.connector->finish_login(cb, start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kPermissionDenied);
  }
  SUBCASE("the Graph API fails with 500") {
    f.facebook.fail_graph_with(500);
    auto id = f.connector->finish_login(cb, start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
    CHECK(id.error().message == "facebook: the code exchange answered HTTP 500");
  }
  SUBCASE("the Graph API times out") {
    f.facebook.delay_graph(1500);  // the host's read timeout is 500 ms
    auto id = f.connector->finish_login(cb, start.state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
    CHECK(id.error().message.rfind("facebook: code exchange failed: GET " + f.facebook.token_url() + ": ", 0) == 0);
    no_secret(id.error());
  }
}

TEST_CASE("fake facebook: /me requires a valid appsecret_proof") {
  FacebookFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.log_in_and_consent(start);
  httplib::Client graph(f.facebook.base_url());
  auto token = graph.Get("/v19.0/oauth/access_token?client_id=1001&client_secret=fb-app-secret-fixture&code=" +
                         cb.params.at("code") + "&redirect_uri=" + httplib::detail::encode_query_param(kCallback));
  REQUIRE(token);
  REQUIRE(token->status == 200);
  std::string access = nlohmann::json::parse(token->body).at("access_token");
  auto missing = graph.Get("/v19.0/me?access_token=" + access);
  REQUIRE(missing);
  CHECK(missing->status == 400);
  auto wrong = graph.Get("/v19.0/me?access_token=" + access + "&appsecret_proof=00");
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  CHECK(wrong->body.find("Invalid appsecret_proof") != std::string::npos);
}

}  // namespace
}  // namespace passerelle
