// The decoded-record cache on a real LMDB store: unchanged bytes are not
// decoded again, changed bytes (another node's write) are, and the cache
// stays within its capacity.
#include "store/decoded_record_cache.h"

#include <doctest/doctest.h>

#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle {
namespace {

constexpr std::string_view kTable = "things";

// A record type that counts how often it is decoded.
struct Counted {
  std::string name;
  static inline int decoded = 0;
};
void to_json(nlohmann::json& j, const Counted& c) { j = {{"name", c.name}}; }
void from_json(const nlohmann::json& j, Counted& c) {
  ++Counted::decoded;
  c.name = j.at("name").get<std::string>();
}

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<storage::KvStore> store = open();

  std::unique_ptr<storage::KvStore> open() {
    storage::LmdbOptions options;
    options.path = dir.path();
    options.tables = {std::string(kTable)};
    options.durable = false;
    auto opened = storage::open_lmdb_store(options);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    return std::move(*opened);
  }

  void put(std::string_view key, std::string name) {
    auto st = store->update([&](storage::WriteTxn& txn) { return put_record(txn, kTable, key, Counted{name}); });
    REQUIRE(st.has_value());
  }

  std::optional<std::string> get(DecodedRecordCache<Counted>& cache, std::string_view key) {
    auto found = read_in_view(*store, [&](storage::ReadTxn& txn) { return cache.get(txn, kTable, key); });
    REQUIRE(found.has_value());
    if (!*found) return std::nullopt;
    return (*found)->name;
  }
};

TEST_CASE("a record read twice with the same bytes is decoded once") {
  Fixture f;
  DecodedRecordCache<Counted> cache(8);
  f.put("a", "first");
  Counted::decoded = 0;
  CHECK(f.get(cache, "a") == "first");
  CHECK(f.get(cache, "a") == "first");
  CHECK(f.get(cache, "a") == "first");
  CHECK(Counted::decoded == 1);
}

TEST_CASE("a record written behind the cache is decoded again at the next read") {
  Fixture f;
  DecodedRecordCache<Counted> cache(8);
  f.put("a", "first");
  CHECK(f.get(cache, "a") == "first");
  f.put("a", "second");  // as another node sharing the store would
  Counted::decoded = 0;
  CHECK(f.get(cache, "a") == "second");
  CHECK(Counted::decoded == 1);
  REQUIRE(f.store->update([](storage::WriteTxn& txn) { return txn.del(kTable, "a"); }).has_value());
  CHECK(f.get(cache, "a") == std::nullopt);
}

TEST_CASE("the cache keeps at most its capacity and still answers every key") {
  Fixture f;
  DecodedRecordCache<Counted> cache(2);
  for (std::string key : {"a", "b", "c"}) f.put(key, "name-" + key);
  Counted::decoded = 0;
  CHECK(f.get(cache, "a") == "name-a");
  CHECK(f.get(cache, "b") == "name-b");
  CHECK(f.get(cache, "c") == "name-c");  // past capacity: starts over with c
  CHECK(cache.size() == 1);
  CHECK(f.get(cache, "c") == "name-c");
  CHECK(Counted::decoded == 3);
  CHECK(f.get(cache, "a") == "name-a");
  CHECK(Counted::decoded == 4);
}

TEST_CASE("a record that does not decode is kCorruption and is not kept") {
  Fixture f;
  DecodedRecordCache<Counted> cache(8);
  REQUIRE(f.store->update([](storage::WriteTxn& txn) { return txn.put(kTable, "bad", "not a record"); }).has_value());
  auto found = read_in_view(*f.store, [&](storage::ReadTxn& txn) { return cache.get(txn, kTable, "bad"); });
  REQUIRE_FALSE(found.has_value());
  CHECK(found.error().code == ErrorCode::kCorruption);
  CHECK(cache.size() == 0);
}

}  // namespace
}  // namespace passerelle
