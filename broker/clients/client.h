// The stored client (application): its settings and a salted hash of its
// secret. The secret itself is never stored. Plain value type.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace passerelle {

struct Client {
  ClientConfig settings;    // settings.client_secret is always empty here
  std::string secret_salt;  // hex
  std::string secret_hash;  // hex of HMAC-SHA-256(salt, secret); empty for public clients
  std::string seeded_from;  // digest of the config entry that created it

  const std::string& id() const { return settings.client_id; }
};

void to_json(nlohmann::json& j, const RefreshTokenPolicy& p);
void from_json(const nlohmann::json& j, RefreshTokenPolicy& p);
void to_json(nlohmann::json& j, const ClientConfig& c);
void from_json(const nlohmann::json& j, ClientConfig& c);
void to_json(nlohmann::json& j, const Client& c);
void from_json(const nlohmann::json& j, Client& c);

}  // namespace passerelle
