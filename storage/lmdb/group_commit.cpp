#include "storage/lmdb/group_commit.h"

#include <pthread.h>

#include <csignal>

namespace passerelle::storage {

GroupCommitQueue::GroupCommitQueue(size_t max_batch, Observer observer, BatchRunner run_batch)
    : max_batch_(max_batch),
      observer_(std::move(observer)),
      run_batch_(std::move(run_batch)),
      committer_([this] { commit_loop(); }) {}

GroupCommitQueue::~GroupCommitQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_arrived_.notify_one();
  committer_.join();
}

Status GroupCommitQueue::submit(const Work& work, const SpeculativeTxn* ahead) {
  Entry mine;
  mine.work = &work;
  mine.ahead = ahead;
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(&mine);
    if (observer_.queued) observer_.queued(waiting_.size());
  }
  work_arrived_.notify_one();
  std::unique_lock done_lock(mine.done_mutex);
  mine.wake.wait(done_lock, [&mine] { return mine.done; });
  return mine.result;
}

void GroupCommitQueue::commit_loop() {
  // A thread of the store's own takes no signal: a process that waits for
  // them with sigwait on a thread of its choosing still gets them all.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  // Named, so that per-thread tools (top -H, perf, /proc/PID/task) tell it
  // from the request threads.
  pthread_setname_np(pthread_self(), "lmdb-commit");
  for (;;) {
    std::vector<Entry*> batch;
    {
      std::unique_lock lock(mutex_);
      work_arrived_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, and nothing left to run
      while (!waiting_.empty() && batch.size() < max_batch_) {
        batch.push_back(waiting_.front());
        waiting_.pop_front();
      }
    }
    if (observer_.batch) observer_.batch(batch.size());
    run_batch_(batch);
    // Notified under the entry's lock: once an entry is done its caller may
    // return and destroy it, which it cannot do before that lock is released.
    for (Entry* entry : batch) {
      std::lock_guard done_lock(entry->done_mutex);
      entry->done = true;
      entry->wake.notify_one();
    }
  }
}

}  // namespace passerelle::storage
