// The shared backend of the storage interface, on PostgreSQL (and databases
// speaking its protocol and SQL: CockroachDB, YugabyteDB), so that several
// broker nodes serve the same users, sessions and tokens.
//
// Every table of the interface is a range of one SQL table
// passerelle_kv(tbl, k, v) with primary key (tbl, k); keys and values are
// BYTEA, compared byte by byte, so prefix scans keep the interface's order.
// A write transaction runs SERIALIZABLE: two nodes redeeming the same code or
// rotating the same refresh token cannot both succeed, and the loser's
// function is run again on fresh data (the interface allows reruns). A read
// transaction is one REPEATABLE READ snapshot. Opening the store creates or
// migrates the schema (see pg_schema.h).
//
// Errors: the server unreachable, a connection lost, or retries exhausted are
// kUnavailable (the broker answers 503); a commit whose outcome is unknown
// (the connection broke during COMMIT) is kUnavailable too. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/kv_store.h"

namespace passerelle::storage {

struct PostgresOptions {
  std::string url;                  // postgresql://user:password@host:port/db?...
  std::vector<std::string> tables;  // every table the store will be used with
  int pool_size = 8;                // connections per process
  std::chrono::milliseconds acquire_timeout{5000};
  // How many times a transaction that lost a serialization conflict is run
  // again before the caller gets kUnavailable.
  int max_attempts = 64;
  // Called (from any thread) when the server becomes unreachable and when it
  // is reachable again, with a one-line description free of secrets.
  std::function<void(const std::string&)> on_state_change;
};

// Connects, creates or migrates the schema, and returns the store.
// Fails with kInvalidArgument for bad options or a schema newer than this
// build knows, kUnavailable when the server cannot be reached.
Result<std::unique_ptr<KvStore>> open_postgres_store(const PostgresOptions& options);

}  // namespace passerelle::storage
