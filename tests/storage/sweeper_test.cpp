#include "storage/sweeper.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "storage/expiry_index.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

using std::chrono::milliseconds;

std::unique_ptr<KvStore> open_store(const testing::TempDir& dir) {
  LmdbOptions options;
  options.path = dir.path();
  options.tables = expiry_tables();
  options.tables.push_back("codes");
  options.durable = false;
  auto store = open_lmdb_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
  return std::move(*store);
}

void put_expiring(KvStore& store, const std::string& key, int64_t expires_at) {
  REQUIRE(store.update([&](WriteTxn& txn) -> Status {
    if (auto ok = txn.put("codes", key, "v"); !ok) return ok;
    return set_expiry(txn, "codes", key, expires_at);
  }));
}

bool exists(KvStore& store, const std::string& key) {
  bool found = false;
  REQUIRE(store.view([&](ReadTxn& txn) -> Status {
    auto value = txn.get("codes", key);
    if (!value) return fail(value.error());
    found = value->has_value();
    return {};
  }));
  return found;
}

// Polls `done` with short waits; the bound only keeps a broken sweeper from
// hanging the suite, and is far above what a working one needs.
template <class Pred>
bool eventually(Pred done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

TEST_CASE("sweeper deletes records as the clock passes their expiry") {
  testing::TempDir dir;
  auto store = open_store(dir);
  put_expiring(*store, "early", 10);
  put_expiring(*store, "late", 20);
  std::atomic<int64_t> now{0};
  Sweeper sweeper(*store, milliseconds(1), [&] { return now.load(); });
  now = 15;
  CHECK(eventually([&] { return !exists(*store, "early"); }));
  CHECK(exists(*store, "late"));
  now = 20;
  CHECK(eventually([&] { return !exists(*store, "late"); }));
}

TEST_CASE("sweeper drains a backlog larger than its batch in one pass") {
  testing::TempDir dir;
  auto store = open_store(dir);
  for (int i = 0; i < 7; ++i) put_expiring(*store, "c" + std::to_string(i), 1);
  // With an hour between passes, only the first pass can have run.
  Sweeper sweeper(
      *store, std::chrono::hours(1), [] { return int64_t(5); }, /*batch_size=*/2);
  CHECK(eventually([&] { return !exists(*store, "c0") && !exists(*store, "c6"); }));
  for (int i = 0; i < 7; ++i) CHECK_FALSE(exists(*store, "c" + std::to_string(i)));
}

TEST_CASE("sweeper stops at once when destroyed, however long its interval") {
  testing::TempDir dir;
  auto store = open_store(dir);
  std::atomic<int> calls{0};
  {
    Sweeper sweeper(*store, std::chrono::hours(24), [&] { return ++calls, int64_t(0); });
    CHECK(eventually([&] { return calls.load() > 0; }));
  }  // would hang here for a day if the wait could not be interrupted
  CHECK(calls.load() == 1);
}

class FailingStore final : public KvStore {
 public:
  Status view(const std::function<Status(ReadTxn&)>&) override { return fail(Error::unavailable("down")); }
  Status update(const std::function<Status(WriteTxn&)>&) override { return fail(Error::unavailable("down")); }
};

TEST_CASE("sweeper reports failures and keeps going") {
  FailingStore store;
  std::atomic<int> errors{0};
  std::atomic<bool> other_code{false};
  Sweeper sweeper(
      store, milliseconds(1), [] { return int64_t(0); }, 100,
      [&](const Error& e) {
        if (e.code != ErrorCode::kUnavailable) other_code = true;
        ++errors;
      });
  CHECK(eventually([&] { return errors.load() >= 3; }));
  CHECK_FALSE(other_code.load());
}

TEST_CASE("sweeper turns a throwing clock into a reported error") {
  testing::TempDir dir;
  auto store = open_store(dir);
  std::atomic<bool> internal{false};
  Sweeper sweeper(
      *store, milliseconds(1), []() -> int64_t { throw std::runtime_error("no clock"); }, 100,
      [&](const Error& e) { internal = e.code == ErrorCode::kInternal; });
  CHECK(eventually([&] { return internal.load(); }));
}

}  // namespace
}  // namespace passerelle::storage
