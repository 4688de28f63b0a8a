#include "session/session_store.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "storage/kv_store_conformance.h"
#include "storage/write_counter.h"

namespace passerelle {

// The fixture's lifetimes: idle 600 s, absolute 3600 s.
TEST_CASE("sessions: the idle lifetime ends an unused session, to the second") {
  testing::BrokerFixture f;
  SessionStore& sessions = f.broker->sessions();
  auto s = sessions.login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(s.has_value());
  f.clock.advance(599);
  CHECK(sessions.find(s->cookie)->has_value());
  f.clock.advance(1);
  CHECK_FALSE(sessions.find(s->cookie)->has_value());
}

TEST_CASE("sessions: use renews the idle window but never the absolute lifetime") {
  testing::BrokerFixture f;
  SessionStore& sessions = f.broker->sessions();
  auto s = sessions.login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(s.has_value());
  for (int i = 0; i < 6; ++i) {
    f.clock.advance(500);
    REQUIRE(sessions.touch(s->cookie, "web").has_value());
  }
  // 3000 s in, idle renewed each time: still live.
  auto live = sessions.find(s->cookie);
  REQUIRE(live->has_value());
  CHECK((*live)->clients == std::vector<std::string>{"web"});
  f.clock.advance(599);  // 3599 s: the absolute limit is 3600 s
  CHECK(sessions.find(s->cookie)->has_value());
  f.clock.advance(1);
  CHECK_FALSE(sessions.find(s->cookie)->has_value());
  CHECK_FALSE(sessions.touch(s->cookie, "web").has_value());
}

TEST_CASE("sessions: what runs with a renewal commits with it, or neither does") {
  testing::BrokerFixture f;
  SessionStore& sessions = f.broker->sessions();
  auto s = sessions.login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(s.has_value());
  f.clock.advance(100);
  Status failed = sessions.touch(s->cookie, "web", [](storage::WriteTxn& txn) -> Status {
    if (auto st = txn.put("codes", "k1", "v"); !st) return st;
    return fail(Error::unavailable("injected"));
  });
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == ErrorCode::kUnavailable);
  auto unchanged = sessions.find(s->cookie);
  REQUIRE(unchanged->has_value());
  CHECK((*unchanged)->last_seen_at == testing::kStartTime);
  CHECK((*unchanged)->clients.empty());
  CHECK_FALSE(testing::value_of(f.broker->store(), "codes", "k1").has_value());

  REQUIRE(sessions.touch(s->cookie, "web", [](storage::WriteTxn& txn) { return txn.put("codes", "k2", "v"); }));
  auto renewed = sessions.find(s->cookie);
  CHECK((*renewed)->last_seen_at == testing::kStartTime + 100);
  CHECK(testing::value_of(f.broker->store(), "codes", "k2") == "v");
  // An ended session runs nothing.
  f.clock.advance(600);
  bool ran = false;
  CHECK_FALSE(sessions.touch(s->cookie, "web", [&](storage::WriteTxn&) -> Status {
    ran = true;
    return {};
  }).has_value());
  CHECK_FALSE(ran);
}

TEST_CASE("sessions: a second touch in the same second by a known client writes nothing") {
  testing::BrokerFixture f;
  auto s = f.broker->sessions().login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(s.has_value());
  testing::CountingStore counting(f.broker->store());
  SessionStore sessions(counting, f.clock, {600, 3600});
  f.clock.advance(100);
  REQUIRE(sessions.touch(s->cookie, "web"));
  CHECK(counting.writes > 0);

  counting.writes = 0;
  bool ran = false;
  REQUIRE(sessions.touch(s->cookie, "web", [&](storage::WriteTxn&) -> Status {
    ran = true;
    return {};
  }));
  CHECK(ran);
  CHECK(counting.writes == 0);

  // Another client joining, or the next second, is written.
  REQUIRE(sessions.touch(s->cookie, "spa"));
  CHECK(counting.writes > 0);
  counting.writes = 0;
  f.clock.advance(1);
  REQUIRE(sessions.touch(s->cookie, "web"));
  CHECK(counting.writes > 0);
  auto stored = sessions.find(s->cookie);
  REQUIRE(stored->has_value());
  CHECK((*stored)->last_seen_at == testing::kStartTime + 101);
  CHECK((*stored)->idle_expires_at == testing::kStartTime + 701);
  CHECK((*stored)->clients == std::vector<std::string>{"web", "spa"});
}

TEST_CASE("sessions: login regenerates the id and ends the old session (S3)") {
  testing::BrokerFixture f;
  SessionStore& sessions = f.broker->sessions();
  auto anonymous = sessions.create_anonymous();
  REQUIRE(anonymous.has_value());
  CHECK_FALSE(anonymous->session.authenticated);
  f.clock.advance(10);
  auto logged_in = sessions.login(anonymous->cookie, {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(logged_in.has_value());
  CHECK(logged_in->cookie != anonymous->cookie);
  CHECK(logged_in->session.sid != anonymous->session.sid);
  CHECK(logged_in->session.auth_time == testing::kStartTime + 10);
  CHECK(logged_in->session.absolute_expires_at == testing::kStartTime + 10 + 3600);
  CHECK_FALSE(sessions.find(anonymous->cookie)->has_value());
  CHECK(sessions.find(logged_in->cookie)->has_value());
}

TEST_CASE("sessions: only the cookie's hash is stored") {
  testing::BrokerFixture f;
  auto s = f.broker->sessions().login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(s.has_value());
  bool cookie_found = false, hash_found = false;
  REQUIRE(f.broker->store().view([&](storage::ReadTxn& txn) -> Status {
    cookie_found = txn.get("sessions", s->cookie)->has_value();
    hash_found = txn.get("sessions", SessionStore::storage_key(s->cookie))->has_value();
    return {};
  }).has_value());
  CHECK_FALSE(cookie_found);
  CHECK(hash_found);
}

TEST_CASE("sessions: destroy ends a session") {
  testing::BrokerFixture f;
  auto s = f.broker->sessions().login("", {"user_1", {"pwd"}, "", "db", ""});
  REQUIRE(f.broker->sessions().destroy(s->cookie).has_value());
  CHECK_FALSE(f.broker->sessions().find(s->cookie)->has_value());
  CHECK(f.broker->sessions().destroy(s->cookie).has_value());
}

}  // namespace passerelle
