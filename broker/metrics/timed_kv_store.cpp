#include "metrics/timed_kv_store.h"

#include <chrono>

namespace passerelle::metrics {

Status TimedKvStore::update(const std::function<Status(storage::WriteTxn&)>& fn) {
  auto started = std::chrono::steady_clock::now();
  Status result = inner_->update(fn);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  commits_.observe({result ? "ok" : "error"}, elapsed.count());
  return result;
}

}  // namespace passerelle::metrics
