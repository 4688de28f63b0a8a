#include "store_compaction.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::bench {
namespace {

storage::LmdbOptions options_in(const testing::TempDir& dir) {
  storage::LmdbOptions options;
  options.path = dir.path();
  options.tables = {"kept", "other"};
  options.durable = false;
  return options;
}

std::string key_of(int i) {
  return "key-" + std::to_string(i);
}

uintmax_t data_file_size(const testing::TempDir& dir) {
  return std::filesystem::file_size(std::filesystem::path(dir.path()) / "data.mdb");
}

// Many records in many transactions, then most of them deleted: LMDB keeps
// every page those deletions emptied on its free list.
void write_and_delete(const testing::TempDir& dir) {
  auto store = storage::open_lmdb_store(options_in(dir));
  REQUIRE(store.has_value());
  const std::string value(400, 'v');
  for (int batch = 0; batch < 20; ++batch) {
    auto st = (*store)->update([&](storage::WriteTxn& txn) -> Status {
      for (int i = batch * 500; i < (batch + 1) * 500; ++i) {
        if (auto put = txn.put("kept", key_of(i), value + std::to_string(i)); !put) return put;
      }
      return txn.put("other", key_of(batch), "x");
    });
    REQUIRE(st.has_value());
  }
  auto st = (*store)->update([&](storage::WriteTxn& txn) -> Status {
    for (int i = 0; i < 10000; ++i) {
      if (i % 10 == 0) continue;
      if (auto del = txn.del("kept", key_of(i)); !del) return del;
    }
    return {};
  });
  REQUIRE(st.has_value());
}

TEST_CASE("store compaction: keeps every record and drops the free pages") {
  testing::TempDir dir;
  write_and_delete(dir);
  const auto before = data_file_size(dir);

  auto compacted = compact_lmdb_store(dir.path());
  REQUIRE_MESSAGE(compacted.has_value(), compacted.error().to_string());

  CHECK(data_file_size(dir) < before / 4);
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(dir.path()) / "compacting"));
  auto store = storage::open_lmdb_store(options_in(dir));
  REQUIRE(store.has_value());
  auto st = (*store)->view([&](storage::ReadTxn& txn) -> Status {
    for (int i = 0; i < 10000; ++i) {
      auto found = txn.get("kept", key_of(i));
      REQUIRE(found.has_value());
      if (i % 10 == 0) {
        REQUIRE(found->has_value());
        CHECK(**found == std::string(400, 'v') + std::to_string(i));
      } else {
        CHECK_FALSE(found->has_value());
      }
    }
    auto count = txn.count("other");
    REQUIRE(count.has_value());
    CHECK(*count == 20);
    return {};
  });
  CHECK(st.has_value());
  // The store still takes writes.
  CHECK((*store)->update([](storage::WriteTxn& txn) { return txn.put("kept", "new", "value"); }).has_value());
}

TEST_CASE("store compaction: a directory without a store fails and is left as it was") {
  testing::TempDir dir;
  auto compacted = compact_lmdb_store(dir.path());
  REQUIRE_FALSE(compacted.has_value());
  CHECK(compacted.error().message.find("compact:") == 0);
  CHECK(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace passerelle::bench
