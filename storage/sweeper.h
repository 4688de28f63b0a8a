// A background thread that deletes expired records (see expiry_index.h): every
// `interval` it calls sweep_expired with the time `now()` gives, in batches,
// until nothing due is left. Owns its thread; the destructor stops and joins
// it promptly, waiting at most for the batch in progress.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "storage/kv_store.h"

namespace passerelle::storage {

class Sweeper {
 public:
  // Starts sweeping at once, then every `interval` (at least 1 ms).
  // `on_error` (optional) hears about failed sweeps; the next tick retries.
  // REQUIRES: `store` outlives the Sweeper; `now` and `on_error` are safe to
  // call from the sweeper's thread, and `on_error` does not throw.
  Sweeper(KvStore& store, std::chrono::milliseconds interval, std::function<int64_t()> now,
          size_t batch_size = 1000, std::function<void(const Error&)> on_error = nullptr);
  ~Sweeper();

  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

 private:
  void run();
  void sweep_due();
  bool stopping();

  KvStore& store_;
  const std::chrono::milliseconds interval_;
  const std::function<int64_t()> now_;
  const size_t batch_size_;
  const std::function<void(const Error&)> on_error_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;     // last: starts once the members above exist
};

}  // namespace passerelle::storage
