// Clients in storage: lookup, secret verification, and seeding from the
// config file. Thread-safe (the state is in the KvStore; lookups reuse the
// decoded client while its stored bytes are unchanged).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "clients/client.h"
#include "store/decoded_record_cache.h"
#include "storage/kv_store.h"

namespace passerelle {

class ClientRegistry {
 public:
  explicit ClientRegistry(storage::KvStore& store) : store_(store) {}

  Result<std::optional<Client>> find(std::string_view client_id);

  // True when `secret` is the client's secret. Compared in constant time
  // over the HMAC of the secret, so neither length nor content leaks.
  static bool secret_matches(const Client& client, std::string_view secret);

  // Builds the stored form of a client from its settings (hashing the secret).
  static Client from_settings(const ClientConfig& settings);

  // Stores only a salted hash of `secret` in `client`.
  static void set_secret(Client& client, std::string_view secret);

  Status put(const Client& client);
  Result<std::vector<Client>> list();
  // kNotFound when there is no such client.
  Status remove(std::string_view client_id);

  // True when some client lists `origin` in its allowed_web_origins (CORS).
  Result<bool> web_origin_registered(std::string_view origin);

  // Loads the config's clients: created when missing, replaced only when
  // their entry in the file changed since it was seeded (run-time changes
  // made through the Management API survive a restart otherwise).
  Status seed(const std::vector<ClientConfig>& clients);

 private:
  static constexpr size_t kDecodedClients = 1024;

  storage::KvStore& store_;
  DecodedRecordCache<Client> decoded_{kDecodedClients};
};

}  // namespace passerelle
