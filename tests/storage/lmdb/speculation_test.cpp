// The LMDB store runs each write's function ahead on a snapshot, so its
// single writer only checks and copies (speculative_txn.h). Whether a run
// happens before or in the writer's turn is seen through the group-size
// observer, which the writer calls before it runs a group.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "storage/kv_store_conformance.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

struct WatchedStore {
  testing::TempDir dir;
  std::atomic<int> groups{0};
  std::unique_ptr<KvStore> kv;

  WatchedStore() {
    LmdbOptions options;
    options.path = dir.path();
    options.tables = {"t"};
    options.durable = false;
    options.on_batch = [this](size_t) { ++groups; };
    auto opened = open_lmdb_store(options);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().to_string());
    kv = std::move(*opened);
  }
};

int number_in(WriteTxn& txn, std::string_view key) {
  auto value = txn.get("t", key);
  REQUIRE(value.has_value());
  return *value ? std::stoi(**value) : 0;
}

TEST_CASE("lmdb speculation: a write whose reads did not change runs once, before the writer's turn") {
  WatchedStore s;
  REQUIRE(testing::put_value(*s.kv, "t", "n", "41"));
  const int groups_before = s.groups;
  std::vector<int> groups_seen;
  REQUIRE(s.kv->update([&](WriteTxn& txn) {
    groups_seen.push_back(s.groups);
    return txn.put("t", "n", std::to_string(number_in(txn, "n") + 1));
  }));
  CHECK(groups_seen == std::vector<int>{groups_before});  // once, and not inside the group
  CHECK(s.groups == groups_before + 1);                  // its writes were still committed by the writer
  CHECK(testing::value_of(*s.kv, "t", "n") == "42");
}

TEST_CASE("lmdb speculation: a write whose reads changed before its turn runs again in the writer") {
  WatchedStore s;
  REQUIRE(testing::put_value(*s.kv, "t", "n", "1"));
  int runs = 0;
  std::vector<int> seen;
  REQUIRE(s.kv->update([&](WriteTxn& txn) {
    int n = number_in(txn, "n");
    seen.push_back(n);
    if (++runs == 1) {
      // Another writer commits a change to what this one just read.
      std::thread other([&] { REQUIRE(testing::put_value(*s.kv, "t", "n", "100")); });
      other.join();
    }
    return txn.put("t", "n", std::to_string(n + 1));
  }));
  CHECK(runs == 2);
  CHECK(seen == std::vector<int>{1, 100});
  CHECK(testing::value_of(*s.kv, "t", "n") == "101");  // neither write lost
}

TEST_CASE("lmdb speculation: a write that fails on its snapshot never reaches the writer") {
  WatchedStore s;
  const int groups_before = s.groups;
  Status failed = s.kv->update([](WriteTxn& txn) -> Status {
    if (auto ok = txn.put("t", "k", "v"); !ok) return ok;
    return fail(Error::conflict("no"));
  });
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message == "no");
  CHECK(s.groups == groups_before);
  CHECK(testing::value_of(*s.kv, "t", "k") == std::nullopt);
  // Nor does one that writes nothing.
  CHECK(s.kv->update([](WriteTxn& txn) { return txn.get("t", "k").map([](auto&&) {}); }));
  CHECK(s.groups == groups_before);
}

TEST_CASE("lmdb speculation: a write that scans or counts runs again in the writer") {
  WatchedStore s;
  REQUIRE(testing::put_value(*s.kv, "t", "a", "1"));
  const int groups_before = s.groups;
  std::vector<int> groups_seen;
  REQUIRE(s.kv->update([&](WriteTxn& txn) -> Status {
    groups_seen.push_back(s.groups);
    auto n = txn.count("t");
    if (!n) return fail(n.error());
    return txn.put("t", "count", std::to_string(*n));
  }));
  CHECK(groups_seen == std::vector<int>{groups_before, groups_before + 1});  // ahead, then in the group
  CHECK(testing::value_of(*s.kv, "t", "count") == "1");
}

}  // namespace
}  // namespace passerelle::storage
