#include "app/readiness.h"

#include "app/broker.h"

namespace passerelle {

Status probe_storage(storage::KvStore& store) {
  // An empty read transaction is enough: it has to open the environment's
  // reader slot and snapshot, which is what fails when storage is gone.
  return store.view([](storage::ReadTxn&) -> Status { return {}; });
}

bool probe_signing_keys(const KeyRing& keys) {
  nlohmann::json jwks = keys.jwks();
  return jwks.contains("keys") && jwks["keys"].is_array() && !jwks["keys"].empty();
}

std::optional<std::string> missing_connector(const std::vector<ConnectionConfig>& connections,
                                             const ConnectionRegistry& registry) {
  for (const auto& connection : connections) {
    if (connection.strategy == "database") continue;
    const OpenConnection* open = registry.find(connection.name);
    if (!open || !open->connector) return connection.name;
  }
  return std::nullopt;
}

std::optional<std::string> readiness_problem(Broker& broker) {
  if (!probe_storage(broker.store())) return "storage unavailable";
  if (!probe_signing_keys(broker.keys())) return "no signing key";
  if (auto name = missing_connector(broker.config().connections, broker.connections())) {
    return "connection \"" + *name + "\" not loaded";
  }
  return std::nullopt;
}

}  // namespace passerelle
