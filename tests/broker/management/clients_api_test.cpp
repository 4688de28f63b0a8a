// /api/v2/clients over real HTTP, including the R7 refresh_token PATCH
// validation table, and the API's authentication and scope checks.
#include <doctest/doctest.h>

#include "broker/management/management_support.h"

namespace passerelle {

TEST_CASE("management: tokens and scopes are checked, errors have Auth0's shape") {
  testing::ManagedBroker mb;
  auto none = mb.call("GET", "/api/v2/clients", nullptr, "");
  CHECK(none.status == 401);
  CHECK(none.body["statusCode"] == 401);
  CHECK(none.body["error"] == "Unauthorized");
  CHECK(none.body["message"].is_string());
  CHECK(none.body["errorCode"] == "missing_token");
  CHECK(mb.call("GET", "/api/v2/clients", nullptr, "not-a-token").status == 401);

  // A user's access token is not a Management API token (wrong audience).
  auto login = testing::log_in(mb);
  auto code = testing::query_value(login.location, "code");
  auto exchanged = mb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                                  httplib::Params{{"grant_type", "authorization_code"}, {"code", code},
                                                  {"redirect_uri", "https://app.test/cb"},
                                                  {"code_verifier", testing::kVerifier}});
  std::string user_token = nlohmann::json::parse(exchanged->body)["access_token"];
  CHECK(mb.call("GET", "/api/v2/clients", nullptr, user_token).status == 401);

  std::string reader = mb.management_token("m2m", "m2m-secret-fixture");
  CHECK(mb.call("GET", "/api/v2/clients", nullptr, reader).status == 200);
  auto forbidden = mb.call("PATCH", "/api/v2/clients/web", {{"name", "x"}}, reader);
  CHECK(forbidden.status == 403);
  CHECK(forbidden.body["errorCode"] == "insufficient_scope");
  CHECK(forbidden.body["message"].get<std::string>().find("update:clients") != std::string::npos);
  CHECK(mb.call("GET", "/api/v2/users", nullptr, reader).status == 403);

  mb.clock.advance(TokenIssuer::kAccessTokenLifetime);
  CHECK(mb.call("GET", "/api/v2/clients", nullptr, reader).status == 401);  // expired
}

TEST_CASE("management: PATCH refresh_token is validated strictly and saves nothing on error (R5-R7)") {
  testing::ManagedBroker mb;
  auto before = mb.call("GET", "/api/v2/clients/web");
  REQUIRE(before.status == 200);
  CHECK(before.body["refresh_token"]["rotation_type"] == "non-rotating");
  CHECK(before.body["refresh_token"]["expiration_type"] == "non-expiring");
  CHECK(before.body["refresh_token"]["token_lifetime"] == 2592000);
  CHECK_FALSE(before.body.contains("client_secret"));

  struct Row { const char* name; const char* body; const char* field; };
  const Row rows[] = {
      {"absolute below 1 s", R"({"expiration_type": "expiring", "token_lifetime": 0})", "refresh_token.token_lifetime"},
      {"absolute above a year", R"({"expiration_type": "expiring", "token_lifetime": 31557601})", "refresh_token.token_lifetime"},
      {"idle below 1 s", R"({"expiration_type": "expiring", "idle_token_lifetime": 0})", "refresh_token.idle_token_lifetime"},
      {"idle above a year", R"({"expiration_type": "expiring", "idle_token_lifetime": 31557601})", "refresh_token.idle_token_lifetime"},
      {"idle above absolute", R"({"expiration_type": "expiring", "token_lifetime": 100, "idle_token_lifetime": 101})",
       "refresh_token.idle_token_lifetime"},
      {"unknown rotation type", R"({"rotation_type": "sometimes"})", "refresh_token.rotation_type"},
      {"unknown expiration type", R"({"expiration_type": "forever"})", "refresh_token.expiration_type"},
      {"rotating with non-expiring (R6)", R"({"rotation_type": "rotating", "expiration_type": "non-expiring"})",
       "refresh_token.rotation_type"},
      {"lifetime as a string", R"({"expiration_type": "expiring", "token_lifetime": "3600"})", "refresh_token.token_lifetime"},
      {"lifetime as a fraction", R"({"expiration_type": "expiring", "token_lifetime": 3600.5})", "refresh_token.token_lifetime"},
      {"flag as a string", R"({"infinite_token_lifetime": "false"})", "refresh_token.infinite_token_lifetime"},
      {"negative leeway", R"({"leeway": -1})", "refresh_token.leeway"},
      {"unknown key", R"({"rotation": "rotating"})", "refresh_token.rotation"},
      {"not an object", R"("rotating")", "refresh_token"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto r = mb.call("PATCH", "/api/v2/clients/web", {{"refresh_token", nlohmann::json::parse(row.body)}, {"name", "Renamed"}});
    CHECK(r.status == 400);
    CHECK(r.body["statusCode"] == 400);
    CHECK(r.body["errorCode"] == "invalid_body");
    CHECK(r.body["message"].get<std::string>().rfind(row.field, 0) == 0);
  }
  auto unchanged = mb.call("GET", "/api/v2/clients/web");
  CHECK(unchanged.body == before.body);  // not even the valid "name" was saved

  // The boundaries themselves are accepted.
  auto low = mb.call("PATCH", "/api/v2/clients/web",
                     {{"refresh_token", {{"rotation_type", "rotating"}, {"expiration_type", "expiring"},
                                         {"token_lifetime", 1}, {"idle_token_lifetime", 1}, {"leeway", 0}}}});
  REQUIRE(low.status == 200);
  CHECK(low.body["refresh_token"]["token_lifetime"] == 1);
  auto high = mb.call("PATCH", "/api/v2/clients/web",
                      {{"refresh_token", {{"token_lifetime", 31557600}, {"idle_token_lifetime", 31557600}}}});
  REQUIRE(high.status == 200);
  auto stored = mb.call("GET", "/api/v2/clients/web");
  CHECK(stored.body["refresh_token"] == nlohmann::json{{"rotation_type", "rotating"},
                                                        {"expiration_type", "expiring"},
                                                        {"token_lifetime", 31557600},
                                                        {"infinite_token_lifetime", false},
                                                        {"idle_token_lifetime", 31557600},
                                                        {"infinite_idle_token_lifetime", false},
                                                        {"leeway", 0}});
  // The policy the token endpoint uses is the stored one.
  CHECK((*mb.broker->clients().find("web"))->settings.refresh_token.rotating);
}

TEST_CASE("management: other client fields are checked like the config, and ids and secrets cannot be patched") {
  testing::ManagedBroker mb;
  auto bad_url = mb.call("PATCH", "/api/v2/clients/web", {{"redirect_uris", {"not a url"}}});
  CHECK(bad_url.status == 400);
  CHECK(bad_url.body["message"].get<std::string>().rfind("redirect_uris[0]", 0) == 0);
  CHECK(mb.call("PATCH", "/api/v2/clients/web", {{"client_secret", "x"}}).status == 400);
  CHECK(mb.call("PATCH", "/api/v2/clients/web", {{"client_id", "other"}}).status == 400);
  CHECK(mb.call("PATCH", "/api/v2/clients/web", {{"colour", "blue"}}).body["message"] == "colour: unknown key");
  CHECK(mb.call("PATCH", "/api/v2/clients/ghost", {{"name", "x"}}).status == 404);
  auto ok = mb.call("PATCH", "/api/v2/clients/web", {{"name", "Web shop"}, {"allowed_logout_urls", {"https://app.test/bye"}}});
  CHECK(ok.status == 200);
  CHECK(ok.body["name"] == "Web shop");
  CHECK(ok.body["redirect_uris"] == nlohmann::json{"https://app.test/cb"});
  // The secret still works after a PATCH.
  CHECK(testing::log_in(mb).location.find("code=") != std::string::npos);
}

TEST_CASE("management: create, list, rotate the secret of, and delete a client") {
  testing::ManagedBroker mb;
  auto created = mb.call("POST", "/api/v2/clients",
                         {{"name", "Reports"}, {"app_type", "non_interactive"}, {"management_scopes", {"read:users"}}});
  REQUIRE(created.status == 201);
  std::string id = created.body["client_id"];
  std::string secret = created.body["client_secret"];
  CHECK(secret.size() >= 43);
  CHECK_FALSE(mb.call("GET", "/api/v2/clients/" + id).body.contains("client_secret"));
  CHECK(!mb.management_token(id, secret).empty());

  auto rotated = mb.call("POST", "/api/v2/clients/" + id + "/rotate-secret");
  REQUIRE(rotated.status == 200);
  std::string new_secret = rotated.body["client_secret"];
  CHECK(new_secret != secret);
  auto old = mb.client.Post("/oauth/token", {httplib::make_basic_authentication_header(id, secret)},
                            httplib::Params{{"grant_type", "client_credentials"}});
  CHECK(old->status == 401);
  CHECK(!mb.management_token(id, new_secret).empty());

  auto spa = mb.call("POST", "/api/v2/clients", {{"client_id", "new-spa"}, {"app_type", "spa"},
                                                 {"redirect_uris", {"https://new.test/cb"}}});
  REQUIRE(spa.status == 201);
  CHECK_FALSE(spa.body.contains("client_secret"));
  CHECK(mb.call("POST", "/api/v2/clients", {{"client_id", "new-spa"}, {"app_type", "spa"}}).status == 409);
  CHECK(mb.call("POST", "/api/v2/clients", {{"client_secret", "mine"}}).status == 400);
  CHECK(mb.call("POST", "/api/v2/clients", {{"app_type", "robot"}}).body["message"].get<std::string>().rfind("app_type", 0) == 0);

  auto page = mb.call("GET", "/api/v2/clients?per_page=2&page=0&include_totals=true");
  REQUIRE(page.status == 200);
  CHECK(page.body["clients"].size() == 2);
  CHECK(page.body["total"] == 7);  // web, spa, m2m, admin-api, the dashboard, and the two created here
  CHECK(mb.call("GET", "/api/v2/clients?per_page=0").status == 400);

  CHECK(mb.call("DELETE", "/api/v2/clients/" + id).status == 204);
  CHECK(mb.call("GET", "/api/v2/clients/" + id).status == 404);
  CHECK(mb.call("DELETE", "/api/v2/clients/" + id).status == 404);
  CHECK(mb.call("PATCH", "/api/v2/clients/web", nullptr).status == 400);  // no body
}

}  // namespace passerelle
