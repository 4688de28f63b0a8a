// Behind a trusted proxy, per-address limits count the client the proxy
// names in X-Forwarded-For; from anyone else the header changes nothing.

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

Config limited_config(std::vector<std::string> trusted) {
  Config config = testing::test_config();
  config.token_per_minute = 2;
  for (const auto& text : trusted) config.trusted_proxies.push_back(*IpRange::parse(text));
  return config;
}

// A token request with no client authentication: 401 while the address has
// allowance left, 429 once it is spent.
int token_status(testing::RunningBroker& rb, const std::string& forwarded_for) {
  auto r = rb.client.Post("/oauth/token", {{"X-Forwarded-For", forwarded_for}}, "grant_type=password",
                          "application/x-www-form-urlencoded");
  REQUIRE(r);
  return r->status;
}

TEST_CASE("trusted proxy: rate limits count the forwarded client") {
  testing::RunningBroker rb(limited_config({"127.0.0.1"}));
  CHECK(token_status(rb, "198.51.100.1") == 401);
  CHECK(token_status(rb, "198.51.100.1") == 401);
  CHECK(token_status(rb, "198.51.100.1") == 429);
  // Another client behind the same proxy has its own allowance.
  CHECK(token_status(rb, "198.51.100.2") == 401);
}

TEST_CASE("trusted proxy: an untrusted peer cannot pick its address") {
  testing::RunningBroker rb(limited_config({"10.0.0.0/8"}));
  CHECK(token_status(rb, "198.51.100.1") == 401);
  CHECK(token_status(rb, "198.51.100.2") == 401);
  // The peer (127.0.0.1) is counted, whatever the header claims.
  CHECK(token_status(rb, "198.51.100.3") == 429);
}

}  // namespace
}  // namespace passerelle
