#include "storage/postgres/pg_pool.h"

namespace passerelle::storage::pg {

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->give_back(std::move(conn_));
}

void Pool::Lease::discard(const std::string& reason) {
  conn_.reset();
  pool_->lost(reason);
}

Result<Pool::Lease> Pool::acquire() {
  std::unique_lock lock(mutex_);
  bool free = freed_.wait_for(lock, options_.acquire_timeout,
                              [this] { return !idle_.empty() || open_ < options_.size; });
  if (!free) {
    return fail(Error::unavailable("postgres: no free connection within " +
                                   std::to_string(options_.acquire_timeout.count()) + " ms"));
  }
  if (!idle_.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();  // connecting takes a round trip: let others use idle connections meanwhile
  auto conn = Connection::open(options_.url);
  lock.lock();
  if (!conn) {
    --open_;
    freed_.notify_one();
    set_reachable(false, conn.error().message);
    return fail(conn.error());
  }
  set_reachable(true, "");
  return Lease(this, std::move(*conn));
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(conn));
  freed_.notify_one();
}

// One broken connection usually means the server restarted or went away: the
// idle ones are closed too, so that the next requests connect afresh instead
// of each finding a dead connection.
void Pool::lost(const std::string& reason) {
  std::lock_guard lock(mutex_);
  open_ -= 1 + static_cast<int>(idle_.size());
  idle_.clear();
  freed_.notify_all();
  set_reachable(false, reason);
}

// REQUIRES: mutex_ held.
void Pool::set_reachable(bool reachable, const std::string& reason) {
  if (reachable == reachable_) return;
  reachable_ = reachable;
  if (!options_.on_state_change) return;
  options_.on_state_change(reachable ? "reachable again" : "unreachable: " + reason);
}

}  // namespace passerelle::storage::pg
