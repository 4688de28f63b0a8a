// Authorization request values come back in JSON (web_message responses,
// the ID token's nonce), so they must be UTF-8. The first case feeds the
// input the query fuzz target found (tests/fuzz/corpus/query/
// crash_invalid_utf8_acr_values: "%AF" in acr_values) through cpp-httplib's
// query parser, as a request would bring it.
#include <doctest/doctest.h>
#include <httplib.h>

#include <string>

#include "clients/client_registry.h"
#include "oidc/authorization_request.h"

namespace passerelle {
namespace {

Client web_client() {
  ClientConfig c;
  c.client_id = "web";
  c.app_type = AppType::kRegularWeb;
  c.token_endpoint_auth_method = TokenEndpointAuthMethod::kClientSecretBasic;
  c.client_secret = "fixture-secret";
  c.grant_types = {"authorization_code"};
  c.redirect_uris = {"http://127.0.0.1:3000/cb?x=1"};
  return ClientRegistry::from_settings(c);
}

}  // namespace

TEST_CASE("authorization request: the fuzz input with invalid UTF-8 is refused") {
  Params params;
  httplib::detail::parse_query_text(
      "response_type=code&client_id=web&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcb%3Fx%3D1&state=abc"
      "&prompt=login+consent&max_age=300&login_hint=ada%40example.test"
      "&acr_values=http%3A%AF%2Fschemas.openid.net%2Fpape%2Fpolicies%2F2007%2F06%2Fmulti-factor"
      "&connection=facebook&response_mode=form_post",
      params);
  auto r = parse_authorization_request(params, web_client());
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().error == "invalid_request");
  CHECK(r.error().description == "acr_values is not valid UTF-8");
  CHECK(r.error().redirectable);
  // The error itself can be sent as JSON.
  CHECK_NOTHROW((void)nlohmann::json{{"error_description", r.error().description}}.dump());
}

TEST_CASE("authorization request: every echoed value must be UTF-8") {
  const char* names[] = {"response_type", "response_mode", "scope", "state", "nonce", "code_challenge",
                         "code_challenge_method", "prompt", "max_age", "login_hint", "acr_values", "connection"};
  for (const char* name : names) {
    CAPTURE(name);
    Params params = {{"client_id", "web"}, {"redirect_uri", "http://127.0.0.1:3000/cb?x=1"}};
    params.emplace(name, "\xFF");
    auto r = parse_authorization_request(params, web_client());
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().description == std::string(name) + " is not valid UTF-8");
  }
  // Non-ASCII UTF-8 is fine.
  Params params = {{"client_id", "web"},     {"redirect_uri", "http://127.0.0.1:3000/cb?x=1"},
                   {"response_type", "code"}, {"state", "\xC3\xA9tat"},
                   {"login_hint", "z\xC3\xB6" "e@example.test"}};
  auto r = parse_authorization_request(params, web_client());
  REQUIRE(r.has_value());
  CHECK(r->state == "\xC3\xA9tat");
  CHECK_NOTHROW((void)nlohmann::json(*r).dump());
}

}  // namespace passerelle
