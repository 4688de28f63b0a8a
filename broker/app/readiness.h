// Whether the broker can serve logins right now, for GET /readyz: its
// storage answers a read transaction, it has a signing key to publish, and
// every configured upstream connection has its connector open. Each probe
// is a free function so tests can drive it on its own. Thread-safe: every
// probe only reads services that are themselves thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "connectors/connection_registry.h"
#include "storage/kv_store.h"
#include "tokens/key_ring.h"

namespace passerelle {

class Broker;

// Succeeds when a read transaction on `store` can be started and finished.
Status probe_storage(storage::KvStore& store);
// True when the JWKS the broker publishes holds at least one key.
bool probe_signing_keys(const KeyRing& keys);
// The first non-database connection of `connections` with no open connector
// in `registry`, or nullopt when all are open.
std::optional<std::string> missing_connector(const std::vector<ConnectionConfig>& connections,
                                             const ConnectionRegistry& registry);

// nullopt when the broker is ready, else a one-line reason such as
// "storage unavailable" (never a secret: reasons are fixed phrases and
// connection names).
std::optional<std::string> readiness_problem(Broker& broker);

}  // namespace passerelle
