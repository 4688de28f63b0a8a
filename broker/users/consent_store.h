// The scopes each user granted each third-party client on the consent page.
// Thread-safe (state lives in the KvStore).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "storage/kv_store.h"

namespace passerelle {

struct Consent {
  std::vector<std::string> scopes;
  int64_t granted_at = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Consent, scopes, granted_at)

class ConsentStore {
 public:
  ConsentStore(storage::KvStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // True when the user granted the client every scope in `scope` (space-separated).
  Result<bool> covers(std::string_view user_id, std::string_view client_id, std::string_view scope);

  // Adds the scopes of `scope` to what the user granted the client.
  Status grant(std::string_view user_id, std::string_view client_id, std::string_view scope);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
};

}  // namespace passerelle
