#include "oidc/authorization_request.h"

#include <doctest/doctest.h>

#include "clients/client_registry.h"

namespace passerelle {
namespace {

Client make_client(bool is_public) {
  ClientConfig c;
  c.client_id = is_public ? "spa" : "web";
  c.app_type = is_public ? AppType::kSpa : AppType::kRegularWeb;
  c.token_endpoint_auth_method = is_public ? TokenEndpointAuthMethod::kNone : TokenEndpointAuthMethod::kClientSecretBasic;
  c.client_secret = is_public ? std::nullopt : std::optional<std::string>("fixture-secret");
  c.grant_types = {"authorization_code"};
  c.redirect_uris = {"https://app.test/cb", "https://app.test/cb?x=1"};
  return ClientRegistry::from_settings(c);
}

const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

Params base() {
  return {{"client_id", "web"}, {"redirect_uri", "https://app.test/cb"}, {"response_type", "code"},
          {"scope", "openid"}, {"state", "s"}};
}

}  // namespace

TEST_CASE("authorization request: a good request parses") {
  auto params = base();
  params.emplace("code_challenge", kChallenge);
  params.emplace("code_challenge_method", "S256");
  params.emplace("max_age", "300");
  params.emplace("prompt", "login consent");
  auto r = parse_authorization_request(params, make_client(false));
  REQUIRE(r.has_value());
  CHECK(r->redirect_uri == "https://app.test/cb");
  CHECK(r->max_age == 300);
  CHECK(r->has_prompt("login"));
  CHECK(r->has_scope("openid"));
  CHECK(r->response_mode == "query");
}

TEST_CASE("authorization request: errors and whether they may redirect") {
  struct Row {
    const char* name;
    bool is_public;
    std::vector<std::pair<std::string, std::string>> set;  // replaces or adds
    std::vector<std::string> remove;
    std::string error;
    bool redirectable;
  };
  const std::vector<Row> rows = {
      {"unregistered redirect_uri", false, {{"redirect_uri", "https://evil.test/cb"}}, {}, "invalid_request", false},
      {"redirect_uri prefix only", false, {{"redirect_uri", "https://app.test/cb/x"}}, {}, "invalid_request", false},
      {"redirect_uri with extra query", false, {{"redirect_uri", "https://app.test/cb?x=2"}}, {}, "invalid_request", false},
      {"missing redirect_uri", false, {}, {"redirect_uri"}, "invalid_request", false},
      {"missing response_type", false, {}, {"response_type"}, "invalid_request", true},
      {"token response_type", false, {{"response_type", "token"}}, {}, "unsupported_response_type", true},
      {"public client without PKCE", true, {{"client_id", "spa"}}, {}, "invalid_request", true},
      {"plain PKCE", false, {{"code_challenge", kChallenge}, {"code_challenge_method", "plain"}}, {}, "invalid_request", true},
      {"challenge without method", false, {{"code_challenge", kChallenge}}, {}, "invalid_request", true},
      {"malformed challenge", false, {{"code_challenge", "abc"}, {"code_challenge_method", "S256"}}, {}, "invalid_request", true},
      {"prompt none with login", false, {{"prompt", "none login"}}, {}, "invalid_request", true},
      {"unknown prompt", false, {{"prompt", "maybe"}}, {}, "invalid_request", true},
      {"negative max_age", false, {{"max_age", "-1"}}, {}, "invalid_request", true},
      {"unknown response_mode", false, {{"response_mode", "fragment"}}, {}, "invalid_request", true},
  };
  for (const auto& row : rows) {
    SUBCASE(row.name) {
      Params params = base();
      for (const auto& k : row.remove) params.erase(k);
      for (const auto& [k, v] : row.set) {
        params.erase(k);
        params.emplace(k, v);
      }
      if (row.is_public) params.find("redirect_uri")->second = "https://app.test/cb";
      auto r = parse_authorization_request(params, make_client(row.is_public));
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().error == row.error);
      CHECK(r.error().redirectable == row.redirectable);
    }
  }
}

TEST_CASE("authorization request: a repeated parameter is refused") {
  Params params = base();
  params.emplace("state", "again");
  auto r = parse_authorization_request(params, make_client(false));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().error == "invalid_request");

  Params twice_redirect = base();
  twice_redirect.emplace("redirect_uri", "https://app.test/cb");
  auto r2 = parse_authorization_request(twice_redirect, make_client(false));
  REQUIRE_FALSE(r2.has_value());
  CHECK_FALSE(r2.error().redirectable);

  Params twice_client = base();
  twice_client.emplace("client_id", "other");
  CHECK_FALSE(requested_client_id(twice_client).has_value());
}

}  // namespace passerelle
