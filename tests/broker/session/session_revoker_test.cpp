// Ending broker sessions: logout, by sid, all of a user's (S4), and the
// refresh-token families that end with them.
#include "session/session_revoker.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"

namespace passerelle {
namespace {

RefreshTokenPolicy policy(bool rotating) {
  RefreshTokenPolicy p;
  p.rotating = rotating;
  p.expiring = true;
  p.infinite_token_lifetime = false;
  p.token_lifetime = 86400;
  return p;
}

struct RevokerFixture : testing::BrokerFixture {
  explicit RevokerFixture(SessionEndRevokes revokes = SessionEndRevokes::kRotating)
      : BrokerFixture(with_revokes(revokes)) {}

  static Config with_revokes(SessionEndRevokes revokes) {
    Config c = testing::test_config();
    c.session_revokes = revokes;
    return c;
  }

  OpenSession log_in(const std::string& user_id) {
    auto opened = broker->sessions().login("", {user_id, {"pwd"}, "", "Username-Password-Authentication", ""});
    REQUIRE(opened.has_value());
    return *opened;
  }

  RefreshGrant issue(const OpenSession& s, bool rotating) {
    RefreshFamily family;
    family.client_id = "web";
    family.user_id = s.session.user_id;
    family.sid = s.session.sid;
    family.scope = "openid offline_access";
    auto grant = broker->refresh_tokens().issue(family, policy(rotating));
    REQUIRE(grant.has_value());
    return *grant;
  }

  bool revoked(const RefreshGrant& g) {
    auto f = broker->refresh_tokens().family(g.family.id);
    REQUIRE(f.has_value());
    REQUIRE(f->has_value());
    return (*f)->revoked;
  }

  size_t sessions_of(const std::string& user_id) {
    auto list = broker->sessions().list_for_user(user_id);
    REQUIRE(list.has_value());
    return list->size();
  }
};

}  // namespace

TEST_CASE("session revoker: logout ends the session and, by default, its rotating families") {
  RevokerFixture f;
  auto s = f.log_in("user_a");
  auto other = f.log_in("user_a");
  auto rotating = f.issue(s, true);
  auto fixed = f.issue(s, false);
  auto elsewhere = f.issue(other, true);
  CHECK(f.sessions_of("user_a") == 2);
  REQUIRE(f.broker->session_revoker().end_by_cookie(s.cookie).has_value());
  CHECK_FALSE(f.broker->sessions().find(s.cookie)->has_value());
  CHECK(f.sessions_of("user_a") == 1);
  CHECK(f.revoked(rotating));
  CHECK_FALSE(f.revoked(fixed));
  CHECK_FALSE(f.revoked(elsewhere));
  CHECK(f.broker->session_revoker().end_by_cookie("no-such-cookie").has_value());
}

TEST_CASE("session revoker: \"all\" and \"none\" settings") {
  SUBCASE("all") {
    RevokerFixture f(SessionEndRevokes::kAll);
    auto s = f.log_in("user_a");
    auto fixed = f.issue(s, false);
    REQUIRE(f.broker->session_revoker().end_by_cookie(s.cookie).has_value());
    CHECK(f.revoked(fixed));
  }
  SUBCASE("none") {
    RevokerFixture f(SessionEndRevokes::kNone);
    auto s = f.log_in("user_a");
    auto rotating = f.issue(s, true);
    REQUIRE(f.broker->session_revoker().end_by_cookie(s.cookie).has_value());
    CHECK_FALSE(f.revoked(rotating));
  }
}

TEST_CASE("session revoker: by sid and all of a user's sessions") {
  RevokerFixture f;
  auto a1 = f.log_in("user_a");
  auto a2 = f.log_in("user_a");
  auto b1 = f.log_in("user_b");
  auto by_sid = f.broker->session_revoker().end_by_sid(a1.session.sid);
  REQUIRE(by_sid.has_value());
  CHECK(*by_sid);
  CHECK_FALSE(*f.broker->session_revoker().end_by_sid(a1.session.sid));
  CHECK(f.sessions_of("user_a") == 1);
  REQUIRE(f.broker->session_revoker().end_all_for_user("user_a").has_value());
  CHECK(f.sessions_of("user_a") == 0);
  CHECK_FALSE(f.broker->sessions().find(a2.cookie)->has_value());
  CHECK(f.broker->sessions().find(b1.cookie)->has_value());
}

TEST_CASE("session revoker: expired sessions are not listed") {
  RevokerFixture f;
  f.log_in("user_a");
  CHECK(f.sessions_of("user_a") == 1);
  f.clock.advance(600);  // the fixture's idle lifetime
  CHECK(f.sessions_of("user_a") == 0);
}

}  // namespace passerelle
