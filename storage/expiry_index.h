// Expiry of records that have a lifetime (sessions, codes, refresh tokens...).
// Whoever writes such a record registers its expiry in the same write
// transaction; sweep_expired (run by a Sweeper in the background) deletes the
// records that are due, with their index entries. Stateless functions; as
// thread-safe as the KvStore they are given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

// The two tables the index lives in. Include them in the store's table list
// (LmdbOptions::tables) next to the tables whose records expire.
std::vector<std::string> expiry_tables();

// Records that `key` in `table` expires at `expires_at` (seconds, or any unit
// the caller's `now` uses), replacing any earlier expiry of that record, so a
// renewed record is not swept at its old time. Fails with kInvalidArgument for
// an empty table or key, or when table.size() + key.size() exceeds 502 bytes
// (the index key adds 9 bytes and must fit in 511).
Status set_expiry(WriteTxn& txn, std::string_view table, std::string_view key, int64_t expires_at);

// Moves the expiry of a record to `at_least` when it has none or an earlier
// one; an expiry already as late stays, and nothing is written. For a
// record whose life an event may lengthen, set long enough at its creation
// that the event usually writes nothing.
Status extend_expiry(WriteTxn& txn, std::string_view table, std::string_view key, int64_t at_least);

// Forgets the expiry of a record; succeeds when it had none. Call it when
// deleting such a record yourself: a stale entry would otherwise delete a
// record later written under the same key without an expiry.
Status clear_expiry(WriteTxn& txn, std::string_view table, std::string_view key);

// The registered expiry of a record, or nullopt when it has none.
Result<std::optional<int64_t>> get_expiry(ReadTxn& txn, std::string_view table, std::string_view key);

// Deletes, in one write transaction, up to `max_records` records whose expiry
// is <= `now` (earliest first), and their index entries. Returns how many
// records were deleted; a caller draining a backlog calls again while the
// result equals max_records. Entries naming a table the store no longer has
// are dropped without being counted, so they cannot block the sweep.
Result<size_t> sweep_expired(KvStore& store, int64_t now, size_t max_records);

}  // namespace passerelle::storage
