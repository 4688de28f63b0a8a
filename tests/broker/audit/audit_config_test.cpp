// "audit": {"retention_days"}: its default, its range and its errors, and
// retention through the broker's own store and sweeper function.
#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "config/config.h"
#include "storage/expiry_index.h"

namespace passerelle {

TEST_CASE("audit config: retention_days defaults to 30 and is checked") {
  auto parse = [](const char* audit) {
    return parse_config(nlohmann::json::parse(
        std::string(R"({"issuer": "https://id.example.com", "audit": )") + audit + "}"));
  };
  auto defaults = parse_config(nlohmann::json::parse(R"({"issuer": "https://id.example.com"})"));
  REQUIRE(defaults.has_value());
  CHECK(defaults->audit_retention_days == 30);
  CHECK(parse(R"({"retention_days": 90})")->audit_retention_days == 90);
  CHECK(parse(R"({"retention_days": 1})")->audit_retention_days == 1);
  struct Row {
    const char* audit;
    const char* message;
  };
  const Row rows[] = {
      {R"({"retention_days": 0})", "config: audit.retention_days: expected a positive integer"},
      {R"({"retention_days": 3651})", "config: audit.retention_days: must be at most 3650"},
      {R"({"retention_days": "30"})", "config: audit.retention_days: expected a positive integer"},
      {R"({"retention": 30})", "config: audit.retention: unknown key"},
      {R"(30)", "config: audit: expected an object"},
  };
  for (const Row& row : rows) {
    CAPTURE(std::string(row.audit));
    auto config = parse(row.audit);
    REQUIRE_FALSE(config.has_value());
    CHECK_MESSAGE(config.error().message.rfind(row.message, 0) == 0, config.error().message);
  }
}

TEST_CASE("audit config: the broker keeps events for retention_days, then the sweep removes them") {
  Config config = testing::test_config();
  config.audit_retention_days = 2;
  testing::BrokerFixture f(std::move(config));
  f.broker->audit().record({.type = audit::kLoginSuccess, .user_id = "u"});
  auto swept = storage::sweep_expired(f.broker->store(), f.clock.now() + 2 * 86400 - 1, 100);
  REQUIRE(swept.has_value());
  CHECK(f.broker->audit().search({}, true, 0, 10)->total == 1);
  swept = storage::sweep_expired(f.broker->store(), f.clock.now() + 2 * 86400, 100);
  CHECK(f.broker->audit().search({}, true, 0, 10)->total == 0);
}

}  // namespace passerelle
