#include "storage/expiry_index.h"

#include <doctest/doctest.h>

#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"
#include "storage/write_counter.h"

namespace passerelle::storage {
namespace {

// A store with two tables of expiring records, and the index tables.
class Fixture {
 public:
  Fixture() {
    LmdbOptions options;
    options.path = dir_.path();
    options.tables = expiry_tables();
    options.tables.insert(options.tables.end(), {"sessions", "codes"});
    options.durable = false;
    auto store = open_lmdb_store(options);
    REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
    store_ = std::move(*store);
  }

  KvStore& store() { return *store_; }

  // Writes a record and its expiry in one transaction, as callers should.
  void put_expiring(std::string_view table, std::string_view key, int64_t expires_at) {
    Status ok = store_->update([&](WriteTxn& txn) -> Status {
      if (auto put = txn.put(table, key, "record"); !put) return put;
      return set_expiry(txn, table, key, expires_at);
    });
    REQUIRE_MESSAGE(ok, ok.error().to_string());
  }

  bool exists(std::string_view table, std::string_view key) {
    bool found = false;
    REQUIRE(store_->view([&](ReadTxn& txn) -> Status {
      auto value = txn.get(table, key);
      if (!value) return fail(value.error());
      found = value->has_value();
      return {};
    }));
    return found;
  }

  std::optional<int64_t> expiry(std::string_view table, std::string_view key) {
    Result<std::optional<int64_t>> out = std::nullopt;
    REQUIRE(store_->view([&](ReadTxn& txn) -> Status {
      out = get_expiry(txn, table, key);
      return {};
    }));
    REQUIRE(out.has_value());
    return *out;
  }

  size_t sweep(int64_t now, size_t max_records = 100) {
    auto swept = sweep_expired(*store_, now, max_records);
    REQUIRE_MESSAGE(swept.has_value(), swept.error().to_string());
    return *swept;
  }

 private:
  testing::TempDir dir_;
  std::unique_ptr<KvStore> store_;
};

TEST_CASE("sweep deletes records whose expiry has come and keeps the others") {
  Fixture f;
  f.put_expiring("sessions", "past", 90);
  f.put_expiring("sessions", "now", 100);
  f.put_expiring("codes", "past", 50);
  f.put_expiring("sessions", "future", 101);
  REQUIRE(f.store().update([](WriteTxn& txn) { return txn.put("sessions", "forever", "record"); }));

  CHECK(f.sweep(100) == 3);
  struct Row {
    const char* table;
    const char* key;
    bool kept;
  };
  const Row rows[] = {{"sessions", "past", false},
                      {"sessions", "now", false},
                      {"codes", "past", false},
                      {"sessions", "future", true},
                      {"sessions", "forever", true}};
  for (const Row& row : rows) {
    CAPTURE(row.table);
    CAPTURE(row.key);
    CHECK(f.exists(row.table, row.key) == row.kept);
    if (!row.kept) CHECK(f.expiry(row.table, row.key) == std::nullopt);
  }
  CHECK(f.expiry("sessions", "future") == 101);
  CHECK(f.sweep(100) == 0);
}

TEST_CASE("a renewed expiry keeps the record past its old time") {
  Fixture f;
  f.put_expiring("sessions", "s1", 10);
  f.put_expiring("sessions", "s1", 100);  // renewed, e.g. the idle window moved
  CHECK(f.expiry("sessions", "s1") == 100);
  CHECK(f.sweep(50) == 0);
  CHECK(f.exists("sessions", "s1"));
  CHECK(f.sweep(100) == 1);
  CHECK_FALSE(f.exists("sessions", "s1"));
}

TEST_CASE("setting the same expiry again writes nothing; a new one moves the entry") {
  Fixture f;
  f.put_expiring("sessions", "s1", 100);
  auto set = [&](int64_t at) {
    return testing::writes_of(f.store(),
                              [&](WriteTxn& txn) { return set_expiry(txn, "sessions", "s1", at); });
  };
  CHECK(set(100) == 0);
  CHECK(set(200) == 3);  // the old time entry out, the new one in, the record's time replaced
  CHECK(f.expiry("sessions", "s1") == 200);
  CHECK(f.sweep(150) == 0);  // no entry left at the old time
  CHECK(f.sweep(200) == 1);
}

TEST_CASE("extending an expiry writes only when it moves it later") {
  Fixture f;
  f.put_expiring("codes", "c1", 100);
  auto extend = [&](std::string_view key, int64_t at_least) {
    return testing::writes_of(f.store(),
                              [&](WriteTxn& txn) { return extend_expiry(txn, "codes", key, at_least); });
  };
  CHECK(extend("c1", 50) == 0);  // already later
  CHECK(extend("c1", 100) == 0);
  CHECK(f.expiry("codes", "c1") == 100);
  CHECK(extend("c1", 150) == 3);  // moved, as set_expiry moves it
  CHECK(f.expiry("codes", "c1") == 150);
  CHECK(f.sweep(100) == 0);
  CHECK(f.sweep(150) == 1);
  CHECK(extend("c2", 70) == 2);  // none yet: set
  CHECK(f.expiry("codes", "c2") == 70);
}

TEST_CASE("a cleared expiry is never swept") {
  Fixture f;
  f.put_expiring("codes", "c1", 10);
  REQUIRE(f.store().update([](WriteTxn& txn) { return clear_expiry(txn, "codes", "c1"); }));
  CHECK(f.store().update([](WriteTxn& txn) { return clear_expiry(txn, "codes", "never-set"); }));
  CHECK(f.sweep(1000) == 0);
  CHECK(f.exists("codes", "c1"));
  CHECK(f.expiry("codes", "c1") == std::nullopt);
}

TEST_CASE("sweep respects max_records, earliest first") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.put_expiring("codes", "c" + std::to_string(i), 50 - i);  // c4 is earliest
  CHECK(f.sweep(100, 2) == 2);
  CHECK_FALSE(f.exists("codes", "c4"));
  CHECK_FALSE(f.exists("codes", "c3"));
  CHECK(f.exists("codes", "c2"));
  CHECK(f.sweep(100, 2) == 2);
  CHECK(f.sweep(100, 2) == 1);
  CHECK(f.sweep(100, 2) == 0);
  CHECK(f.sweep(100, 0) == 0);
}

TEST_CASE("expiry orders negative times and keeps keys with any byte") {
  Fixture f;
  const std::string odd_key("a\0b\xff", 4);
  f.put_expiring("sessions", odd_key, -5);
  f.put_expiring("sessions", "later", 3);
  CHECK(f.expiry("sessions", odd_key) == -5);
  CHECK(f.sweep(0) == 1);
  CHECK_FALSE(f.exists("sessions", odd_key));
  CHECK(f.exists("sessions", "later"));
}

TEST_CASE("expiry of a table the store no longer has is dropped without blocking the sweep") {
  Fixture f;
  REQUIRE(f.store().update([](WriteTxn& txn) { return set_expiry(txn, "retired", "k", 1); }));
  f.put_expiring("codes", "c1", 2);
  CHECK(f.sweep(10) == 1);
  CHECK(f.expiry("retired", "k") == std::nullopt);
  CHECK_FALSE(f.exists("codes", "c1"));
}

TEST_CASE("set_expiry rejects what the index cannot hold") {
  Fixture f;
  struct Row {
    const char* name;
    std::string table;
    std::string key;
  };
  const Row rows[] = {
      {"empty table", "", "k"},
      {"empty key", "codes", ""},
      {"NUL in table", std::string("co\0des", 6), "k"},
      {"too long", "codes", std::string(498, 'k')},  // 5 + 498 > 502
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    Status ok = f.store().update([&](WriteTxn& txn) { return set_expiry(txn, row.table, row.key, 1); });
    REQUIRE_FALSE(ok.has_value());
    CHECK(ok.error().code == ErrorCode::kInvalidArgument);
  }
  CHECK(f.store().update([](WriteTxn& txn) { return set_expiry(txn, "codes", std::string(497, 'k'), 1); }));
}

}  // namespace
}  // namespace passerelle::storage
