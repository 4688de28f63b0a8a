#include "storage/kv_store_conformance.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace passerelle::testing {
namespace {

using storage::ReadTxn;
using storage::WriteTxn;

Result<uint64_t> count_in(KvStore& store, std::string_view table) {
  Result<uint64_t> out = uint64_t{0};
  Status st = store.view([&](ReadTxn& txn) -> Status {
    out = txn.count(table);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

std::vector<std::string> scan(KvStore& store, std::string_view prefix, size_t limit) {
  std::vector<std::string> seen;
  Status ok = store.view([&](ReadTxn& txn) {
    return txn.scan_prefix("t", prefix, [&](std::string_view key, std::string_view value) {
      CHECK(value == "v:" + std::string(key));
      seen.emplace_back(key);
      return seen.size() < limit;
    });
  });
  REQUIRE_MESSAGE(ok.has_value(), ok.error().to_string());
  return seen;
}

void puts_gets_replaces_and_deletes(KvStore& store) {
  REQUIRE(put_value(store, "t", "alice", "1"));
  CHECK(value_of(store, "t", "alice") == "1");
  CHECK(value_of(store, "u", "alice") == std::nullopt);  // tables are separate
  REQUIRE(put_value(store, "t", "alice", "2"));
  CHECK(value_of(store, "t", "alice") == "2");
  REQUIRE(put_value(store, "t", "empty", ""));
  CHECK(value_of(store, "t", "empty") == "");
  const std::string binary("\0\xff\n\x01", 4);
  REQUIRE(put_value(store, "t", binary, binary));
  CHECK(value_of(store, "t", binary) == binary);
  REQUIRE(store.update([](WriteTxn& txn) { return txn.del("t", "alice"); }));
  CHECK(value_of(store, "t", "alice") == std::nullopt);
  CHECK(store.update([](WriteTxn& txn) { return txn.del("t", "never-written"); }));
}

void rejects_unknown_tables_and_bad_keys(KvStore& store) {
  CHECK(get_value(store, "nope", "k").error().code == ErrorCode::kInvalidArgument);
  CHECK(put_value(store, "nope", "k", "v").error().code == ErrorCode::kInvalidArgument);
  CHECK(store.update([](WriteTxn& txn) { return txn.del("nope", "k"); }).error().code ==
        ErrorCode::kInvalidArgument);
  Status scanned =
      store.view([](ReadTxn& txn) { return txn.scan_prefix("nope", "", [](auto, auto) { return true; }); });
  CHECK(scanned.error().code == ErrorCode::kInvalidArgument);
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
    Status written = put_value(store, "t", key, "v");
    CHECK(written.has_value() == row.ok);
    if (!row.ok) CHECK(written.error().code == ErrorCode::kInvalidArgument);
    if (!row.ok) CHECK(get_value(store, "t", key).error().code == ErrorCode::kInvalidArgument);
    if (row.ok) CHECK(value_of(store, "t", key) == "v");
  }
}

void updates_are_all_or_nothing(KvStore& store) {
  auto put_three = [](WriteTxn& txn) -> Status {
    for (const char* key : {"a", "b", "c"}) {
      if (auto ok = txn.put("t", key, "v"); !ok) return ok;
    }
    return txn.put("u", "d", "v");
  };
  SUBCASE("a failing function leaves none of its writes") {
    Status result = store.update([&](WriteTxn& txn) -> Status {
      if (auto ok = put_three(txn); !ok) return ok;
      return fail(Error::conflict("changed my mind"));
    });
    CHECK(result.error().code == ErrorCode::kConflict);
    CHECK(result.error().message == "changed my mind");
    for (const char* key : {"a", "b", "c"}) CHECK(value_of(store, "t", key) == std::nullopt);
    CHECK(value_of(store, "u", "d") == std::nullopt);
  }
  SUBCASE("a throwing function leaves none of its writes and reports kInternal") {
    Status result = store.update([&](WriteTxn& txn) -> Status {
      (void)put_three(txn);
      throw std::runtime_error("bug");
    });
    CHECK(result.error().code == ErrorCode::kInternal);
    CHECK(value_of(store, "t", "a") == std::nullopt);
    CHECK(put_value(store, "t", "after", "ok"));  // no transaction was left open
    CHECK(store.view([](ReadTxn&) -> Status { throw std::runtime_error("bug"); }).error().code ==
          ErrorCode::kInternal);
  }
  SUBCASE("a successful function keeps all of its writes") {
    REQUIRE(store.update(put_three));
    for (const char* key : {"a", "b", "c"}) CHECK(value_of(store, "t", key) == "v");
    CHECK(value_of(store, "u", "d") == "v");
  }
}

void snapshot_does_not_see_later_commits(KvStore& store) {
  REQUIRE(put_value(store, "t", "k", "old"));
  std::promise<void> snapshot_taken, write_committed;
  std::optional<std::string> before, after;
  std::thread reader([&] {
    Status ok = store.view([&](ReadTxn& txn) -> Status {
      before = txn.get("t", "k").value();
      snapshot_taken.set_value();
      write_committed.get_future().wait();
      after = txn.get("t", "k").value();
      return {};
    });
    CHECK(ok);
  });
  snapshot_taken.get_future().wait();
  CHECK(put_value(store, "t", "k", "new"));
  write_committed.set_value();
  reader.join();
  CHECK(before == "old");
  CHECK(after == "old");
  CHECK(value_of(store, "t", "k") == "new");
}

void readers_proceed_during_a_write(KvStore& store) {
  REQUIRE(put_value(store, "t", "k", "old"));
  std::promise<void> writer_in_txn, readers_done;
  std::shared_future<void> release = readers_done.get_future().share();
  std::thread writer([&] {
    bool signalled = false;  // a backend may run the function again
    Status ok = store.update([&](WriteTxn& txn) -> Status {
      if (auto put_ok = txn.put("t", "k", "new"); !put_ok) return put_ok;
      if (!signalled) writer_in_txn.set_value();
      signalled = true;
      release.wait();
      return {};
    });
    CHECK(ok);
  });
  writer_in_txn.get_future().wait();
  std::vector<std::future<std::optional<std::string>>> reads(3);
  for (auto& read : reads) {
    read = std::async(std::launch::async, [&] { return value_of(store, "t", "k"); });
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
  CHECK(value_of(store, "t", "k") == "new");
}

void prefix_scans_in_byte_order(KvStore& store) {
  const std::string keys[] = {"a", "ab", std::string("ab\0", 3), "abc", "abd", "ab\xff", "ac", "b", "\xff\xff"};
  REQUIRE(store.update([&](WriteTxn& txn) -> Status {
    for (const std::string& key : keys) {
      if (auto ok = txn.put("t", key, "v:" + key); !ok) return ok;
    }
    return txn.put("u", "ab-elsewhere", "v");
  }));
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
      {"prefix of 0xFF bytes", "\xff", 100, {"\xff\xff"}},
      {"between keys", "aa", 100, {}},
      {"past the last key", "c", 100, {}},
      {"longer than any key", std::string(600, 'a'), 100, {}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(scan(store, row.prefix, row.limit) == row.expected);
  }
}

// Long enough to cross any page a backend reads a scan in.
void long_scans_see_every_key_once(KvStore& store) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1500; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "p%05d", i);
    keys.emplace_back(key);
  }
  REQUIRE(store.update([&](WriteTxn& txn) -> Status {
    for (const std::string& key : keys) {
      if (auto ok = txn.put("t", key, "v:" + key); !ok) return ok;
    }
    return txn.put("t", "q", "v:q");
  }));
  CHECK(scan(store, "p", 100000) == keys);
  CHECK(scan(store, "p", 700) == std::vector<std::string>(keys.begin(), keys.begin() + 700));
}

void counts_keys_of_one_table(KvStore& store) {
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

// Read-modify-write from several threads at once: no increment is lost.
void concurrent_increments_are_all_kept(KvStore& store) {
  constexpr int kThreads = 6, kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status ok = store.update([](WriteTxn& txn) -> Status {
          auto current = txn.get("t", "counter");
          if (!current) return fail(current.error());
          int n = *current ? std::stoi(**current) : 0;
          return txn.put("t", "counter", std::to_string(n + 1));
        });
        if (!ok) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  CHECK(value_of(store, "t", "counter") == std::to_string(kThreads * kEach));
}

// Two transactions each read "a" and "b" and turn their own on only when both
// are off: run serially, exactly one ends on. Snapshot isolation without
// serializability would let both see "off" and both write (write skew). The
// first run of each waits for the other to have read, to force the race.
void no_write_skew(KvStore& store, BackendTraits traits) {
  std::promise<void> a_read, b_read;
  std::shared_future<void> a_has_read = a_read.get_future().share(), b_has_read = b_read.get_future().share();
  auto guard = [&](const char* mine, std::promise<void>& i_read, std::shared_future<void> other_read) {
    bool first_run = true;
    return store.update([&](WriteTxn& txn) -> Status {
      auto a = txn.get("t", "a");
      auto b = txn.get("t", "b");
      if (!a) return fail(a.error());
      if (!b) return fail(b.error());
      if (first_run && traits.concurrent_writers) {
        first_run = false;
        i_read.set_value();
        other_read.wait();
      }
      if (*a || *b) return {};
      return txn.put("t", mine, "on");
    });
  };
  auto first = std::async(std::launch::async, [&] { return guard("a", a_read, b_has_read); });
  auto second = std::async(std::launch::async, [&] { return guard("b", b_read, a_has_read); });
  CHECK(first.get());
  CHECK(second.get());
  int on = (value_of(store, "t", "a") ? 1 : 0) + (value_of(store, "t", "b") ? 1 : 0);
  CHECK(on == 1);
}

}  // namespace

Status put_value(KvStore& store, std::string_view table, std::string_view key, std::string_view value) {
  return store.update([&](WriteTxn& txn) { return txn.put(table, key, value); });
}

Result<std::optional<std::string>> get_value(KvStore& store, std::string_view table, std::string_view key) {
  Result<std::optional<std::string>> out = std::nullopt;
  Status ok = store.view([&](ReadTxn& txn) -> Status {
    out = txn.get(table, key);
    return {};
  });
  if (!ok) return fail(ok.error());
  return out;
}

std::optional<std::string> value_of(KvStore& store, std::string_view table, std::string_view key) {
  auto value = get_value(store, table, key);
  REQUIRE_MESSAGE(value.has_value(), value.error().to_string());
  return *value;
}

void kv_store_conformance(const EmptyStoreFactory& open_empty, BackendTraits traits) {
  // Opened inside each SUBCASE: doctest runs the test case once per subcase.
  SUBCASE("puts, gets, replaces and deletes") { puts_gets_replaces_and_deletes(*open_empty()); }
  SUBCASE("rejects unknown tables and bad key lengths") { rejects_unknown_tables_and_bad_keys(*open_empty()); }
  SUBCASE("an update is all or nothing") { updates_are_all_or_nothing(*open_empty()); }
  SUBCASE("a snapshot taken before a commit does not see it") { snapshot_does_not_see_later_commits(*open_empty()); }
  SUBCASE("readers on other threads proceed while a write is open") { readers_proceed_during_a_write(*open_empty()); }
  SUBCASE("prefix scans visit matching keys in byte order") { prefix_scans_in_byte_order(*open_empty()); }
  SUBCASE("long prefix scans see every key once, in order") { long_scans_see_every_key_once(*open_empty()); }
  SUBCASE("count counts the keys of one table, deletes included") { counts_keys_of_one_table(*open_empty()); }
  SUBCASE("concurrent read-modify-write updates lose nothing") { concurrent_increments_are_all_kept(*open_empty()); }
  SUBCASE("write transactions are serializable: no write skew") { no_write_skew(*open_empty(), traits); }
}

}  // namespace passerelle::testing
