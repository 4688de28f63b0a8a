// The github connector against the fake GitHub on 127.0.0.1: the real HTTP
// client of the host services, a manual clock, and a scripted browser.
#include <doctest/doctest.h>

#include "broker/connectors/github_user_agent.h"
#include "connectors/host_services.h"
#include "core/clock.h"
#include "fake_github.h"
#include "github/github_connector.h"

namespace passerelle {
namespace {

using fixtures::FakeGithub;
using testing::GithubUserAgent;

// Secrets here are test fixtures.
constexpr const char* kClientId = "Ov23liFakeClient0001";
constexpr const char* kClientSecret = "gh-client-secret-fixture";
constexpr const char* kCallback = "http://127.0.0.1:9/login/callback";
constexpr int64_t kNow = 1'800'000'000;

struct GithubFixture {
  FakeGithub github{{{kClientId, kClientSecret, "Passerelle Test", kCallback, false}},
                    {{4242, "ada", "ada-password", "Ada Lovelace",
                      {{"ada.old@example.test", false, true, "private"}, {"ada@example.test", true, true, "public"}}},
                     {5151, "grace", "grace-password", "",
                      {{"grace@example.test", true, false, "private"}, {"grace@work.example", false, true, ""}}}}};
  int port = github.start();
  ManualClock clock{kNow};
  HostBundle host{clock, HttpClientOptions{1000, 500}};
  std::unique_ptr<Connector> connector = make();
  GithubUserAgent browser{github};

  std::unique_ptr<Connector> make(nlohmann::json overrides = nlohmann::json::object()) {
    REQUIRE(port > 0);
    nlohmann::json options = {{"client_id", kClientId},
                              {"client_secret", kClientSecret},
                              {"authorization_endpoint", github.authorize_url()},
                              {"token_endpoint", github.token_url()},
                              {"userinfo_endpoint", github.user_url()},
                              {"emails_endpoint", github.emails_url()}};
    options.update(overrides);
    auto c = github::create_connector({"github", "github", options}, host.services());
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return std::move(*c);
  }

  LoginStart begin(bool reauthenticate = false, const std::string& login_hint = "",
                   const std::string& callback = kCallback) {
    auto start = connector->begin_login({callback, "state-123", reauthenticate, std::nullopt, login_hint});
    REQUIRE(start.has_value());
    return *start;
  }

  // Signs in at the fake and authorizes the app; returns the callback.
  CallbackRequest sign_in_and_authorize(const LoginStart& start, const std::string& login = "ada",
                                        const std::string& password = "ada-password") {
    std::string sign_in = browser.open(start.redirect_url);
    REQUIRE(sign_in.find("gh-login") != std::string::npos);
    std::string authorize = browser.sign_in(sign_in, login, password);
    REQUIRE(authorize.find("gh-authorize") != std::string::npos);
    CHECK(browser.authorize(authorize, true).empty());
    return callback();
  }

  CallbackRequest callback() const {
    REQUIRE(browser.returned().callback == kCallback);
    return CallbackRequest{"GET", kCallback, browser.returned().params};
  }
};

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("github: the authorize URL carries the client, the exact callback, the scope, the state and PKCE") {
  GithubFixture f;
  LoginStart start = f.begin();
  const std::string& url = start.redirect_url;
  CHECK(url.rfind(f.github.authorize_url() + "?", 0) == 0);
  CHECK(has(url, std::string("client_id=") + kClientId));
  CHECK(has(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Flogin%2Fcallback"));
  CHECK(has(url, "scope=read%3Auser%20user%3Aemail"));
  CHECK(has(url, "state=state-123"));
  CHECK(has(url, "code_challenge_method=S256"));
  CHECK(has(url, "code_challenge="));
  CHECK(has(start.state_data, "code_verifier"));
  CHECK_FALSE(has(url, "prompt="));
  CHECK_FALSE(has(url, "login="));
  LoginStart hinted = f.begin(true, "ada@example.test");
  CHECK(has(hinted.redirect_url, "login=ada%40example.test"));
  CHECK(has(hinted.redirect_url, "prompt=select_account"));
  CHECK(hinted.state_data != start.state_data);  // a fresh verifier per login
}

TEST_CASE("github: a first login gives the profile and verified primary address, a second is SSO at GitHub") {
  GithubFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.sign_in_and_authorize(start);
  CHECK(cb.params.at("state") == "state-123");
  auto id = f.connector->finish_login(cb, start.state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->provider == "github");
  CHECK(id->user_id == "4242");
  CHECK(id->email == "ada@example.test");  // the primary, not the first listed
  CHECK(id->email_verified);
  CHECK(id->name == "Ada Lovelace");
  CHECK(id->given_name.empty());
  CHECK(id->picture == f.github.base_url() + "/avatars/u/4242?v=4");
  CHECK(id->raw_profile.at("login") == "ada");
  CHECK(id->upstream.token_expires_at == 0);  // OAuth app tokens do not expire
  CHECK(id->upstream.auth_time == 0);         // GitHub does not say
  CHECK(id->connector_data.empty());
  CHECK(f.github.last_exchange_used_pkce());
  fixtures::FakeGithubApiCall call = f.github.last_api_call();
  CHECK(call.user_agent == "Passerelle");
  CHECK(call.accept == "application/vnd.github+json");
  CHECK(call.api_version == "2022-11-28");

  // GitHub's session and the remembered authorization: no page at all.
  LoginStart again = f.begin();
  CHECK(f.browser.open(again.redirect_url).empty());
  auto second = f.connector->finish_login(f.callback(), again.state_data);
  REQUIRE(second.has_value());
  CHECK(second->user_id == "4242");
  CHECK(f.github.password_logins() == 1);
}

TEST_CASE("github: force_reauthentication shows GitHub's account picker, which cannot prove a new login") {
  GithubFixture f;
  LoginStart first = f.begin();
  REQUIRE(f.connector->finish_login(f.sign_in_and_authorize(first), first.state_data).has_value());
  LoginStart start = f.begin(true);
  std::string picker = f.browser.open(start.redirect_url);
  REQUIRE(has(picker, "gh-select-account"));
  CHECK(f.browser.select_account(picker, "continue").empty());
  auto id = f.connector->finish_login(f.callback(), start.state_data);
  REQUIRE(id.has_value());
  CHECK(id->upstream.auth_time == 0);
  CHECK(f.github.password_logins() == 1);

  SUBCASE("switching accounts signs in again") {
    LoginStart other = f.begin(true);
    std::string sign_in = f.browser.select_account(f.browser.open(other.redirect_url), "switch");
    REQUIRE(has(sign_in, "gh-login"));
    std::string authorize = f.browser.sign_in(sign_in, "grace", "grace-password");
    CHECK(f.browser.authorize(authorize, true).empty());
    auto grace = f.connector->finish_login(f.callback(), other.state_data);
    REQUIRE(grace.has_value());
    CHECK(grace->user_id == "5151");
  }
}

TEST_CASE("github: a user who cancels comes back as access_denied") {
  GithubFixture f;
  LoginStart start = f.begin();
  std::string authorize = f.browser.sign_in(f.browser.open(start.redirect_url), "ada", "ada-password");
  CHECK(f.browser.authorize(authorize, false).empty());
  CallbackRequest cb = f.callback();
  CHECK(cb.params.at("error") == "access_denied");
  CHECK(cb.params.at("state") == "state-123");
  auto id = f.connector->finish_login(cb, start.state_data);
  REQUIRE_FALSE(id.has_value());
  CHECK(id.error().code == ErrorCode::kPermissionDenied);
  CHECK(id.error().message == "github: access_denied");
  CHECK(f.github.codes_exchanged() == 0);
}

TEST_CASE("github: a callback URL other than the registered one is refused by GitHub") {
  GithubFixture f;
  LoginStart start = f.begin(false, "", "http://127.0.0.1:9/elsewhere");
  CHECK(f.browser.open(start.redirect_url).empty());
  CallbackRequest cb = f.callback();  // GitHub sends the error to the registered callback
  CHECK(cb.params.at("error") == "redirect_uri_mismatch");
  auto id = f.connector->finish_login(cb, start.state_data);
  REQUIRE_FALSE(id.has_value());
  CHECK(id.error().code == ErrorCode::kPermissionDenied);
  CHECK(id.error().message == "github: redirect_uri_mismatch");
}

TEST_CASE("github: without a verified primary address the login has no email") {
  GithubFixture f;
  LoginStart start = f.begin();
  auto id = f.connector->finish_login(f.sign_in_and_authorize(start, "grace@example.test", "grace-password"),
                                      start.state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->user_id == "5151");
  CHECK(id->email.empty());  // the verified address is not the primary one
  CHECK_FALSE(id->email_verified);
  CHECK(id->name == "grace");  // no display name: the login
  CHECK(id->raw_profile.at("name").is_null());
}

TEST_CASE("github: without the user:email scope the login goes on without an address") {
  GithubFixture f;
  f.connector = f.make({{"scope", "read:user"}});
  LoginStart start = f.begin();
  auto id = f.connector->finish_login(f.sign_in_and_authorize(start), start.state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->user_id == "4242");
  CHECK(id->email.empty());
  CHECK_FALSE(id->email_verified);
}

TEST_CASE("github: callback and upstream failures are typed errors without secrets") {
  GithubFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.sign_in_and_authorize(start);
  const std::string code = cb.params.at("code");
  auto expect = [&](const Result<Identity>& id, ErrorCode want, const std::string& message) {
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == want);
    if (message.size() > 3 && message.substr(message.size() - 3) == "...") {
      CHECK_MESSAGE(id.error().message.rfind(message.substr(0, message.size() - 3), 0) == 0, id.error().message);
    } else {
      CHECK(id.error().message == message);
    }
    CHECK_FALSE(has(id.error().message, kClientSecret));
    CHECK_FALSE(has(id.error().message, code));
    CHECK_FALSE(has(id.error().message, "code_verifier"));
  };

  SUBCASE("an upstream error parameter") {
    auto id = f.connector->finish_login({"GET", kCallback, {{"error", "server_error"}, {"state", "state-123"}}},
                                        start.state_data);
    expect(id, ErrorCode::kUnavailable, "github: server_error");
  }
  SUBCASE("an error code that is not a token") {
    auto id = f.connector->finish_login({"GET", kCallback, {{"error", "<script>alert(1)</script>"}}},
                                        start.state_data);
    expect(id, ErrorCode::kPermissionDenied, "github: scriptalert1script");
  }
  SUBCASE("no code") {
    auto id = f.connector->finish_login({"GET", kCallback, {{"state", "state-123"}}}, start.state_data);
    expect(id, ErrorCode::kInvalidArgument, "github: the callback carries no code");
  }
  SUBCASE("a replayed code") {
    REQUIRE(f.connector->finish_login(cb, start.state_data).has_value());
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kPermissionDenied,
           "github: the token endpoint refused the request: bad_verification_code");
  }
  SUBCASE("a code older than 10 minutes") {
    f.github.advance_time(601);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kPermissionDenied,
           "github: the token endpoint refused the request: bad_verification_code");
  }
  SUBCASE("the verifier of another login") {
    expect(f.connector->finish_login(cb, f.begin().state_data), ErrorCode::kPermissionDenied,
           "github: the token endpoint refused the request: invalid_grant");
  }
  SUBCASE("a callback URL other than the authorization's") {
    cb.callback_url = "http://127.0.0.1:9/other";
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kPermissionDenied,
           "github: the token endpoint refused the request: redirect_uri_mismatch");
  }
  SUBCASE("a wrong client secret") {
    auto id = f.make({{"client_secret", "wrong-secret-fixture"}})->finish_login(cb, start.state_data);
    expect(id, ErrorCode::kPermissionDenied,
           "github: the token endpoint refused the request: incorrect_client_credentials");
    CHECK_FALSE(has(id.error().message, "wrong-secret-fixture"));
  }
  SUBCASE("the token endpoint fails with 500") {
    f.github.fail(FakeGithub::Endpoint::kToken, 500);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the token endpoint answered HTTP 500");
  }
  SUBCASE("the token endpoint answers HTML") {
    f.github.fail(FakeGithub::Endpoint::kToken, FakeGithub::kGarbage);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the token endpoint answered HTTP 200 without a JSON object");
  }
  SUBCASE("the profile fails with 502") {
    f.github.fail(FakeGithub::Endpoint::kUser, 502);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the profile request answered HTTP 502");
  }
  SUBCASE("the email list fails with 500") {
    f.github.fail(FakeGithub::Endpoint::kEmails, 500);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the emails request answered HTTP 500");
  }
  SUBCASE("the email list answers HTML") {
    f.github.fail(FakeGithub::Endpoint::kEmails, FakeGithub::kGarbage);
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the emails request answered without JSON");
  }
  SUBCASE("GitHub times out") {
    f.github.delay_all(1500);  // the host's read timeout is 500 ms
    expect(f.connector->finish_login(cb, start.state_data), ErrorCode::kUnavailable,
           "github: the token request failed: POST " + f.github.token_url() + ": ...");
  }
  SUBCASE("a state without its verifier") {
    expect(f.connector->finish_login(cb, "{}"), ErrorCode::kInternal, "github: the login state has no PKCE verifier");
  }
}

TEST_CASE("github: options errors name the option") {
  ManualClock clock{kNow};
  HostBundle host{clock};
  struct Row {
    const char* name;
    nlohmann::json options;
    std::string expected;
  };
  const Row rows[] = {
      {"no client_id", {{"client_secret", "s"}}, "options.client_id: required"},
      {"no client_secret", {{"client_id", "c"}}, "options.client_secret: required"},
      {"unknown option", {{"client_id", "c"}, {"client_secret", "s"}, {"team", "x"}}, "options.team: unknown option"},
      {"scope not a string", {{"client_id", "c"}, {"client_secret", "s"}, {"scope", nlohmann::json::array()}},
       "options.scope: must be a string"},
      {"emails endpoint not http(s)", {{"client_id", "c"}, {"client_secret", "s"}, {"emails_endpoint", "ftp://x/e"}},
       "options.emails_endpoint: must be an http(s) URL"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto c = github::create_connector({"github", "github", row.options}, host.services());
      REQUIRE_FALSE(c.has_value());
      CHECK(c.error().code == ErrorCode::kInvalidArgument);
      CHECK(c.error().message == row.expected);
    }
  }
}

TEST_CASE("fake github: the token endpoint answers a form without Accept JSON, and the API wants a bearer token") {
  GithubFixture f;
  LoginStart start = f.begin();
  CallbackRequest cb = f.sign_in_and_authorize(start);
  httplib::Client client(f.github.base_url());
  std::string verifier = nlohmann::json::parse(start.state_data).at("code_verifier");
  auto token = client.Post("/login/oauth/access_token",
                           httplib::Params{{"client_id", kClientId},
                                           {"client_secret", kClientSecret},
                                           {"code", cb.params.at("code")},
                                           {"code_verifier", verifier}});
  REQUIRE(token);
  CHECK(token->status == 200);
  CHECK(token->get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0);
  CHECK(token->body.rfind("access_token=gho_", 0) == 0);
  auto anonymous = client.Get("/user");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  auto wrong = client.Get("/user", {{"Authorization", "Bearer gho_not-a-token"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(has(wrong->body, "Bad credentials"));
}

}  // namespace
}  // namespace passerelle
