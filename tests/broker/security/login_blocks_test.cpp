// Brute-force blocks per (account, IP) and per-IP rate limits, with an
// injected clock.
#include "security/login_blocks.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "security/rate_limiter.h"

namespace passerelle {

TEST_CASE("login blocks: the 10th failure blocks the account for that IP only, until the period ends") {
  testing::BrokerFixture f;
  LoginBlocks blocks(f.broker->store(), f.clock, {10, 900});
  for (int i = 1; i <= 9; ++i) {
    auto started = blocks.record_failure("Alice@Example.test", "10.0.0.1");
    REQUIRE(started.has_value());
    CHECK_FALSE(*started);
  }
  CHECK(*blocks.blocked_for("alice@example.test", "10.0.0.1") == 0);
  CHECK(*blocks.record_failure("alice@example.test", "10.0.0.1"));
  CHECK(*blocks.blocked_for("ALICE@example.test", "10.0.0.1") == 900);
  CHECK(*blocks.blocked_for("alice@example.test", "10.0.0.2") == 0);
  CHECK(*blocks.blocked_for("bob@example.test", "10.0.0.1") == 0);
  auto listed = blocks.list("alice@example.test");
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].ip == "10.0.0.1");
  f.clock.advance(899);
  CHECK(*blocks.blocked_for("alice@example.test", "10.0.0.1") == 1);
  f.clock.advance(1);
  CHECK(*blocks.blocked_for("alice@example.test", "10.0.0.1") == 0);
  CHECK(blocks.list("alice@example.test")->empty());
  CHECK_FALSE(*blocks.record_failure("alice@example.test", "10.0.0.1"));  // counting starts afresh
}

TEST_CASE("login blocks: a success clears the count, an administrator lifts a block, 0 disables") {
  testing::BrokerFixture f;
  LoginBlocks blocks(f.broker->store(), f.clock, {3, 60});
  blocks.record_failure("a@example.test", "ip");
  blocks.record_failure("a@example.test", "ip");
  REQUIRE(blocks.record_success("a@example.test", "ip").has_value());
  CHECK_FALSE(*blocks.record_failure("a@example.test", "ip"));
  CHECK_FALSE(*blocks.record_failure("a@example.test", "ip"));
  CHECK(*blocks.record_failure("a@example.test", "ip"));
  REQUIRE(blocks.unblock("A@example.test").has_value());
  CHECK(*blocks.blocked_for("a@example.test", "ip") == 0);

  LoginBlocks off(f.broker->store(), f.clock, {0, 60});
  for (int i = 0; i < 20; ++i) CHECK_FALSE(*off.record_failure("b@example.test", "ip"));
  CHECK(*off.blocked_for("b@example.test", "ip") == 0);
}

TEST_CASE("rate limiter: a minute's budget as a burst, then refilled evenly") {
  ManualClock clock{testing::kStartTime};
  RateLimiter limiter(clock, 3);  // one request every 20 s
  CHECK(limiter.take("ip") == 0);
  CHECK(limiter.take("ip") == 0);
  CHECK(limiter.take("ip") == 0);
  CHECK(limiter.take("ip") == 20);
  CHECK(limiter.take("other") == 0);
  clock.advance(19);
  CHECK(limiter.take("ip") == 1);
  clock.advance(1);
  CHECK(limiter.take("ip") == 0);
  CHECK(limiter.take("ip") > 0);
  RateLimiter off(clock, 0);
  for (int i = 0; i < 100; ++i) CHECK(off.take("ip") == 0);
}

}  // namespace passerelle
