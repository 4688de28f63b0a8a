// A broker on a real LMDB store in a temporary directory, with a manual
// clock and cheap password hashing, for tests of the broker's services.
#pragma once

#include <functional>
#include <memory>

#include <doctest/doctest.h>

#include "app/broker.h"
#include "config/config.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"
#include "store/tables.h"

namespace passerelle::testing {

inline constexpr int64_t kStartTime = 1'800'000'000;

// A config with one confidential web client, one public SPA, two machine
// clients (one with every Management API scope) and one user. Secrets here are test fixtures.
inline Config test_config() {
  auto config = parse_config(nlohmann::json::parse(R"({
    "issuer": "http://127.0.0.1:9",
    "session": {"idle_lifetime": 600, "absolute_lifetime": 3600},
    "clients": [
      {"client_id": "web", "client_secret": "web-secret-fixture", "name": "Web",
       "redirect_uris": ["https://app.test/cb"], "allowed_logout_urls": ["https://app.test/"]},
      {"client_id": "spa", "app_type": "spa", "redirect_uris": ["https://spa.test/cb", "https://other.test/cb"],
       "allowed_web_origins": ["https://spa.test"]},
      {"client_id": "m2m", "client_secret": "m2m-secret-fixture", "app_type": "non_interactive",
       "management_scopes": ["read:clients"]},
      {"client_id": "admin-api", "client_secret": "admin-api-secret-fixture", "app_type": "non_interactive",
       "management_scopes": ["read:clients", "create:clients", "update:clients", "delete:clients",
                             "update:client_keys", "read:users", "create:users", "update:users", "delete:users",
                             "read:sessions", "delete:sessions", "read:refresh_tokens", "delete:refresh_tokens",
                             "read:connections", "delete:guardian_enrollments", "read:logs"]}],
    "users": [{"email": "alice@example.test", "password": "alice-password"}]
  })"));
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return *config;
}

// A real LMDB store with every table of the broker, in `dir`/lmdb.
inline std::unique_ptr<storage::KvStore> open_test_lmdb(const std::string& dir,
                                                        size_t max_map_size = storage::LmdbOptions{}.max_map_size) {
  storage::LmdbOptions options;
  options.path = dir + "/lmdb";
  options.tables = tables::all_tables();
  options.max_map_size = max_map_size;
  options.initial_map_size = std::min(options.initial_map_size, max_map_size);
  auto store = storage::open_lmdb_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  return std::move(*store);
}

// Opens the store a fixture's broker runs on, given the fixture's folder:
// tests of storage faults wrap a real store in one that fails on demand.
using StoreOpener = std::function<std::unique_ptr<storage::KvStore>(const std::string& dir)>;

struct BrokerFixture {
  TempDir dir;
  ManualClock clock{kStartTime};
  std::unique_ptr<Broker> broker;

  explicit BrokerFixture(Config config = test_config(), const StoreOpener& open_store = {}) {
    config.data_dir = dir.path();
    PasswordHashCost cheap{1, 1024, 1};
    auto opened = open_store ? Broker::open(std::move(config), clock, open_store(dir.path()), cheap)
                             : Broker::open(std::move(config), clock, cheap);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    broker = std::move(*opened);
  }
};

}  // namespace passerelle::testing
