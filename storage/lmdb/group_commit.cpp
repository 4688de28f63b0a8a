#include "storage/lmdb/group_commit.h"

namespace passerelle::storage {

Status GroupCommitQueue::submit(const Work& work, const BatchRunner& run_batch, const SpeculativeTxn* ahead) {
  Entry mine{&work, ahead, {}, false, {}};
  std::unique_lock lock(mutex_);
  waiting_.push_back(&mine);
  if (observer_.queued) observer_.queued(waiting_.size());
  while (!mine.done) {
    if (leader_active_) {
      mine.wake.wait(lock);
      continue;
    }
    // Lead: take what is waiting (this caller's entry among it, unless the
    // queue is longer than a batch; then it leads again next round).
    leader_active_ = true;
    std::vector<Entry*> batch;
    while (!waiting_.empty() && batch.size() < max_batch_) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
    }
    lock.unlock();
    if (observer_.batch) observer_.batch(batch.size());
    run_batch(batch);
    lock.lock();
    // Notified under the lock: once an entry is done its caller may return
    // and destroy it, which it cannot do before the lock is released.
    for (Entry* entry : batch) {
      entry->done = true;
      entry->wake.notify_one();
    }
    leader_active_ = false;
    if (!waiting_.empty()) waiting_.front()->wake.notify_one();  // leads the next batch
  }
  return mine.result;
}

}  // namespace passerelle::storage
