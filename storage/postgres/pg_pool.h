// A fixed-size pool of PostgreSQL connections shared by every thread.
// Connections are opened on demand, up to `size`; a caller waits at most
// `acquire_timeout` for one to be free. When the server is down, acquire()
// fails at once with kUnavailable (each call tries one connect; on loopback a
// refused connect costs microseconds), and the pool reports the change of
// state once through `on_state_change` rather than once per request.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/postgres/pg_connection.h"

namespace passerelle::storage::pg {

struct PoolOptions {
  std::string url;
  int size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  // Told "unreachable: <reason>" when the server stops answering, and
  // "reachable again" when a connection succeeds after that.
  std::function<void(const std::string&)> on_state_change;
};

class Pool {
 public:
  explicit Pool(PoolOptions options) : options_(std::move(options)) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection lent to one caller; returned to the pool when the lease ends,
  // unless discard() said it is broken.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }
    // The connection broke (`reason`): close it instead of returning it.
    void discard(const std::string& reason);

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Connection> conn);
  void lost(const std::string& reason);
  void set_reachable(bool reachable, const std::string& reason);

  PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + lent + being opened
  bool reachable_ = true;
};

}  // namespace passerelle::storage::pg
