// A write transaction that counts the puts and deletes passing through it to
// the store's own, for tests of what a change writes (every put copies a page),
// and a store that counts those of every write transaction run through it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "storage/kv_store.h"

namespace passerelle::testing {

class WriteCounter final : public storage::WriteTxn {
 public:
  explicit WriteCounter(storage::WriteTxn& inner) : inner_(inner) {}

  Result<std::optional<std::string>> get(std::string_view t, std::string_view k) override { return inner_.get(t, k); }
  Status scan_prefix(std::string_view t, std::string_view p,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    return inner_.scan_prefix(t, p, visit);
  }
  Result<uint64_t> count(std::string_view t) override { return inner_.count(t); }
  Status put(std::string_view t, std::string_view k, std::string_view v) override {
    ++writes;
    return inner_.put(t, k, v);
  }
  Status del(std::string_view t, std::string_view k) override {
    ++writes;
    return inner_.del(t, k);
  }

  int writes = 0;

 private:
  storage::WriteTxn& inner_;
};

// How many puts and deletes `write` makes in a write transaction of its own
// on `store`; -1 when that transaction fails.
template <class Write>
int writes_of(storage::KvStore& store, Write write) {
  int writes = -1;
  Status ok = store.update([&](storage::WriteTxn& txn) {
    WriteCounter counted(txn);
    Status result = write(counted);
    writes = counted.writes;
    return result;
  });
  return ok ? writes : -1;
}

class CountingStore final : public storage::KvStore {
 public:
  explicit CountingStore(storage::KvStore& inner) : inner_(inner) {}

  Status view(const std::function<Status(storage::ReadTxn&)>& fn) override { return inner_.view(fn); }
  Status update(const std::function<Status(storage::WriteTxn&)>& fn) override {
    return inner_.update([&](storage::WriteTxn& txn) {
      WriteCounter counter(txn);
      Status result = fn(counter);
      writes += counter.writes;
      return result;
    });
  }

  int writes = 0;

 private:
  storage::KvStore& inner_;
};

}  // namespace passerelle::testing
