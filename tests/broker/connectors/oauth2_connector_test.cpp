// The generic oauth2 connector: its options, its claim mapping, and logins
// against the fake GitHub used as a plain OAuth 2.0 IdP on 127.0.0.1.
#include <doctest/doctest.h>

#include "broker/connectors/github_user_agent.h"
#include "connectors/host_services.h"
#include "core/clock.h"
#include "fake_github.h"
#include "oauth2/claim_mapping.h"
#include "oauth2/oauth2_connector.h"

namespace passerelle {
namespace {

using fixtures::FakeGithub;
using testing::GithubUserAgent;

// Secrets here are test fixtures.
constexpr const char* kClientId = "oauth2-client-fixture";
constexpr const char* kClientSecret = "oauth2-secret-fixture";
constexpr const char* kExpiringClientId = "oauth2-expiring-client-fixture";
constexpr const char* kCallback = "http://127.0.0.1:9/login/callback";
constexpr int64_t kNow = 1'800'000'000;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

nlohmann::json minimal_options() {
  return {{"client_id", "c"},
          {"client_secret", "s"},
          {"authorization_endpoint", "https://idp.example.test/authorize"},
          {"token_endpoint", "https://idp.example.test/token"},
          {"userinfo_endpoint", "https://idp.example.test/userinfo"}};
}

TEST_CASE("oauth2: options errors name the option and never quote a value") {
  ManualClock clock{kNow};
  HostBundle host{clock};
  auto with = [](nlohmann::json changes) {
    nlohmann::json o = minimal_options();
    o.update(changes);
    return o;
  };
  auto without = [](const char* key) {
    nlohmann::json o = minimal_options();
    o.erase(key);
    return o;
  };
  struct Row {
    const char* name;
    nlohmann::json options;
    std::string expected;
  };
  const Row rows[] = {
      {"not an object", "client_id=c", "options: must be an object"},
      {"no client_id", without("client_id"), "options.client_id: required"},
      {"no client_secret", without("client_secret"), "options.client_secret: required"},
      {"no authorization endpoint", without("authorization_endpoint"), "options.authorization_endpoint: required"},
      {"no token endpoint", without("token_endpoint"), "options.token_endpoint: required"},
      {"no userinfo endpoint", without("userinfo_endpoint"), "options.userinfo_endpoint: required"},
      {"endpoint not http(s)", with({{"token_endpoint", "file:///etc/passwd"}}),
       "options.token_endpoint: must be an http(s) URL"},
      {"unknown option", with({{"clientsecret", "x"}}), "options.clientsecret: unknown option"},
      {"secret not a string", with({{"client_secret", 1234}}), "options.client_secret: must be a string"},
      {"scope not a string", with({{"scope", nlohmann::json::array({"a", "b"})}}), "options.scope: must be a string"},
      {"empty provider", with({{"provider", ""}}), "options.provider: must not be empty"},
      {"unknown auth method", with({{"token_endpoint_auth_method", "private_key_jwt"}}),
       "options.token_endpoint_auth_method: must be one of client_secret_post, client_secret_basic"},
      {"use_pkce not a boolean", with({{"use_pkce", "yes"}}), "options.use_pkce: must be true or false"},
      {"authorization_params not an object", with({{"authorization_params", "prompt=login"}}),
       "options.authorization_params: must be an object"},
      {"authorization param not a string", with({{"authorization_params", {{"max_age", 0}}}}),
       "options.authorization_params.max_age: must be a string"},
      {"authorization param set by the connector", with({{"authorization_params", {{"state", "fixed"}}}}),
       "options.authorization_params.state: is set by the connector"},
      {"claims not an object", with({{"claims", "id"}}), "options.claims: must be an object"},
      {"unknown claim field", with({{"claims", {{"nickname", "login"}}}}),
       "options.claims.nickname: unknown profile field"},
      {"empty claim path", with({{"claims", {{"user_id", ""}}}}), "options.claims.user_id: must not be empty"},
      {"claim path not a string", with({{"claims", {{"email", 3}}}}), "options.claims.email: must be a string"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto c = oauth2::create_connector({"acme", "oauth2", row.options}, host.services());
      REQUIRE_FALSE(c.has_value());
      CHECK(c.error().code == ErrorCode::kInvalidArgument);
      CHECK(c.error().message == row.expected);
      CHECK_FALSE(has(c.error().message, "1234"));
    }
  }
  SUBCASE("the minimal options are enough") {
    CHECK(oauth2::create_connector({"acme", "oauth2", minimal_options()}, host.services()).has_value());
  }
}

TEST_CASE("oauth2: the claim mapping reads strings, integer ids, dotted paths and verification flags") {
  oauth2::ClaimMapping defaults;
  oauth2::ClaimMapping nested;
  nested.user_id = {"data.id"};
  nested.email = "data.contact.email";
  nested.email_verified = "data.contact.confirmed";
  nested.name = "data.display_name";
  struct Row {
    const char* name;
    const oauth2::ClaimMapping& mapping;
    nlohmann::json userinfo;
    std::string user_id;
    std::string email;
    bool verified;
    std::string display_name;
  };
  const Row rows[] = {
      {"sub first", defaults, {{"sub", "abc"}, {"id", 7}, {"email", "a@example.test"}}, "abc", "a@example.test",
       false, ""},
      {"id when no sub", defaults, {{"id", 7}, {"name", "Seven"}}, "7", "", false, "Seven"},
      {"a large unsigned id", defaults, {{"id", 18446744073709551615ULL}}, "18446744073709551615", "", false, ""},
      {"verified as a boolean", defaults, {{"sub", "u"}, {"email", "u@example.test"}, {"email_verified", true}}, "u",
       "u@example.test", true, ""},
      {"verified as a string", defaults, {{"sub", "u"}, {"email", "u@example.test"}, {"email_verified", "true"}}, "u",
       "u@example.test", true, ""},
      {"verified without an address", defaults, {{"sub", "u"}, {"email_verified", true}}, "u", "", false, ""},
      {"a name that is not a string", defaults, {{"sub", "u"}, {"name", nullptr}}, "u", "", false, ""},
      {"dotted paths", nested,
       {{"data",
         {{"id", 99},
          {"display_name", "Nested"},
          {"contact", {{"email", "n@example.test"}, {"confirmed", true}}}}}},
       "99", "n@example.test", true, "Nested"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto id = oauth2::map_claims(row.mapping, row.userinfo, "acme");
      REQUIRE_MESSAGE(id.has_value(), id.error().message);
      CHECK(id->user_id == row.user_id);
      CHECK(id->email == row.email);
      CHECK(id->email_verified == row.verified);
      CHECK(id->name == row.display_name);
      CHECK(id->raw_profile == row.userinfo);
    }
  }
  SUBCASE("no user id") {
    auto id = oauth2::map_claims(defaults, {{"id", ""}, {"data", {{"id", true}}}}, "acme");
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
    CHECK(id.error().message == "acme: the userinfo response has no user id (sub, id)");
  }
}

struct OAuth2Fixture {
  FakeGithub github{{{kClientId, kClientSecret, "Generic App", kCallback, false},
                     {kExpiringClientId, kClientSecret, "Expiring App", kCallback, true}},
                    {{4242, "ada", "ada-password", "Ada Lovelace", {{"ada@example.test", true, true, "public"}}}}};
  int port = github.start();
  ManualClock clock{kNow};
  HostBundle host{clock, HttpClientOptions{1000, 500}};
  GithubUserAgent browser{github};

  std::unique_ptr<Connector> make(nlohmann::json overrides = nlohmann::json::object()) {
    REQUIRE(port > 0);
    nlohmann::json options = {{"client_id", kClientId},
                              {"client_secret", kClientSecret},
                              {"scope", "read:user"},
                              {"authorization_endpoint", github.authorize_url()},
                              {"token_endpoint", github.token_url()},
                              {"userinfo_endpoint", github.user_url()},
                              {"claims",
                               {{"user_id", "id"}, {"email", "email"}, {"name", "name"}, {"picture", "avatar_url"}}}};
    options.update(overrides);
    auto c = oauth2::create_connector({"generic", "oauth2", options}, host.services());
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return std::move(*c);
  }

  // A whole login through the fake: sign-in and authorization on the first
  // visit, SSO afterwards.
  Result<Identity> log_in(Connector& connector) {
    auto start = connector.begin_login({kCallback, "state-456", false, std::nullopt, ""});
    REQUIRE(start.has_value());
    std::string page = browser.open(start->redirect_url);
    if (has(page, "gh-login")) page = browser.sign_in(page, "ada", "ada-password");
    if (has(page, "gh-authorize")) page = browser.authorize(page, true);
    REQUIRE(page.empty());
    REQUIRE(browser.returned().callback == kCallback);
    CHECK(browser.returned().params.at("state") == "state-456");
    return connector.finish_login({"GET", kCallback, browser.returned().params}, start->state_data);
  }
};

TEST_CASE("oauth2: the authorization URL carries the flow's parameters, PKCE and the extra parameters") {
  OAuth2Fixture f;
  auto connector = f.make({{"authorization_params", {{"prompt", "consent"}, {"audience", "api"}}}});
  auto start = connector->begin_login({kCallback, "state-456", true, 300, "ada"});
  REQUIRE(start.has_value());
  const std::string& url = start->redirect_url;
  CHECK(url.rfind(f.github.authorize_url() + "?response_type=code&", 0) == 0);
  CHECK(has(url, std::string("client_id=") + kClientId));
  CHECK(has(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Flogin%2Fcallback"));
  CHECK(has(url, "state=state-456"));
  CHECK(has(url, "scope=read%3Auser"));
  CHECK(has(url, "code_challenge_method=S256"));
  CHECK(has(url, "&code_challenge="));
  CHECK(has(url, "audience=api"));
  CHECK(has(url, "prompt=consent"));
  CHECK(has(start->state_data, "code_verifier"));

  auto plain = f.make({{"use_pkce", false}, {"scope", ""}})->begin_login({kCallback, "s", false, std::nullopt, ""});
  REQUIRE(plain.has_value());
  CHECK_FALSE(has(plain->redirect_url, "code_challenge"));
  CHECK_FALSE(has(plain->redirect_url, "scope="));
  CHECK(plain->state_data == "{}");
}

TEST_CASE("oauth2: a login against GitHub as a generic IdP, with a claim mapping") {
  OAuth2Fixture f;
  auto connector = f.make();
  auto id = f.log_in(*connector);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->provider == "oauth2");
  CHECK(id->user_id == "4242");  // GitHub's number, as a string
  CHECK(id->email == "ada@example.test");
  CHECK_FALSE(id->email_verified);  // /user does not say
  CHECK(id->name == "Ada Lovelace");
  CHECK(id->picture == f.github.base_url() + "/avatars/u/4242?v=4");
  CHECK(id->raw_profile.at("login") == "ada");
  CHECK(id->upstream.token_expires_at == 0);
  CHECK(id->connector_data.empty());
  CHECK(f.github.last_client_auth() == "post");
  CHECK(f.github.last_exchange_used_pkce());

  SUBCASE("a provider name of its own") {
    auto acme = f.log_in(*f.make({{"provider", "acme"}}));
    REQUIRE(acme.has_value());
    CHECK(acme->provider == "acme");
  }
  SUBCASE("client_secret_basic") {
    auto basic = f.log_in(*f.make({{"token_endpoint_auth_method", "client_secret_basic"}}));
    REQUIRE_MESSAGE(basic.has_value(), basic.error().message);
    CHECK(f.github.last_client_auth() == "basic");
  }
  SUBCASE("without PKCE") {
    auto plain = f.log_in(*f.make({{"use_pkce", false}}));
    REQUIRE_MESSAGE(plain.has_value(), plain.error().message);
    CHECK_FALSE(f.github.last_exchange_used_pkce());
  }
  SUBCASE("a claim mapping that finds no id") {
    auto none = f.log_in(*f.make({{"claims", {{"user_id", "uuid"}}}}));
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().code == ErrorCode::kUnavailable);
    CHECK(none.error().message == "oauth2: the userinfo response has no user id (uuid)");
  }
  SUBCASE("a userinfo endpoint that answers an array") {
    auto list = f.log_in(*f.make({{"scope", "user:email"}, {"userinfo_endpoint", f.github.emails_url()}}));
    REQUIRE_FALSE(list.has_value());
    CHECK(list.error().code == ErrorCode::kUnavailable);
    CHECK(list.error().message == "oauth2: the userinfo response is not a JSON object");
  }
  SUBCASE("this connector has no refresh token to use") {
    auto refreshed = connector->refresher()->refresh(*id);
    REQUIRE_FALSE(refreshed.has_value());
    CHECK(refreshed.error().code == ErrorCode::kPermissionDenied);
  }
}

TEST_CASE("oauth2: expiring tokens are dated and refreshed with the rotating refresh token") {
  OAuth2Fixture f;
  auto connector = f.make({{"client_id", kExpiringClientId}});
  auto id = f.log_in(*connector);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->upstream.token_expires_at == kNow + 28800);
  REQUIRE(has(id->connector_data, "ghr_"));
  CHECK_FALSE(has(id->raw_profile.dump(), "ghr_"));
  id->connection = "generic";

  f.clock.advance(3600);
  RefreshCapability* refresher = connector->refresher();
  REQUIRE(refresher != nullptr);
  auto refreshed = refresher->refresh(*id);
  REQUIRE_MESSAGE(refreshed.has_value(), refreshed.error().message);
  CHECK(refreshed->connection == "generic");
  CHECK(refreshed->user_id == "4242");
  CHECK(refreshed->upstream.token_expires_at == kNow + 3600 + 28800);
  CHECK(refreshed->connector_data != id->connector_data);  // rotated

  // The old refresh token was spent.
  auto replay = refresher->refresh(*id);
  REQUIRE_FALSE(replay.has_value());
  CHECK(replay.error().code == ErrorCode::kPermissionDenied);
  CHECK(replay.error().message == "oauth2: the token endpoint refused the request: bad_refresh_token");
  CHECK_FALSE(has(replay.error().message, "ghr_"));
}

TEST_CASE("oauth2: cancels and upstream failures are typed errors without secrets") {
  OAuth2Fixture f;
  auto connector = f.make();
  auto start = connector->begin_login({kCallback, "state-456", false, std::nullopt, ""});
  REQUIRE(start.has_value());
  std::string page = f.browser.sign_in(f.browser.open(start->redirect_url), "ada", "ada-password");

  SUBCASE("the user cancels") {
    CHECK(f.browser.authorize(page, false).empty());
    auto id = connector->finish_login({"GET", kCallback, f.browser.returned().params}, start->state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kPermissionDenied);
    CHECK(id.error().message == "oauth2: access_denied");
  }
  SUBCASE("temporarily_unavailable at the callback") {
    auto id = connector->finish_login({"GET", kCallback, {{"error", "temporarily_unavailable"}}}, start->state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
  }
  SUBCASE("the userinfo endpoint fails, or the token endpoint is slow") {
    CHECK(f.browser.authorize(page, true).empty());
    CallbackRequest cb{"GET", kCallback, f.browser.returned().params};
    SUBCASE("500 from userinfo") {
      f.github.fail(FakeGithub::Endpoint::kUser, 500);
      auto id = connector->finish_login(cb, start->state_data);
      REQUIRE_FALSE(id.has_value());
      CHECK(id.error().code == ErrorCode::kUnavailable);
      CHECK(id.error().message == "oauth2: the userinfo request answered HTTP 500");
    }
    SUBCASE("a timeout at the token endpoint") {
      f.github.delay_all(1500);  // the host's read timeout is 500 ms
      auto id = connector->finish_login(cb, start->state_data);
      REQUIRE_FALSE(id.has_value());
      CHECK(id.error().code == ErrorCode::kUnavailable);
      CHECK(id.error().message.rfind("oauth2: the token request failed: POST " + f.github.token_url() + ": ", 0) ==
            0);
      CHECK_FALSE(has(id.error().message, kClientSecret));
      CHECK_FALSE(has(id.error().message, cb.params.at("code")));
    }
  }
}

}  // namespace
}  // namespace passerelle
