// Group commit in the LMDB store: writes that arrive while another commits
// are committed together, each keeping its own outcome. The groups are made
// deterministic here by holding the first writer inside its transaction
// until the others are known to be queued behind it.

#include <doctest/doctest.h>

#include <pthread.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/kv_store_conformance.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

// Watches the store's write queue and group sizes.
struct QueueWatch {
  std::mutex mutex;
  std::condition_variable changed;
  size_t waiting = 0;
  std::vector<size_t> batches;

  void attach(LmdbOptions& options) {
    options.on_queued = [this](size_t n) {
      std::lock_guard lock(mutex);
      waiting = n;
      changed.notify_all();
    };
    options.on_batch = [this](size_t n) {
      std::lock_guard lock(mutex);
      batches.push_back(n);
      waiting = 0;
      changed.notify_all();
    };
  }
  void wait_for_waiting(size_t n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return waiting >= n; });
  }
};

// A writer that holds the store's current group open until released. It
// counts a table, so it runs in the writer (ahead of it, on a snapshot, the
// count is refused and the function stops: see speculative_txn.h).
struct HeldWriter {
  std::promise<void> inside, release;
  std::future<Status> done;

  explicit HeldWriter(KvStore& store) {
    std::shared_future<void> go = release.get_future().share();
    done = std::async(std::launch::async, [this, &store, go] {
      bool first = true;
      return store.update([&](WriteTxn& txn) -> Status {
        if (auto n = txn.count("t"); !n) return fail(n.error());
        if (first) inside.set_value();
        first = false;
        go.wait();
        return txn.put("t", "held", "1");
      });
    });
    inside.get_future().wait();
  }
};

struct GroupedStore {
  testing::TempDir dir;
  QueueWatch watch;
  std::unique_ptr<KvStore> store;

  explicit GroupedStore(size_t initial_map_size = LmdbOptions{}.initial_map_size) {
    LmdbOptions options;
    options.path = dir.path();
    options.tables = {"t", "u"};
    options.initial_map_size = initial_map_size;
    watch.attach(options);
    auto opened = open_lmdb_store(options);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().to_string());
    store = std::move(*opened);
  }

  // Queues `fn` behind the held writer and waits until it is queued, so that
  // writers join the next group in the order they are added.
  std::future<Status> queue(int position, std::function<Status(WriteTxn&)> fn) {
    auto result = std::async(std::launch::async, [this, fn = std::move(fn)] { return store->update(fn); });
    watch.wait_for_waiting(static_cast<size_t>(position));
    return result;
  }
};

TEST_CASE("lmdb group commit: writes that arrive during a commit are committed as one group") {
  GroupedStore s;
  HeldWriter held(*s.store);
  std::vector<std::future<Status>> writers;
  for (int i = 1; i <= 5; ++i) {
    writers.push_back(s.queue(i, [i](WriteTxn& txn) { return txn.put("t", "k" + std::to_string(i), "v"); }));
  }
  held.release.set_value();
  CHECK(held.done.get());
  for (auto& w : writers) CHECK(w.get());
  CHECK(s.watch.batches == std::vector<size_t>{1, 5});
  for (int i = 1; i <= 5; ++i) CHECK(testing::value_of(*s.store, "t", "k" + std::to_string(i)) == "v");
}

TEST_CASE("lmdb group commit: in a group, each write sees the earlier ones and a failure loses only its own") {
  GroupedStore s;
  HeldWriter held(*s.store);
  auto first = s.queue(1, [](WriteTxn& txn) { return txn.put("t", "a", "from first"); });
  // It counts, so that it fails in the group and not already on its snapshot.
  auto failing = s.queue(2, [](WriteTxn& txn) -> Status {
    if (auto n = txn.count("t"); !n) return fail(n.error());
    if (auto ok = txn.put("t", "b", "never kept"); !ok) return ok;
    return fail(Error::conflict("changed my mind"));
  });
  auto third = s.queue(3, [](WriteTxn& txn) -> Status {
    auto a = txn.get("t", "a");
    auto b = txn.get("t", "b");
    if (!a || !b) return fail(Error::internal("read failed"));
    return txn.put("t", "c", (*a ? **a : "none") + "/" + (*b ? **b : "none"));
  });
  held.release.set_value();
  CHECK(held.done.get());
  CHECK(first.get());
  Status failed = failing.get();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message == "changed my mind");
  CHECK(third.get());
  CHECK(s.watch.batches == std::vector<size_t>{1, 3});
  CHECK(testing::value_of(*s.store, "t", "b") == std::nullopt);
  CHECK(testing::value_of(*s.store, "t", "c") == "from first/none");
}

TEST_CASE("lmdb group commit: a write that fails only when applied in its group loses only its own writes") {
  GroupedStore s;
  HeldWriter held(*s.store);
  auto first = s.queue(1, [](WriteTxn& txn) { return txn.put("t", "a", "from first"); });
  // Its snapshot takes any key; LMDB refuses one over 511 bytes, so it fails
  // in the group, after its first put went through.
  auto failing = s.queue(2, [](WriteTxn& txn) -> Status {
    if (auto ok = txn.put("t", "b", "never kept"); !ok) return ok;
    return txn.put("t", std::string(600, 'k'), "v");
  });
  auto third = s.queue(3, [](WriteTxn& txn) -> Status {
    auto a = txn.get("t", "a");
    if (!a) return fail(a.error());
    return txn.put("t", "c", *a ? **a : "none");
  });
  held.release.set_value();
  CHECK(held.done.get());
  CHECK(first.get());
  Status failed = failing.get();
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == ErrorCode::kInvalidArgument);
  CHECK(third.get());
  CHECK(s.watch.batches == std::vector<size_t>{1, 3});
  CHECK(testing::value_of(*s.store, "t", "a") == "from first");
  CHECK(testing::value_of(*s.store, "t", "b") == std::nullopt);
  CHECK(testing::value_of(*s.store, "t", "c") == "from first");
  CHECK(testing::value_of(*s.store, "t", "held") == "1");
}

TEST_CASE("lmdb group commit: groups run on the store's committer thread, named, not on a caller's") {
  GroupedStore s;
  std::thread::id caller = std::this_thread::get_id();
  std::vector<std::thread::id> ran_on;
  std::string thread_name;
  for (int i = 0; i < 3; ++i) {
    // It counts, so it runs in the writer's group (see HeldWriter).
    Status ok = s.store->update([&](WriteTxn& txn) -> Status {
      if (auto n = txn.count("t"); !n) return fail(n.error());
      ran_on.push_back(std::this_thread::get_id());
      char name[16] = {};
      pthread_getname_np(pthread_self(), name, sizeof name);
      thread_name = name;
      return txn.put("t", "k" + std::to_string(i), "v");
    });
    CHECK(ok);
  }
  REQUIRE(ran_on.size() == 3);
  CHECK(ran_on[0] != caller);
  CHECK(ran_on[1] == ran_on[0]);
  CHECK(ran_on[2] == ran_on[0]);
  CHECK(thread_name == "lmdb-commit");  // what per-thread tools show
}

TEST_CASE("lmdb group commit: a group that does not fit the map grows it and commits whole") {
  GroupedStore s(size_t(256) << 10);
  HeldWriter held(*s.store);
  const std::string big(100 << 10, 'x');
  std::vector<std::future<Status>> writers;
  for (int i = 1; i <= 4; ++i) {
    writers.push_back(s.queue(i, [i, &big](WriteTxn& txn) -> Status {
      for (int j = 0; j < 4; ++j) {
        if (auto ok = txn.put("t", std::to_string(i) + "-" + std::to_string(j), big); !ok) return ok;
      }
      return {};
    }));
  }
  held.release.set_value();
  CHECK(held.done.get());
  for (auto& w : writers) {
    Status ok = w.get();
    CHECK_MESSAGE(ok.has_value(), (ok ? "" : ok.error().to_string()));
  }
  for (int i = 1; i <= 4; ++i) CHECK(testing::value_of(*s.store, "t", std::to_string(i) + "-3") == big);
}

}  // namespace
}  // namespace passerelle::storage
