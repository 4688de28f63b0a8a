#include <doctest/doctest.h>

#include "storage/kv_store_conformance.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"
#include "storage/write_counter.h"

namespace passerelle::storage {
namespace {

TEST_CASE("put_if_changed writes a new or different value and skips the same one") {
  testing::TempDir dir;
  LmdbOptions options;
  options.path = dir.path();
  options.tables = {"t"};
  options.durable = false;
  auto store = open_lmdb_store(options);
  REQUIRE(store.has_value());
  auto writes_of = [&](std::string_view value) {
    return testing::writes_of(**store, [&](WriteTxn& txn) { return put_if_changed(txn, "t", "k", value); });
  };
  CHECK(writes_of("a") == 1);  // new
  CHECK(writes_of("a") == 0);  // the same
  CHECK(writes_of("b") == 1);  // different
  CHECK(writes_of("") == 1);   // empty differs from "b"
  CHECK(writes_of("") == 0);
  CHECK(testing::value_of(**store, "t", "k") == "");
  Status bad = (*store)->update([](WriteTxn& txn) { return put_if_changed(txn, "nope", "k", "v"); });
  CHECK_FALSE(bad.has_value());
}

}  // namespace
}  // namespace passerelle::storage
