// Brokers on a PostgreSQL database for the tests: the shared test config
// pointed at a database, and a StoreOpener that opens it as `passerelle
// serve` would.
#pragma once

#include <string>

#include "app/store_factory.h"
#include "broker/support/broker_fixture.h"

namespace passerelle::testing {

inline Config postgres_config(const std::string& url) {
  Config config = test_config();
  config.storage_backend = "postgres";
  config.storage_url = url;
  return config;
}

inline StoreOpener postgres_opener(const Config& config) {
  return [config](const std::string&) {
    auto store = open_configured_store(config);
    REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
    return std::move(*store);
  };
}

}  // namespace passerelle::testing
