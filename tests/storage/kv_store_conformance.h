// The meaning every backend of the storage interface must have (see
// storage/kv_store.h), as one set of checks each backend's tests run against
// their own stores: LMDB in lmdb/, PostgreSQL in postgres/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/kv_store.h"

namespace passerelle::testing {

using storage::KvStore;

struct BackendTraits {
  // Whether two write transactions can be open at once (PostgreSQL) or are
  // queued one after the other (LMDB). Only the first kind can race, so only
  // it is driven into the write-skew race.
  bool concurrent_writers = false;
};

// One-transaction helpers for the backends' own tests. value_of fails the
// test when the read fails.
Status put_value(KvStore& store, std::string_view table, std::string_view key, std::string_view value);
Result<std::optional<std::string>> get_value(KvStore& store, std::string_view table, std::string_view key);
std::optional<std::string> value_of(KvStore& store, std::string_view table, std::string_view key);

// Opens a new, empty store with the tables "t" and "u".
using EmptyStoreFactory = std::function<std::unique_ptr<KvStore>()>;

// Runs every check, each as a doctest SUBCASE on a store of its own. Call it
// from inside a TEST_CASE.
void kv_store_conformance(const EmptyStoreFactory& open_empty, BackendTraits traits);

}  // namespace passerelle::testing
