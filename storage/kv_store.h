// The storage interface: a small transactional, ordered key-value store with
// named tables. Typed records live in the broker on top of it.
//
// Kept narrow on purpose so that a shared SQL backend can implement the same
// meaning later: a write transaction is atomic and serializable (either every
// put/delete in it is committed durably, or none is); a read transaction sees
// one consistent snapshot. Transactions are given as functions so that a
// backend may run them again (LMDB after growing a full map, a SQL backend
// after a serialization failure): the function must not have side effects
// outside the transaction, and must be prepared to run more than once.
//
// Thread-safety: a KvStore may be shared by any number of threads. A ReadTxn or
// WriteTxn belongs to the call that received it and must not escape it. Do not
// start a transaction from inside another one's function (a backend may
// deadlock: LMDB does on a write inside a write).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <passerelle/result.h>

namespace passerelle::storage {

class ReadTxn {
 public:
  virtual ~ReadTxn() = default;

  // The value stored under `key` in `table`, or nullopt when there is none.
  // Fails with kInvalidArgument for a table the store was not opened with.
  virtual Result<std::optional<std::string>> get(std::string_view table,
                                                 std::string_view key) = 0;

  // Calls `visit` for each key that starts with `prefix`, in ascending byte
  // order, until it returns false. The views are valid only during the call.
  // `visit` must not write to the transaction: collect keys, then write.
  virtual Status scan_prefix(
      std::string_view table, std::string_view prefix,
      const std::function<bool(std::string_view key, std::string_view value)>& visit) = 0;

  // The number of keys in `table`. This default counts them with a scan, in
  // time linear in the table; a backend that keeps the number (LMDB does, per
  // table) overrides it to answer in constant time. Fails like get().
  virtual Result<uint64_t> count(std::string_view table) {
    uint64_t n = 0;
    auto st = scan_prefix(table, "", [&n](std::string_view, std::string_view) {
      ++n;
      return true;
    });
    if (!st) return fail(st.error());
    return n;
  }
};

class WriteTxn : public ReadTxn {
 public:
  // Inserts or replaces the value under `key`. Keys are 1..511 bytes.
  virtual Status put(std::string_view table, std::string_view key, std::string_view value) = 0;
  // Deletes `key`; deleting a missing key succeeds.
  virtual Status del(std::string_view table, std::string_view key) = 0;
};

// Writes `value` under `key` unless exactly that is already there. A store
// may copy a page for every put (LMDB does), so rewriting an unchanged index
// entry on each renewal costs a page written and synced for nothing.
inline Status put_if_changed(WriteTxn& txn, std::string_view table, std::string_view key, std::string_view value) {
  auto current = txn.get(table, key);
  if (!current) return fail(current.error());
  if (*current && **current == value) return {};
  return txn.put(table, key, value);
}

class KvStore {
 public:
  KvStore() = default;
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;
  virtual ~KvStore() = default;

  // Runs `fn` in a read-only snapshot and returns what it returns.
  virtual Status view(const std::function<Status(ReadTxn&)>& fn) = 0;

  // Runs `fn` in a write transaction and commits it durably when `fn`
  // succeeds; when `fn` fails, nothing it wrote is kept and its error is
  // returned. Write transactions are serialized.
  virtual Status update(const std::function<Status(WriteTxn&)>& fn) = 0;
};

}  // namespace passerelle::storage
