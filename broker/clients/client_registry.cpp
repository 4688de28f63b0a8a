#include "clients/client_registry.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

std::string config_digest(const ClientConfig& c) {
  nlohmann::json j = c;
  j["client_secret"] = c.client_secret.value_or("");
  return sha256_hex(j.dump());
}

}  // namespace

Result<std::optional<Client>> ClientRegistry::find(std::string_view client_id) {
  return read_in_view(store_, [&](storage::ReadTxn& txn) { return decoded_.get(txn, tables::kClients, client_id); });
}

bool ClientRegistry::secret_matches(const Client& client, std::string_view secret) {
  if (client.secret_hash.empty()) return false;
  // Client secrets are long random strings, so a keyed fast hash is enough;
  // Argon2 on every token request would hand attackers a cheap DoS.
  std::string computed = hex_encode(hmac_sha256(client.secret_salt, secret));
  return constant_time_equals(computed, client.secret_hash);
}

Client ClientRegistry::from_settings(const ClientConfig& settings) {
  Client client;
  client.settings = settings;
  client.settings.client_secret.reset();
  client.seeded_from = config_digest(settings);
  if (settings.client_secret && !settings.client_secret->empty()) set_secret(client, *settings.client_secret);
  return client;
}

Status ClientRegistry::put(const Client& client) {
  return store_.update([&](storage::WriteTxn& txn) { return put_record(txn, tables::kClients, client.id(), client); });
}

Result<bool> ClientRegistry::web_origin_registered(std::string_view origin) {
  bool found = false;
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    Status inner;
    auto scan = txn.scan_prefix(tables::kClients, "", [&](std::string_view, std::string_view raw) {
      auto record = storage::decode_record(raw);
      if (!record) {
        inner = fail(record.error());
        return false;
      }
      const auto& origins = record->body["settings"].value("allowed_web_origins", nlohmann::json::array());
      found = std::find(origins.begin(), origins.end(), origin) != origins.end();
      return !found;
    });
    return scan ? inner : scan;
  });
  if (!st) return fail(st.error());
  return found;
}

Result<std::vector<Client>> ClientRegistry::list() {
  std::vector<Client> clients;
  auto st = store_.view([&](storage::ReadTxn& txn) {
    return scan_records<Client>(txn, tables::kClients, "", [&](std::string_view, Client&& c) {
      clients.push_back(std::move(c));
      return true;
    });
  });
  if (!st) return fail(st.error());
  return clients;
}

Status ClientRegistry::remove(std::string_view client_id) {
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto raw = txn.get(tables::kClients, client_id);
    if (!raw) return fail(raw.error());
    if (!*raw) return fail(Error::not_found("the client does not exist"));
    return txn.del(tables::kClients, client_id);
  });
}

void ClientRegistry::set_secret(Client& client, std::string_view secret) {
  client.secret_salt = hex_encode(random_bytes(16));
  client.secret_hash = hex_encode(hmac_sha256(client.secret_salt, secret));
}

Status ClientRegistry::seed(const std::vector<ClientConfig>& clients) {
  for (const auto& settings : clients) {
    auto existing = find(settings.client_id);
    if (!existing) return fail(existing.error());
    if (*existing && (*existing)->seeded_from == config_digest(settings)) continue;
    if (auto st = put(from_settings(settings)); !st) return st;
  }
  return {};
}

}  // namespace passerelle
