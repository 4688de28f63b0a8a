#include "storage/lmdb/lmdb_kv_store.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

LmdbOptions options_in(const testing::TempDir& dir) {
  LmdbOptions options;
  options.path = dir.path();
  options.tables = {"t", "u"};
  return options;
}

std::unique_ptr<KvStore> open_or_fail(const LmdbOptions& options) {
  auto store = open_lmdb_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
  return std::move(*store);
}

Status put(KvStore& store, std::string_view table, std::string_view key, std::string_view value) {
  return store.update([&](WriteTxn& txn) { return txn.put(table, key, value); });
}

Result<std::optional<std::string>> get(KvStore& store, std::string_view table, std::string_view key) {
  Result<std::optional<std::string>> out = std::nullopt;
  Status ok = store.view([&](ReadTxn& txn) -> Status {
    out = txn.get(table, key);
    return {};
  });
  if (!ok) return fail(ok.error());
  return out;
}

std::optional<std::string> value_of(KvStore& store, std::string_view table, std::string_view key) {
  auto value = get(store, table, key);
  REQUIRE_MESSAGE(value.has_value(), value.error().to_string());
  return *value;
}

// A key that tells its batch and index apart, for the map-growth tests.
std::string numbered_key(int batch, int i) {
  return "k" + std::to_string(batch) + "-" + std::to_string(i);
}

TEST_CASE("lmdb store puts, gets, replaces and deletes") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  REQUIRE(put(*store, "t", "alice", "1"));
  CHECK(value_of(*store, "t", "alice") == "1");
  CHECK(value_of(*store, "u", "alice") == std::nullopt);  // tables are separate
  REQUIRE(put(*store, "t", "alice", "2"));
  CHECK(value_of(*store, "t", "alice") == "2");
  REQUIRE(put(*store, "t", "empty", ""));
  CHECK(value_of(*store, "t", "empty") == "");
  REQUIRE(store->update([](WriteTxn& txn) { return txn.del("t", "alice"); }));
  CHECK(value_of(*store, "t", "alice") == std::nullopt);
  CHECK(store->update([](WriteTxn& txn) { return txn.del("t", "never-written"); }));
}

TEST_CASE("lmdb store rejects unknown tables and bad key lengths") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  CHECK(get(*store, "nope", "k").error().code == ErrorCode::kInvalidArgument);
  CHECK(put(*store, "nope", "k", "v").error().code == ErrorCode::kInvalidArgument);
  CHECK(store->update([](WriteTxn& txn) { return txn.del("nope", "k"); }).error().code ==
        ErrorCode::kInvalidArgument);
  Status scan =
      store->view([](ReadTxn& txn) { return txn.scan_prefix("nope", "", [](auto, auto) { return true; }); });
  CHECK(scan.error().code == ErrorCode::kInvalidArgument);

  struct Row {
    const char* name;
    size_t length;
    bool ok;
  };
  const Row rows[] = {
      {"empty", 0, false}, {"one byte", 1, true}, {"511 bytes", 511, true}, {"512 bytes", 512, false}};
  for (const Row& row : rows) {
    CAPTURE(row.name);
    std::string key(row.length, 'k');
    Status written = put(*store, "t", key, "v");
    CHECK(written.has_value() == row.ok);
    if (!row.ok) CHECK(written.error().code == ErrorCode::kInvalidArgument);
    if (!row.ok) CHECK(get(*store, "t", key).error().code == ErrorCode::kInvalidArgument);
    if (row.ok) CHECK(value_of(*store, "t", key) == "v");
  }
}

TEST_CASE("open_lmdb_store rejects bad options") {
  testing::TempDir dir;
  struct Row {
    const char* name;
    void (*change)(LmdbOptions&);
  };
  const Row rows[] = {
      {"empty path", [](LmdbOptions& o) { o.path.clear(); }},
      {"empty table name", [](LmdbOptions& o) { o.tables.push_back(""); }},
      {"duplicate table", [](LmdbOptions& o) { o.tables.push_back("t"); }},
      {"NUL in table name", [](LmdbOptions& o) { o.tables.push_back(std::string("a\0b", 3)); }},
      {"zero map size", [](LmdbOptions& o) { o.initial_map_size = 0; }},
      {"initial above max", [](LmdbOptions& o) { o.max_map_size = o.initial_map_size - 1; }},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    LmdbOptions options = options_in(dir);
    row.change(options);
    auto store = open_lmdb_store(options);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("lmdb store creates a missing directory and keeps data across reopen") {
  testing::TempDir dir;
  LmdbOptions options = options_in(dir);
  options.path = dir.path() + "/nested/db";
  {
    auto store = open_or_fail(options);
    REQUIRE(put(*store, "t", "kept", "yes"));
    REQUIRE(put(*store, "u", "other", "too"));
  }
  options.tables.push_back("added-later");
  auto reopened = open_or_fail(options);
  CHECK(value_of(*reopened, "t", "kept") == "yes");
  CHECK(value_of(*reopened, "u", "other") == "too");
  CHECK(value_of(*reopened, "added-later", "x") == std::nullopt);
}

TEST_CASE("lmdb update is all or nothing") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  auto put_three = [](WriteTxn& txn) -> Status {
    for (const char* key : {"a", "b", "c"}) {
      if (auto ok = txn.put("t", key, "v"); !ok) return ok;
    }
    return txn.put("u", "d", "v");
  };

  SUBCASE("a failing function leaves none of its writes") {
    Status result = store->update([&](WriteTxn& txn) -> Status {
      if (auto ok = put_three(txn); !ok) return ok;
      return fail(Error::conflict("changed my mind"));
    });
    CHECK(result.error().code == ErrorCode::kConflict);
    CHECK(result.error().message == "changed my mind");
    for (const char* key : {"a", "b", "c"}) CHECK(value_of(*store, "t", key) == std::nullopt);
    CHECK(value_of(*store, "u", "d") == std::nullopt);
  }
  SUBCASE("a throwing function leaves none of its writes and reports kInternal") {
    Status result = store->update([&](WriteTxn& txn) -> Status {
      (void)put_three(txn);
      throw std::runtime_error("bug");
    });
    CHECK(result.error().code == ErrorCode::kInternal);
    CHECK(value_of(*store, "t", "a") == std::nullopt);
    CHECK(put(*store, "t", "after", "ok"));  // no transaction was left open
    CHECK(store->view([](ReadTxn&) -> Status { throw std::runtime_error("bug"); }).error().code ==
          ErrorCode::kInternal);
  }
  SUBCASE("a successful function keeps all of its writes") {
    REQUIRE(store->update(put_three));
    for (const char* key : {"a", "b", "c"}) CHECK(value_of(*store, "t", key) == "v");
    CHECK(value_of(*store, "u", "d") == "v");
  }
}

TEST_CASE("lmdb snapshot taken before a commit does not see it") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  REQUIRE(put(*store, "t", "k", "old"));
  std::promise<void> snapshot_taken, write_committed;
  std::optional<std::string> before, after;
  std::thread reader([&] {
    Status ok = store->view([&](ReadTxn& txn) -> Status {
      before = txn.get("t", "k").value();
      snapshot_taken.set_value();
      write_committed.get_future().wait();
      after = txn.get("t", "k").value();
      return {};
    });
    CHECK(ok);
  });
  snapshot_taken.get_future().wait();
  CHECK(put(*store, "t", "k", "new"));
  write_committed.set_value();
  reader.join();
  CHECK(before == "old");
  CHECK(after == "old");
  CHECK(value_of(*store, "t", "k") == "new");
}

TEST_CASE("lmdb readers on other threads proceed while a write transaction is open") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  REQUIRE(put(*store, "t", "k", "old"));
  std::promise<void> writer_in_txn, readers_done;
  std::shared_future<void> release = readers_done.get_future().share();
  std::thread writer([&] {
    Status ok = store->update([&](WriteTxn& txn) -> Status {
      if (auto put_ok = txn.put("t", "k", "new"); !put_ok) return put_ok;
      writer_in_txn.set_value();
      release.wait();
      return {};
    });
    CHECK(ok);
  });
  writer_in_txn.get_future().wait();
  std::vector<std::future<std::optional<std::string>>> reads(3);
  for (auto& read : reads) {
    read = std::async(std::launch::async, [&] { return value_of(*store, "t", "k"); });
  }
  for (auto& read : reads) {
    // A generous bound that only a blocked reader would reach; it keeps a
    // regression from hanging the suite (the writer is released below anyway).
    bool ready = read.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
    CHECK(ready);
    if (ready) CHECK(read.get() == "old");
  }
  readers_done.set_value();
  writer.join();
  CHECK(value_of(*store, "t", "k") == "new");
}

TEST_CASE("lmdb prefix scans visit matching keys in byte order") {
  testing::TempDir dir;
  auto store = open_or_fail(options_in(dir));
  const std::string keys[] = {"a", "ab", std::string("ab\0", 3), "abc", "abd", "ab\xff", "ac", "b"};
  REQUIRE(store->update([&](WriteTxn& txn) -> Status {
    for (const std::string& key : keys) {
      if (auto ok = txn.put("t", key, "v:" + key); !ok) return ok;
    }
    return {};
  }));
  auto scan = [&](std::string_view prefix, size_t limit) {
    std::vector<std::string> seen;
    Status ok = store->view([&](ReadTxn& txn) {
      return txn.scan_prefix("t", prefix, [&](std::string_view key, std::string_view value) {
        CHECK(value == "v:" + std::string(key));
        seen.emplace_back(key);
        return seen.size() < limit;
      });
    });
    REQUIRE(ok);
    return seen;
  };
  using Keys = std::vector<std::string>;
  struct Row {
    const char* name;
    std::string prefix;
    size_t limit;
    Keys expected;
  };
  const Row rows[] = {
      {"prefix ab", "ab", 100, {"ab", std::string("ab\0", 3), "abc", "abd", "ab\xff"}},
      {"early stop", "ab", 2, {"ab", std::string("ab\0", 3)}},
      {"empty prefix is every key", "", 100, Keys(std::begin(keys), std::end(keys))},
      {"between keys", "aa", 100, {}},
      {"past the last key", "c", 100, {}},
      {"longer than any key", std::string(600, 'a'), 100, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(scan(row.prefix, row.limit) == row.expected);
  }
}

TEST_CASE("lmdb store grows a small map as data arrives") {
  testing::TempDir dir;
  LmdbOptions options = options_in(dir);
  options.initial_map_size = size_t(256) << 10;
  options.durable = false;  // fsync is not under test here
  auto store = open_or_fail(options);
  const std::string value(16 << 10, 'x');
  int most_runs = 0;
  for (int batch = 0; batch < 64; ++batch) {  // 4 MiB in all
    int runs = 0;
    Status ok = store->update([&](WriteTxn& txn) -> Status {
      ++runs;
      for (int i = 0; i < 4; ++i) {
        // A failed put is ignored on purpose: the store must notice by itself.
        (void)txn.put("t", numbered_key(batch, i), value);
      }
      return {};
    });
    REQUIRE_MESSAGE(ok, ok.error().to_string());
    most_runs = std::max(most_runs, runs);
  }
  CHECK(most_runs > 1);  // some transaction did overflow and was run again
  for (int batch = 0; batch < 64; ++batch) {
    CAPTURE(batch);
    CHECK(value_of(*store, "t", numbered_key(batch, 3)) == value);
  }
}

TEST_CASE("lmdb store fails cleanly at max_map_size") {
  testing::TempDir dir;
  LmdbOptions options = options_in(dir);
  options.initial_map_size = size_t(256) << 10;
  options.max_map_size = size_t(1) << 20;
  options.durable = false;
  auto store = open_or_fail(options);
  const std::string value(4 << 10, 'x');
  auto write_batch = [&](int batch) {
    return store->update([&](WriteTxn& txn) -> Status {
      for (int i = 0; i < 32; ++i) {
        if (auto ok = txn.put("t", numbered_key(batch, i), value); !ok) return ok;
      }
      return {};
    });
  };
  int batch = 0;
  Status last;
  for (; batch < 100 && last; ++batch) last = write_batch(batch);
  REQUIRE_FALSE(last.has_value());
  CHECK(last.error().code == ErrorCode::kUnavailable);
  const int failed = batch - 1;
  CHECK(failed > 0);
  for (int i = 0; i < 32; ++i) CHECK(value_of(*store, "t", numbered_key(failed, i)) == std::nullopt);
  CHECK(value_of(*store, "t", numbered_key(failed - 1, 31)) == value);
}

TEST_CASE("lmdb store grows the map safely under concurrent writers and readers") {
  testing::TempDir dir;
  LmdbOptions options = options_in(dir);
  options.initial_map_size = size_t(256) << 10;
  options.durable = false;
  auto store = open_or_fail(options);
  const std::string value(8 << 10, 'y');
  constexpr int kThreads = 4, kBatches = 32;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        Status ok = store->update([&](WriteTxn& txn) -> Status {
          for (int i = 0; i < 4; ++i) {
            if (auto put_ok = txn.put("t", numbered_key(t * kBatches + b, i), value); !put_ok) return put_ok;
          }
          return {};
        });
        CHECK(ok);
        auto read = get(*store, "t", numbered_key(t * kBatches + b, 0));  // no REQUIRE off the main thread
        CHECK((read.has_value() && *read == value));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  size_t count = 0;
  REQUIRE(store->view(
      [&](ReadTxn& txn) { return txn.scan_prefix("t", "k", [&](auto, auto) { return ++count, true; }); }));
  CHECK(count == size_t(kThreads * kBatches * 4));
}

}  // namespace
}  // namespace passerelle::storage
