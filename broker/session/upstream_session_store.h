// The upstream session record (tier 3 of ARCHITECTURE §2): what the broker
// learnt about the user's session at the IdP when they came back from it.
// A broker session links to one (BrokerSession::upstream_session_id); it
// ends with that session, or at the expiry the caller sets. Used to decide
// re-prompts and for federated logout. Thread-safe (state lives in the KvStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "storage/kv_store.h"

namespace passerelle {

struct UpstreamSession {
  std::string connection;
  std::string provider;
  std::string upstream_user_id;
  std::string user_id;  // the broker's user
  int64_t created_at = 0;
  // As the IdP told them; zero or empty when it did not.
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::string acr;
  std::string sid;
  int64_t token_expires_at = 0;
  std::string connector_data;  // the connector's, sealed by the caller
  int64_t expires_at = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(UpstreamSession, connection, provider, upstream_user_id, user_id,
                                                created_at, auth_time, amr, acr, sid, token_expires_at,
                                                connector_data, expires_at)

class UpstreamSessionStore {
 public:
  explicit UpstreamSessionStore(storage::KvStore& store) : store_(store) {}

  // Stores `session`; returns its new random id.
  Result<std::string> create(const UpstreamSession& session);
  Result<std::optional<UpstreamSession>> find(std::string_view id);
  // Deletes the record in a caller's transaction; a missing one is fine.
  static Status erase(storage::WriteTxn& txn, std::string_view id);

 private:
  storage::KvStore& store_;
};

}  // namespace passerelle
