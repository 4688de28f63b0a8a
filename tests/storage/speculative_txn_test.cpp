// A write transaction run ahead on a snapshot: what it reads and writes,
// when its reads are still current, and what it applies.

#include "storage/speculative_txn.h"

#include <doctest/doctest.h>

#include <functional>

#include "storage/kv_store_conformance.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

struct Store {
  testing::TempDir dir;
  std::unique_ptr<KvStore> kv;

  Store() {
    LmdbOptions options;
    options.path = dir.path();
    options.tables = {"t", "u"};
    options.durable = false;
    auto opened = open_lmdb_store(options);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().to_string());
    kv = std::move(*opened);
  }

  void put(std::string_view key, std::string_view value) { REQUIRE(testing::put_value(*kv, "t", key, value)); }

  // Runs `fn` ahead on a snapshot and returns what it kept.
  template <class Fn>
  SpeculativeTxn ahead(Fn fn) {
    std::optional<SpeculativeTxn> txn;
    REQUIRE(kv->view([&](ReadTxn& snapshot) -> Status {
      txn.emplace(snapshot);
      fn(*txn);
      txn->forget_snapshot();
      return {};
    }));
    return std::move(*txn);
  }

  bool unchanged(const SpeculativeTxn& txn) {
    bool same = false;
    REQUIRE(kv->view([&](ReadTxn& now) -> Status {
      auto r = txn.unchanged(now);
      if (!r) return fail(r.error());
      same = *r;
      return {};
    }));
    return same;
  }
};

std::optional<std::string> got(WriteTxn& txn, std::string_view table, std::string_view key) {
  auto value = txn.get(table, key);
  REQUIRE(value.has_value());
  return *value;
}

TEST_CASE("speculative txn: reads come from the snapshot, or from its own earlier writes") {
  Store s;
  s.put("a", "1");
  s.put("b", "2");
  auto txn = s.ahead([](SpeculativeTxn& t) {
    CHECK(got(t, "t", "a") == "1");
    REQUIRE(t.put("t", "a", "10"));
    CHECK(got(t, "t", "a") == "10");
    REQUIRE(t.del("t", "b"));
    CHECK(got(t, "t", "b") == std::nullopt);
    CHECK(got(t, "t", "missing") == std::nullopt);
    CHECK_FALSE(t.get("no-such-table", "a").has_value());
  });
  CHECK_FALSE(txn.needs_writer());
  CHECK_FALSE(txn.writes_nothing());
  // Nothing reached the store.
  CHECK(testing::value_of(*s.kv, "t", "a") == "1");
  CHECK(testing::value_of(*s.kv, "t", "b") == "2");
  CHECK(txn.get("t", "c").error().code == ErrorCode::kInternal);  // its snapshot is over
}

TEST_CASE("speculative txn: still current until a key it read changes, appears or goes") {
  Store s;
  s.put("a", "1");
  s.put("gone", "x");
  auto reader = [](SpeculativeTxn& t) {
    (void)got(t, "t", "a");
    (void)got(t, "t", "absent");
    (void)got(t, "t", "gone");
    REQUIRE(t.put("t", "written", "w"));  // its own writes are not reads
  };
  CHECK(s.unchanged(s.ahead(reader)));
  s.put("other", "y");  // a key it never read
  CHECK(s.unchanged(s.ahead(reader)));

  struct Row {
    const char* change;
    std::function<Status(WriteTxn&)> write;
    bool still_current;
  };
  const Row rows[] = {
      {"a value it read changed", [](WriteTxn& t) { return t.put("t", "a", "2"); }, false},
      {"a key it read as absent appeared", [](WriteTxn& t) { return t.put("t", "absent", "here"); }, false},
      {"a key it read was deleted", [](WriteTxn& t) { return t.del("t", "gone"); }, false},
      {"the value it read written again",
       [](WriteTxn& t) -> Status {
         auto a = t.get("t", "a");
         if (!a || !*a) return fail(Error::internal("no a"));
         return t.put("t", "a", **a);
       },
       true},
  };
  for (const Row& row : rows) {  // each on the store the rows before it left
    CAPTURE(row.change);
    auto txn = s.ahead(reader);
    REQUIRE(s.kv->update(row.write));
    CHECK(s.unchanged(txn) == row.still_current);
  }
}

TEST_CASE("speculative txn: apply writes what the function wrote, the last write of a key winning") {
  Store s;
  s.put("a", "1");
  s.put("b", "2");
  auto txn = s.ahead([](SpeculativeTxn& t) {
    REQUIRE(t.put("t", "a", "first"));
    REQUIRE(t.put("t", "a", "second"));
    REQUIRE(t.del("t", "b"));
    REQUIRE(t.put("u", "c", "3"));
    REQUIRE(t.del("t", "c-never-there"));
  });
  REQUIRE(s.kv->update([&](WriteTxn& w) { return txn.apply(w); }));
  CHECK(testing::value_of(*s.kv, "t", "a") == "second");
  CHECK(testing::value_of(*s.kv, "t", "b") == std::nullopt);
  CHECK(testing::value_of(*s.kv, "u", "c") == "3");

  auto bad = s.ahead([](SpeculativeTxn& t) { REQUIRE(t.put("no-such-table", "k", "v")); });
  Status refused = s.kv->update([&](WriteTxn& w) { return bad.apply(w); });
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("speculative txn: a scan or a count sends the function to the writer") {
  Store s;
  s.put("a", "1");
  auto read_only = s.ahead([](SpeculativeTxn& t) { (void)got(t, "t", "a"); });
  CHECK_FALSE(read_only.needs_writer());
  CHECK(read_only.writes_nothing());
  bool visited = false;
  auto scanning = s.ahead([&](SpeculativeTxn& t) {
    Status scanned = t.scan_prefix("t", "", [&](std::string_view, std::string_view) { return visited = true; });
    REQUIRE_FALSE(scanned.has_value());
    CHECK(scanned.error().code == ErrorCode::kConflict);
  });
  CHECK(scanning.needs_writer());
  CHECK_FALSE(visited);  // refused at once, not scanned for nothing
  auto counting = s.ahead([](SpeculativeTxn& t) { CHECK_FALSE(t.count("t").has_value()); });
  CHECK(counting.needs_writer());
}

}  // namespace
}  // namespace passerelle::storage
