// The HTTP server's worker threads. cpp-httplib 0.11 gives each connection a
// worker for as long as it stays open (reading its request, then waiting for
// the next one on keep-alive), so a fixed pool is starved by a few dozen
// clients that connect and send nothing (slowloris). This pool starts new
// workers while every worker is busy, up to a ceiling large enough that idle
// connections time out (the server's read and keep-alive timeouts) long
// before they can take them all; past the ceiling, connections wait in order.
// Thread-safe: enqueue() from the accepting thread, shutdown() from one.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace passerelle {

class ElasticThreadPool final : public httplib::TaskQueue {
 public:
  // Starts `initial` workers; never runs more than `ceiling`.
  ElasticThreadPool(size_t initial, size_t ceiling);
  ~ElasticThreadPool() override;

  ElasticThreadPool(const ElasticThreadPool&) = delete;
  ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

  void enqueue(std::function<void()> job) override;
  // Runs every job already queued, then joins every worker. Idempotent.
  void shutdown() override;

  size_t worker_count();

 private:
  void start_worker();  // REQUIRES: mutex_ held
  void work();

  const size_t ceiling_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace passerelle
