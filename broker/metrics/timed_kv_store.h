// A KvStore decorator that forwards every call to the store it wraps and
// times each write transaction, begin to durable commit (retries included),
// into a histogram labelled by outcome ("ok" or "error"). Read transactions
// are forwarded untimed: they take no lock and write nothing to disk.
// Thread-safe as the wrapped store is; the histogram is thread-safe.
#pragma once

#include <memory>

#include "metrics/registry.h"
#include "storage/kv_store.h"

namespace passerelle::metrics {

class TimedKvStore final : public storage::KvStore {
 public:
  // REQUIRES: `commits` has one label (the outcome) and outlives this store.
  TimedKvStore(std::unique_ptr<storage::KvStore> inner, Histogram& commits)
      : inner_(std::move(inner)), commits_(commits) {}

  Status view(const std::function<Status(storage::ReadTxn&)>& fn) override { return inner_->view(fn); }
  Status update(const std::function<Status(storage::WriteTxn&)>& fn) override;

 private:
  std::unique_ptr<storage::KvStore> inner_;
  Histogram& commits_;
};

}  // namespace passerelle::metrics
