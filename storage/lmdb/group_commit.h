// Group commit for the LMDB store: one committer thread of the queue's own
// runs the write transactions; those that arrive while it commits wait in
// a queue, and it takes every waiting one as its next batch (one durable
// commit, one fsync, for all of them), then hands each caller its own
// result. Under load this turns N fsyncs into one; alone, a caller is its
// own batch of one.
//
// A thread of its own, not the first caller in line: when a caller led
// the next batch, the store stood idle between batches while that caller,
// asleep in the queue, was woken and scheduled among the request threads
// (about a fifth of the time, timed under a load of refresh rotations on
// two busy cores); the committer goes from one batch to the next without
// sleeping while the queue is not empty.
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
#include <thread>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

class SpeculativeTxn;

class GroupCommitQueue {
 public:
  using Work = std::function<Status(WriteTxn&)>;
  struct Entry {
    const Work* work = nullptr;
    // When set, `work` has already run ahead on a snapshot (speculative_txn.h):
    // the runner may check that run and apply it rather than call `work`.
    const SpeculativeTxn* ahead = nullptr;
    Status result;
    // Set, and its caller woken, when its batch is done. A lock of its own,
    // not the queue's: a batch's callers, woken one after the other, would
    // otherwise each wait again for the lock the committer and new callers
    // need.
    std::mutex done_mutex;
    std::condition_variable wake;
    bool done = false;
  };
  // Runs `batch` and sets each entry's result (not `done`: the queue does).
  using BatchRunner = std::function<void(const std::vector<Entry*>& batch)>;
  // For tests and measurements: told the queue length after each arrival
  // (under the queue's lock), and each batch's size before it runs. May be
  // empty.
  struct Observer {
    std::function<void(size_t waiting)> queued;
    std::function<void(size_t size)> batch;
  };

  // Starts the committer, which runs every batch with `run_batch`.
  GroupCommitQueue(size_t max_batch, Observer observer, BatchRunner run_batch);
  // Runs what is still queued, then stops the committer.
  ~GroupCommitQueue();
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;

  // Returns once `work` has run in some batch, with its result.
  // REQUIRES: not called from inside a batch (the committer would wait on
  // itself).
  Status submit(const Work& work, const SpeculativeTxn* ahead = nullptr);

 private:
  void commit_loop();

  const size_t max_batch_;
  const Observer observer_;
  const BatchRunner run_batch_;
  std::mutex mutex_;
  std::condition_variable work_arrived_;
  std::deque<Entry*> waiting_;
  bool stopping_ = false;
  std::thread committer_;  // last: started once the members it uses are set
};

}  // namespace passerelle::storage
