// ReadTxn::count: LMDB's constant-time entry count, and the scanning
// default a backend without one inherits.

#include <doctest/doctest.h>

#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

Result<uint64_t> count_in(KvStore& store, std::string_view table) {
  Result<uint64_t> out = uint64_t{0};
  Status st = store.view([&](ReadTxn& txn) -> Status {
    out = txn.count(table);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

// A ReadTxn with only get and scan: count() is the interface's default.
class ScanOnlyTxn final : public ReadTxn {
 public:
  explicit ScanOnlyTxn(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  Result<std::optional<std::string>> get(std::string_view, std::string_view) override { return std::nullopt; }
  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    if (table != "t") return fail(Error::invalid_argument("unknown table"));
    for (const auto& k : keys_) {
      if (k.starts_with(prefix) && !visit(k, "")) break;
    }
    return {};
  }

 private:
  std::vector<std::string> keys_;
};

TEST_CASE("storage count: LMDB counts the keys of one table, deletes included") {
  testing::TempDir dir;
  LmdbOptions options;
  options.path = dir.path();
  options.tables = {"t", "u"};
  auto opened = open_lmdb_store(options);
  REQUIRE(opened.has_value());
  KvStore& store = **opened;
  CHECK(*count_in(store, "t") == 0);
  REQUIRE(store.update([](WriteTxn& txn) -> Status {
    for (const char* k : {"a", "b", "c", "a"}) {  // "a" twice: replaced, not added
      if (auto st = txn.put("t", k, "v"); !st) return st;
    }
    if (auto st = txn.put("u", "x", "v"); !st) return st;
    // Inside the write, the count already sees the transaction's own writes.
    auto n = txn.count("t");
    if (!n || *n != 3) return fail(Error::internal("count inside the write"));
    return {};
  }).has_value());
  CHECK(*count_in(store, "t") == 3);
  CHECK(*count_in(store, "u") == 1);
  REQUIRE(store.update([](WriteTxn& txn) { return txn.del("t", "b"); }).has_value());
  CHECK(*count_in(store, "t") == 2);
  auto unknown = count_in(store, "nope");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("storage count: the default counts with a scan") {
  ScanOnlyTxn txn({"a", "b", "c"});
  CHECK(*txn.count("t") == 3);
  CHECK_FALSE(txn.count("other").has_value());
}

}  // namespace
}  // namespace passerelle::storage
