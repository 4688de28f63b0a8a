#include "storage/lmdb/lmdb_kv_store.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "storage/kv_store_conformance.h"
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

// A key that tells its batch and index apart, for the map-growth tests.
std::string numbered_key(int batch, int i) {
  return "k" + std::to_string(batch) + "-" + std::to_string(i);
}

TEST_CASE("lmdb store: the storage conformance suite") {
  testing::TempDir root;
  int opened = 0;
  testing::kv_store_conformance(
      [&] {
        LmdbOptions options;
        options.path = root.path() + "/store-" + std::to_string(++opened);
        options.tables = {"t", "u"};
        return open_or_fail(options);
      },
      {.concurrent_writers = false});
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
    REQUIRE(testing::put_value(*store, "t", "kept", "yes"));
    REQUIRE(testing::put_value(*store, "u", "other", "too"));
  }
  options.tables.push_back("added-later");
  auto reopened = open_or_fail(options);
  CHECK(testing::value_of(*reopened, "t", "kept") == "yes");
  CHECK(testing::value_of(*reopened, "u", "other") == "too");
  CHECK(testing::value_of(*reopened, "added-later", "x") == std::nullopt);
}

TEST_CASE("lmdb store grows a small map as data arrives") {
  testing::TempDir dir;
  LmdbOptions options = options_in(dir);
  options.initial_map_size = size_t(256) << 10;
  options.durable = false;  // fsync is not under test here
  auto store = open_or_fail(options);
  const std::string value(16 << 10, 'x');
  for (int batch = 0; batch < 64; ++batch) {  // 4 MiB in all: 16 times the first map
    Status ok = store->update([&](WriteTxn& txn) -> Status {
      for (int i = 0; i < 4; ++i) {
        // A failed put is ignored on purpose: the store must notice by itself.
        (void)txn.put("t", numbered_key(batch, i), value);
      }
      return {};
    });
    REQUIRE_MESSAGE(ok, ok.error().to_string());
  }
  for (int batch = 0; batch < 64; ++batch) {
    CAPTURE(batch);
    CHECK(testing::value_of(*store, "t", numbered_key(batch, 3)) == value);
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
  for (int i = 0; i < 32; ++i) CHECK(testing::value_of(*store, "t", numbered_key(failed, i)) == std::nullopt);
  CHECK(testing::value_of(*store, "t", numbered_key(failed - 1, 31)) == value);
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
        auto read = testing::get_value(*store, "t", numbered_key(t * kBatches + b, 0));  // no REQUIRE off the main thread
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
