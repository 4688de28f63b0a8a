#include "app/elastic_thread_pool.h"

#include <algorithm>

namespace passerelle {

ElasticThreadPool::ElasticThreadPool(size_t initial, size_t ceiling) : ceiling_(std::max<size_t>(ceiling, 1)) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < std::min(initial, ceiling_); ++i) start_worker();
}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::start_worker() { workers_.emplace_back([this] { work(); }); }

void ElasticThreadPool::enqueue(std::function<void()> job) {
  std::lock_guard lock(mutex_);
  jobs_.push_back(std::move(job));
  // A worker already waiting takes it; otherwise one more worker is cheaper
  // than leaving a connection queued behind idle ones.
  if (idle_ < jobs_.size() && workers_.size() < ceiling_) start_worker();
  wake_.notify_one();
}

void ElasticThreadPool::shutdown() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    workers.swap(workers_);
  }
  wake_.notify_all();
  for (auto& worker : workers) worker.join();
}

size_t ElasticThreadPool::worker_count() {
  std::lock_guard lock(mutex_);
  return workers_.size();
}

void ElasticThreadPool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, and nothing left to run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace passerelle
