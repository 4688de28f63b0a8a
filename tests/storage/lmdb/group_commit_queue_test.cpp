// The group commit queue on its own, with a scripted batch runner in place
// of LMDB: how the callers of a finished batch are answered.

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "storage/lmdb/group_commit.h"

namespace passerelle::storage {
namespace {

// What the test threads tell each other, under one lock of the test's own.
struct Signals {
  std::mutex mutex;
  std::condition_variable changed;
  bool first_batch_running = false;
  bool second_caller_queued = false;
  bool first_caller_answered = false;

  void set(bool Signals::*flag) {
    std::lock_guard lock(mutex);
    this->*flag = true;
    changed.notify_all();
  }
  // False when `flag` was not set within `limit` (a bound only a broken
  // queue reaches: the passing order does not depend on it).
  bool wait_for(bool Signals::*flag, std::chrono::seconds limit = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] { return this->*flag; });
  }
};

TEST_CASE("group commit queue: a finished batch's caller is answered while a new caller holds the queue's lock") {
  Signals signals;
  int arrivals = 0;  // counted under the queue's lock, where `queued` is called
  bool answered_while_queue_locked = false;
  GroupCommitQueue::Observer observer;
  observer.queued = [&](size_t) {
    if (++arrivals != 2) return;
    // The second caller, inside the queue's lock: the first caller's batch
    // has run; its caller must be answered without this lock.
    signals.set(&Signals::second_caller_queued);
    answered_while_queue_locked = signals.wait_for(&Signals::first_caller_answered);
  };
  int batches = 0;  // the committer's own
  bool second_caller_came = false;
  GroupCommitQueue queue(16, observer, [&](const std::vector<GroupCommitQueue::Entry*>& batch) {
    if (++batches == 1) {
      signals.set(&Signals::first_batch_running);
      second_caller_came = signals.wait_for(&Signals::second_caller_queued);
    }
    for (GroupCommitQueue::Entry* entry : batch) entry->result = {};
  });
  GroupCommitQueue::Work work = [](WriteTxn&) -> Status { return {}; };

  std::thread first([&] {
    CHECK(queue.submit(work).has_value());
    signals.set(&Signals::first_caller_answered);
  });
  REQUIRE(signals.wait_for(&Signals::first_batch_running));
  // Queued behind the running batch, so in a batch of its own.
  CHECK(queue.submit(work).has_value());
  first.join();
  CHECK(second_caller_came);
  CHECK(answered_while_queue_locked);
  CHECK(batches == 2);
}

}  // namespace
}  // namespace passerelle::storage
