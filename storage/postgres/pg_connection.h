// One libpq connection and the few statements the PostgreSQL backend runs on
// it. Parameters and results travel in binary, so keys and values are raw
// bytes with no escaping. Not thread-safe: a connection is used by one
// transaction at a time (the pool hands it out).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <passerelle/result.h>

struct pg_conn;
struct pg_result;

namespace passerelle::storage::pg {

// How a failed statement should be handled.
enum class Failure {
  kNone,
  kRetry,       // serialization failure or deadlock: run the transaction again
  kBroken,      // the connection is gone: discard it
  kStatement,   // anything else: the statement (and its transaction) failed
};

// A result set; empty when the statement failed (see failure()).
class Rows {
 public:
  Rows() = default;
  Rows(pg_result* result, Failure failure, std::string error, std::string sqlstate = "");
  Rows(Rows&&) noexcept = default;
  Rows& operator=(Rows&&) noexcept = default;

  Failure failure() const { return failure_; }
  bool ok() const { return failure_ == Failure::kNone; }
  // The server's or libpq's message for a failed statement.
  const std::string& error() const { return error_; }
  // The SQLSTATE of a failed statement ("" when libpq itself failed).
  const std::string& sqlstate() const { return sqlstate_; }

  int size() const;
  // Column `col` of row `row` as raw bytes (binary format).
  std::string_view bytes(int row, int col) const;
  // Column `col` of row `row` as a big-endian int8 or int4 (binary format).
  int64_t integer(int row, int col) const;

 private:
  struct Clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Clear> result_;
  Failure failure_ = Failure::kNone;
  std::string error_;
  std::string sqlstate_;
};

class Connection {
 public:
  // Connects to `url` (a libpq connection URI). Fails with kUnavailable and
  // libpq's reason, which names the host but never the password.
  static Result<std::unique_ptr<Connection>> open(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a statement with no parameters (BEGIN, COMMIT, DDL...).
  Rows exec(const std::string& sql);
  // Runs `sql` with text parameters `texts` followed by binary ones `blobs`
  // ($1.. are the texts, then the blobs), asking for binary results. Each
  // distinct `sql` is prepared once per connection, then only executed.
  Rows query(const std::string& sql, const std::vector<std::string_view>& texts,
             const std::vector<std::string_view>& blobs = {});

  // False once the server closed the connection or it broke.
  bool healthy() const;

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  Rows finish(pg_result* result);
  // The name `sql` is prepared under, preparing it on first use; "" on failure
  // (then `failed` holds why).
  std::string prepared(const std::string& sql, int parameters, Rows& failed);

  pg_conn* conn_;
  std::map<std::string, std::string, std::less<>> prepared_;  // sql -> statement name
};

}  // namespace passerelle::storage::pg
