// Brute-force protection and rate limits over real HTTP, and the
// Management API routes that lift them: user blocks and MFA resets.
#include <doctest/doctest.h>

#include "broker/management/management_support.h"

namespace passerelle {
namespace {

Config with_limits(int64_t login_per_minute, int64_t token_per_minute) {
  Config c = testing::test_config();
  c.login_per_minute = login_per_minute;
  c.token_per_minute = token_per_minute;
  return c;
}

// Posts the login form for the web client once as alice with `password`.
httplib::Result post_login(testing::ManagedBroker& mb, const std::string& password) {
  return testing::post_login(mb, "alice@example.test", password);
}

}  // namespace

TEST_CASE("brute force: ten failures block the account for this IP, even with the right password, until unblocked") {
  testing::ManagedBroker mb;
  for (int i = 1; i <= 9; ++i) CHECK(post_login(mb, "wrong")->status == 401);
  auto tenth = post_login(mb, "wrong");
  CHECK(tenth->status == 429);
  CHECK(tenth->body.find("blocked here for 15 minute(s)") != std::string::npos);
  auto right = post_login(mb, "alice-password");
  CHECK(right->status == 429);
  CHECK(right->get_header_value("Retry-After") == "900");

  std::string alice = mb.alice_id();
  auto blocks = mb.call("GET", "/api/v2/user-blocks/" + alice);
  REQUIRE(blocks.status == 200);
  REQUIRE(blocks.body["blocked_for"].size() == 1);
  CHECK(blocks.body["blocked_for"][0]["identifier"] == "alice@example.test");
  CHECK(blocks.body["blocked_for"][0]["ip"] == "127.0.0.1");
  CHECK(mb.call("GET", "/api/v2/user-blocks?identifier=Alice@example.test").body["blocked_for"].size() == 1);

  CHECK(mb.call("DELETE", "/api/v2/user-blocks/" + alice).status == 204);
  CHECK(mb.call("GET", "/api/v2/user-blocks/" + alice).body["blocked_for"].empty());
  CHECK(post_login(mb, "alice-password")->status == 302);
  CHECK(mb.call("DELETE", "/api/v2/user-blocks/user_nobody").status == 404);
  CHECK(mb.call("DELETE", "/api/v2/user-blocks").status == 400);  // no identifier

  SUBCASE("or until the block period ends") {
    for (int i = 1; i <= 10; ++i) post_login(mb, "wrong");
    CHECK(post_login(mb, "alice-password")->status == 429);
    mb.clock.advance(900);
    CHECK(post_login(mb, "alice-password")->status == 302);
  }
}

TEST_CASE("rate limits: POST /login and POST /oauth/token answer 429 with Retry-After past the budget") {
  testing::ManagedBroker mb(with_limits(2, 3));  // the fixture already spent one token request
  CHECK(post_login(mb, "wrong")->status == 401);
  CHECK(post_login(mb, "wrong")->status == 401);
  auto limited = post_login(mb, "alice-password");
  CHECK(limited->status == 429);
  CHECK(limited->get_header_value("Retry-After") == "30");

  httplib::Headers basic = {httplib::make_basic_authentication_header("m2m", "m2m-secret-fixture")};
  httplib::Params form{{"grant_type", "client_credentials"}};
  CHECK(mb.client.Post("/oauth/token", basic, form)->status == 200);
  CHECK(mb.client.Post("/oauth/token", basic, form)->status == 200);
  auto too_many = mb.client.Post("/oauth/token", basic, form);
  CHECK(too_many->status == 429);
  CHECK(too_many->get_header_value("Retry-After") == "20");
  CHECK(nlohmann::json::parse(too_many->body)["error"] == "too_many_requests");
  mb.clock.advance(20);
  CHECK(mb.client.Post("/oauth/token", basic, form)->status == 200);
}

TEST_CASE("management: DELETE /api/v2/users/{id}/authenticators resets the user's MFA") {
  testing::ManagedBroker mb;
  std::string alice = mb.alice_id();
  REQUIRE(mb.broker->mfa().pending_key(alice).has_value());
  REQUIRE(mb.broker->mfa().find(alice)->has_value());
  CHECK(mb.call("DELETE", "/api/v2/users/" + alice + "/authenticators").status == 204);
  CHECK_FALSE(mb.broker->mfa().find(alice)->has_value());
  CHECK(mb.call("DELETE", "/api/v2/users/user_nobody/authenticators").status == 404);
}

}  // namespace passerelle
