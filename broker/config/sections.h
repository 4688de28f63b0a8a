// Internal to the config module: one reader per part of the config file.
// Each throws JsonReadError (see json_reader.h) on the first problem; only
// config.cpp calls them, and it turns that into an Error. Pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/json_reader.h"

namespace passerelle::config_sections {

// "clients": the applications (client_schema.cpp).
std::vector<ClientConfig> read_clients(const JsonReader& root, int64_t refresh_token_max_lifetime);

// The "refresh_token" object at `path` over `base` (refresh_token_schema.cpp).
RefreshTokenPolicy read_refresh_token(const nlohmann::json& value, const std::string& path,
                                      const RefreshTokenPolicy& base, int64_t max_lifetime);

// "connections" (or the implied database connection) and "users"
// (directory_schema.cpp). Connections need the clients to check enabled_clients.
std::vector<ConnectionConfig> read_connections(const JsonReader& root,
                                               const std::vector<ClientConfig>& clients);
std::vector<UserConfig> read_users(const JsonReader& root);

// "tls" and "trusted_proxies": how the broker is reached (serving_schema.cpp).
// Needs the issuer already read: serving TLS requires an https issuer.
void read_serving(const JsonReader& root, Config& config);

// True when items[i] already appears before index i.
inline bool repeats_earlier(const std::vector<std::string>& items, size_t i) {
  for (size_t j = 0; j < i; ++j) {
    if (items[j] == items[i]) return true;
  }
  return false;
}

}  // namespace passerelle::config_sections
