#include "storage/sweeper.h"

#include <algorithm>

#include "storage/expiry_index.h"

namespace passerelle::storage {

Sweeper::Sweeper(KvStore& store, std::chrono::milliseconds interval, std::function<int64_t()> now,
                 size_t batch_size, std::function<void(const Error&)> on_error)
    : store_(store),
      interval_(std::max(interval, std::chrono::milliseconds(1))),
      now_(std::move(now)),
      batch_size_(std::max<size_t>(batch_size, 1)),
      on_error_(std::move(on_error)),
      thread_([this] { run(); }) {}

Sweeper::~Sweeper() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Sweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    sweep_due();
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

// A full batch means more may be due: sweep again now rather than a tick later.
void Sweeper::sweep_due() {
  Result<size_t> swept = size_t(0);
  do {
    try {
      swept = sweep_expired(store_, now_(), batch_size_);
    } catch (...) {  // from now_(); nothing may escape the thread
      swept = fail(Error::internal("sweeper: the clock threw an exception"));
    }
    if (!swept) {
      if (on_error_) on_error_(swept.error());
      return;
    }
  } while (*swept == batch_size_ && !stopping());
}

bool Sweeper::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace passerelle::storage
