// Logins waiting at an upstream IdP: the browser was sent to the IdP with a
// random `state`; when it comes back to /login/callback, that state finds
// the login transaction, the connection, and the connector's state_data.
// A pending login is taken once (a replayed callback finds nothing) and
// lives as long as a login transaction. Stored under the SHA-256 of the
// state. Thread-safe (state lives in the KvStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "storage/kv_store.h"

namespace passerelle {

struct PendingUpstreamLogin {
  std::string tx_id;       // the login transaction to resume
  std::string connection;  // the connection the browser went to
  std::string state_data;  // the connector's, sealed by the caller
  int64_t expires_at = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PendingUpstreamLogin, tx_id, connection, state_data, expires_at)

class UpstreamLoginStore {
 public:
  UpstreamLoginStore(storage::KvStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Stores `login` (its expiry set here) under `state`, a random token the
  // caller made and sent upstream.
  Status put(std::string_view state, PendingUpstreamLogin login);
  // The live pending login for `state`, removed in the same transaction; nullopt
  // when unknown, already taken, or expired.
  Result<std::optional<PendingUpstreamLogin>> take(std::string_view state);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
};

}  // namespace passerelle
