// A write transaction run ahead of its turn, on a read snapshot, so that a
// backend with one writer at a time (LMDB) keeps the writer's critical
// section short. The caller's function runs against the snapshot: its reads
// are answered from it (or from its own earlier writes) and remembered, and
// its writes are kept aside. In the writer's turn, `unchanged` checks that
// every key it read still holds what it read; if so, `apply` writes the kept
// puts and deletes, which is what the function would write there, since it
// would read the same values. Otherwise the function runs again in the
// writer, as without this. Either way the transaction stays serializable.
//
// Scans and counts are not remembered key by key: ahead of the writer they
// fail (kConflict) and mark the transaction `needs_writer`; the function must
// then simply run in the writer, whatever it returned.
// Backend-internal; one instance per transaction, not shared between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

class SpeculativeTxn final : public WriteTxn {
 public:
  explicit SpeculativeTxn(ReadTxn& snapshot) : snapshot_(&snapshot) {}

  Result<std::optional<std::string>> get(std::string_view table, std::string_view key) override;
  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override;
  Result<uint64_t> count(std::string_view table) override;
  Status put(std::string_view table, std::string_view key, std::string_view value) override;
  Status del(std::string_view table, std::string_view key) override;

  // Once the function has run: whether its outcome may not be taken from
  // the snapshot (it scanned or counted), and whether it wrote anything.
  bool needs_writer() const { return needs_writer_; }
  bool writes_nothing() const { return writes_.empty(); }

  // In the writer's transaction: whether every key read still holds what
  // the snapshot gave (absent included), then the kept writes. The snapshot
  // must not be used after the view that gave it has ended.
  Result<bool> unchanged(ReadTxn& txn) const;
  Status apply(WriteTxn& txn) const;
  void forget_snapshot() { snapshot_ = nullptr; }

 private:
  using Key = std::pair<std::string, std::string>;  // table, key

  ReadTxn* snapshot_;
  std::map<Key, std::optional<std::string>, std::less<>> reads_;
  std::map<Key, std::optional<std::string>, std::less<>> writes_;  // the latest of each; nullopt: deleted
  std::vector<std::pair<Key, std::optional<std::string>>> write_log_;  // every write, in the function's order
  bool needs_writer_ = false;
};

}  // namespace passerelle::storage
