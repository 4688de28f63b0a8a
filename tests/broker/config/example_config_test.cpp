// The production example of broker/deploy/ is a valid config, and keeps the
// hardening it documents.

#include <doctest/doctest.h>

#include "config/config.h"

namespace passerelle {
namespace {

TEST_CASE("config: the deploy example is valid and hardened") {
  auto config = load_config_file(std::string(PASSERELLE_SOURCE_ROOT) + "/broker/deploy/passerelle.example.json");
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  CHECK(config->issuer.rfind("https://", 0) == 0);
  CHECK_FALSE(config->tls_certificate_file.empty());
  CHECK(config->signing_alg == "ES256");
  CHECK(config->log_level == LogLevel::kInfo);
  CHECK(config->brute_force_max_failures > 0);
  CHECK(config->login_per_minute > 0);
  CHECK(config->data_dir.rfind("/var/lib/", 0) == 0);
  REQUIRE(config->clients.size() == 1);
  const ClientConfig& client = config->clients[0];
  CHECK(client.require_mfa);
  CHECK(client.refresh_token.rotating);
  CHECK(client.refresh_token.leeway == 0);
  for (const auto& uri : client.redirect_uris) CHECK(uri.rfind("https://", 0) == 0);
}

}  // namespace
}  // namespace passerelle
