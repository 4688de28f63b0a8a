// /api/v2/users, sessions and refresh tokens over real HTTP: S4 (a
// credential change ends the user's sessions), blocking, and revocation.
#include <doctest/doctest.h>

#include "broker/management/management_support.h"

namespace passerelle {
namespace {

// Logs alice in with offline_access and returns her refresh token.
std::string refresh_token_for_alice(testing::ManagedBroker& mb, testing::LoginResult& login) {
  login = testing::log_in(mb, "alice-password", "", "", "openid%20offline_access");
  auto r = mb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                          httplib::Params{{"grant_type", "authorization_code"},
                                          {"code", testing::query_value(login.location, "code")},
                                          {"redirect_uri", "https://app.test/cb"},
                                          {"code_verifier", testing::kVerifier}});
  REQUIRE(r->status == 200);
  return nlohmann::json::parse(r->body)["refresh_token"];
}

int refresh_status(testing::ManagedBroker& mb, const std::string& token) {
  return mb.client
      .Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
            httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}})
      ->status;
}

std::string silent_error(testing::ManagedBroker& mb, const std::string& cookie) {
  auto r = mb.client.Get(testing::authorize_path("&prompt=none").c_str(), mb.with_cookie(cookie));
  return testing::query_value(r->get_header_value("Location"), "error");
}

}  // namespace

TEST_CASE("management: create, find, page through and delete users") {
  testing::ManagedBroker mb;
  auto created = mb.call("POST", "/api/v2/users", {{"email", "bob@example.test"}, {"password", "bob-password"},
                                                   {"connection", "Username-Password-Authentication"},
                                                   {"name", "Bob"}});
  REQUIRE(created.status == 201);
  CHECK(created.body["email"] == "bob@example.test");
  CHECK(created.body["name"] == "Bob");
  CHECK_FALSE(created.body.contains("password"));
  CHECK_FALSE(created.body.dump().find("argon2") != std::string::npos);
  std::string bob = created.body["user_id"];
  CHECK(mb.call("POST", "/api/v2/users", {{"email", "BOB@example.test"}, {"password", "another-one"}}).status == 409);

  struct Row { const char* name; nlohmann::json body; const char* field; };
  const Row rows[] = {
      {"no email", {{"password", "long-enough"}}, "email"},
      {"bad email", {{"email", "bob"}, {"password", "long-enough"}}, "email"},
      {"short password", {{"email", "c@example.test"}, {"password", "short"}}, "password"},
      {"unknown key", {{"email", "c@example.test"}, {"password", "long-enough"}, {"nick", "c"}}, "nick"},
      {"wrong type", {{"email", "c@example.test"}, {"password", "long-enough"}, {"blocked", "yes"}}, "blocked"},
      {"not a database connection", {{"email", "c@example.test"}, {"password", "long-enough"}, {"connection", "x"}},
       "connection"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto r = mb.call("POST", "/api/v2/users", row.body);
    CHECK(r.status == 400);
    CHECK(r.body["message"].get<std::string>().rfind(row.field, 0) == 0);
  }

  auto all = mb.call("GET", "/api/v2/users?include_totals=true&per_page=1");
  REQUIRE(all.status == 200);
  CHECK(all.body["total"] == 2);
  CHECK(all.body["users"].size() == 1);
  auto second = mb.call("GET", "/api/v2/users?include_totals=true&per_page=1&page=1");
  CHECK(second.body["users"][0]["user_id"] != all.body["users"][0]["user_id"]);
  auto search = mb.call("GET", "/api/v2/users?q=BOB");
  REQUIRE(search.body.size() == 1);
  CHECK(search.body[0]["user_id"] == bob);
  CHECK(mb.call("GET", "/api/v2/users/" + bob).body["email"] == "bob@example.test");

  CHECK(mb.call("DELETE", "/api/v2/users/" + bob).status == 204);
  CHECK(mb.call("GET", "/api/v2/users/" + bob).status == 404);
  CHECK(mb.call("DELETE", "/api/v2/users/" + bob).status == 404);
  // The address is free again.
  CHECK(mb.call("POST", "/api/v2/users", {{"email", "bob@example.test"}, {"password", "bob-password"}}).status == 201);
}

TEST_CASE("management: a password change ends the user's sessions (S4)") {
  testing::ManagedBroker mb;
  auto login = testing::log_in(mb);
  CHECK(silent_error(mb, login.cookie).empty());
  auto sessions = mb.call("GET", "/api/v2/users/" + mb.alice_id() + "/sessions");
  REQUIRE(sessions.status == 200);
  REQUIRE(sessions.body["sessions"].size() == 1);
  CHECK(sessions.body["sessions"][0]["clients"][0]["client_id"] == "web");

  auto patched = mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"password", "a-new-password"}});
  REQUIRE(patched.status == 200);
  CHECK(silent_error(mb, login.cookie) == "login_required");
  CHECK(mb.call("GET", "/api/v2/users/" + mb.alice_id() + "/sessions").body["sessions"].empty());
  CHECK(testing::log_in(mb, "a-new-password").location.find("code=") != std::string::npos);

  SUBCASE("e-mail and phone changes too") {
    auto again = testing::log_in(mb, "a-new-password");
    auto r = mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"phone_number", "+33100000000"}});
    CHECK(r.body["phone_number"] == "+33100000000");
    CHECK(silent_error(mb, again.cookie) == "login_required");
  }
  SUBCASE("a name change does not") {
    auto again = testing::log_in(mb, "a-new-password");
    mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"name", "Alice A."}});
    CHECK(silent_error(mb, again.cookie).empty());
  }
  CHECK(mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"password", "short"}}).status == 400);
  CHECK(mb.call("PATCH", "/api/v2/users/user_nobody", {{"name", "x"}}).status == 404);
}

TEST_CASE("management: a blocked user cannot log in or refresh, and unblocking lets them log in again") {
  testing::ManagedBroker mb;
  testing::LoginResult login;
  std::string refresh = refresh_token_for_alice(mb, login);
  CHECK(refresh_status(mb, refresh) == 200);
  auto blocked = mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"blocked", true}});
  REQUIRE(blocked.status == 200);
  CHECK(blocked.body["blocked"] == true);
  CHECK(refresh_status(mb, refresh) == 400);
  CHECK(silent_error(mb, login.cookie) == "login_required");
  CHECK(testing::log_in(mb).location.empty());  // the form comes back instead of a redirect

  mb.call("PATCH", "/api/v2/users/" + mb.alice_id(), {{"blocked", false}});
  CHECK(testing::log_in(mb).location.find("code=") != std::string::npos);
}

TEST_CASE("management: list and revoke a user's refresh tokens and sessions") {
  testing::ManagedBroker mb;
  testing::LoginResult login;
  std::string refresh = refresh_token_for_alice(mb, login);
  auto listed = mb.call("GET", "/api/v2/users/" + mb.alice_id() + "/refresh-tokens");
  REQUIRE(listed.status == 200);
  REQUIRE(listed.body["tokens"].size() == 1);
  const auto& token = listed.body["tokens"][0];
  CHECK(token["client_id"] == "web");
  CHECK(token["rotating"] == false);
  CHECK(token["expires_at"].is_null());  // the seeded client's policy is non-expiring
  CHECK(token.dump().find(refresh) == std::string::npos);
  std::string id = token["id"];
  CHECK(mb.call("GET", "/api/v2/refresh-tokens/" + id).body["id"] == id);

  CHECK(mb.call("DELETE", "/api/v2/refresh-tokens/" + id).status == 204);
  CHECK(refresh_status(mb, refresh) == 400);
  CHECK(mb.call("GET", "/api/v2/users/" + mb.alice_id() + "/refresh-tokens").body["tokens"].empty());
  CHECK(mb.call("GET", "/api/v2/refresh-tokens/" + id).body["revoked"] == true);
  CHECK(mb.call("DELETE", "/api/v2/refresh-tokens/" + id).status == 404);

  auto sessions = mb.call("GET", "/api/v2/users/" + mb.alice_id() + "/sessions");
  REQUIRE(sessions.body["sessions"].size() == 1);
  std::string sid = sessions.body["sessions"][0]["id"];
  CHECK(mb.call("DELETE", "/api/v2/sessions/" + sid).status == 204);
  CHECK(silent_error(mb, login.cookie) == "login_required");
  CHECK(mb.call("DELETE", "/api/v2/sessions/" + sid).status == 404);
}

TEST_CASE("management: connections are listed without their options") {
  testing::ManagedBroker mb;
  auto list = mb.call("GET", "/api/v2/connections");
  REQUIRE(list.status == 200);
  REQUIRE(list.body.size() == 1);
  CHECK(list.body[0]["name"] == "Username-Password-Authentication");
  CHECK(list.body[0]["strategy"] == "database");
  CHECK_FALSE(list.body[0].contains("options"));
  std::string id = list.body[0]["id"];
  CHECK(mb.call("GET", "/api/v2/connections/" + id).body["name"] == "Username-Password-Authentication");
  CHECK(mb.call("GET", "/api/v2/connections/con_nope").status == 404);
}

}  // namespace passerelle
