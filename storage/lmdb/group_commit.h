// Group commit for the LMDB store: write transactions that arrive while
// another is committing wait in a queue; the next caller to find no leader
// takes every waiting one and runs them as one batch (one durable commit,
// one fsync, for all of them), then hands each caller its own result. Under
// load this turns N fsyncs into one; alone, a caller is its own batch of one
// and waits for no one.
//
// The batch runner decides what a batch means (LMDB: one transaction for the
// batch, each function that may fail after writing in a nested one, so that
// it loses only its own writes). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

class SpeculativeTxn;

class GroupCommitQueue {
 public:
  using Work = std::function<Status(WriteTxn&)>;
  struct Entry {
    const Work* work;
    // When set, `work` has already run ahead on a snapshot (speculative_txn.h):
    // the runner may check that run and apply it rather than call `work`.
    const SpeculativeTxn* ahead;
    Status result;
    bool done = false;
    // Woken when its batch is done, or when it is first in line for the
    // next one; the others sleep on. Guarded by the queue's mutex.
    std::condition_variable wake;
  };
  // Runs `batch` and sets each entry's result (not `done`: the queue does).
  using BatchRunner = std::function<void(const std::vector<Entry*>& batch)>;
  // For tests and measurements: told the queue length after each arrival,
  // and each batch's size before it runs. May be empty.
  struct Observer {
    std::function<void(size_t waiting)> queued;
    std::function<void(size_t size)> batch;
  };

  GroupCommitQueue(size_t max_batch, Observer observer) : max_batch_(max_batch), observer_(std::move(observer)) {}

  // Returns once `work` has run in some batch, with its result.
  Status submit(const Work& work, const BatchRunner& run_batch, const SpeculativeTxn* ahead = nullptr);

 private:
  const size_t max_batch_;
  const Observer observer_;
  std::mutex mutex_;
  std::deque<Entry*> waiting_;
  bool leader_active_ = false;
};

}  // namespace passerelle::storage
