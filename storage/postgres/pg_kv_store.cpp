#include "storage/postgres/pg_kv_store.h"

#include <random>
#include <set>
#include <thread>

#include "storage/call_guarded.h"
#include "storage/postgres/pg_pool.h"
#include "storage/postgres/pg_schema.h"

namespace passerelle::storage {
namespace {

using pg::Failure;
using pg::Rows;

// The interface's key bound (LMDB's), kept here so both backends accept the
// same keys.
constexpr size_t kMaxKeySize = 511;
// Rows fetched per round trip by a prefix scan; a visitor usually stops early
// (an index lookup) or reads a few rows, and a long scan streams in pages.
constexpr int kScanPage = 256;

const std::string kGet = "SELECT v FROM passerelle_kv WHERE tbl = $1 AND k = $2";
const std::string kPut =
    "INSERT INTO passerelle_kv (tbl, k, v) VALUES ($1, $2, $3)"
    " ON CONFLICT (tbl, k) DO UPDATE SET v = excluded.v";
const std::string kDelete = "DELETE FROM passerelle_kv WHERE tbl = $1 AND k = $2";
const std::string kCount = "SELECT COUNT(*) FROM passerelle_kv WHERE tbl = $1";
const std::string kScanBounded =
    "SELECT k, v FROM passerelle_kv WHERE tbl = $1 AND k >= $3 AND k < $4 ORDER BY k LIMIT $2";
const std::string kScanOpen = "SELECT k, v FROM passerelle_kv WHERE tbl = $1 AND k >= $3 ORDER BY k LIMIT $2";

Status check_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeySize) {
    return fail(Error::invalid_argument("storage: key length must be 1.." + std::to_string(kMaxKeySize) +
                                        " bytes, got " + std::to_string(key.size())));
  }
  return {};
}

// The smallest key greater than every key starting with `prefix`, or nullopt
// when there is none (the prefix is empty or all 0xFF bytes).
std::optional<std::string> prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

// How a run of a transaction ended, beyond the function's own Status.
enum class Ending { kOk, kRetry, kBroken };

// Serves both kinds of transaction over one leased connection. After the
// first failed statement the server has aborted the transaction: every later
// call fails with that first error, and the store decides from ending() what
// to do (rerun, discard the connection, or return the error).
class PgTxn final : public WriteTxn {
 public:
  PgTxn(pg::Connection& conn, const std::set<std::string, std::less<>>& tables) : conn_(conn), tables_(tables) {}

  Ending ending() const { return ending_; }
  const std::string& failure() const { return failure_; }

  Result<std::optional<std::string>> get(std::string_view table, std::string_view key) override {
    if (auto ok = check(table, key); !ok) return fail(ok.error());
    Rows rows = conn_.query(kGet, {table}, {key});
    if (!rows.ok()) return fail(failed(rows));
    if (rows.size() == 0) return std::nullopt;
    return std::string(rows.bytes(0, 0));
  }

  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    if (auto ok = check_table(table); !ok) return ok;
    if (prefix.size() > kMaxKeySize) return {};  // no key can start with it
    std::optional<std::string> end = prefix_end(prefix);
    std::string from(prefix);
    const std::string limit = std::to_string(kScanPage);
    for (;;) {
      Rows rows = end ? conn_.query(kScanBounded, {table, limit}, {from, *end})
                      : conn_.query(kScanOpen, {table, limit}, {from});
      if (!rows.ok()) return fail(failed(rows));
      for (int i = 0; i < rows.size(); ++i) {
        if (!visit(rows.bytes(i, 0), rows.bytes(i, 1))) return {};
      }
      if (rows.size() < kScanPage) return {};
      // The next page starts just after the last key: that key plus a NUL
      // byte is the smallest key greater than it.
      from = std::string(rows.bytes(rows.size() - 1, 0));
      from.push_back('\0');
    }
  }

  Result<uint64_t> count(std::string_view table) override {
    if (auto ok = check_table(table); !ok) return fail(ok.error());
    Rows rows = conn_.query(kCount, {table});
    if (!rows.ok()) return fail(failed(rows));
    return static_cast<uint64_t>(rows.integer(0, 0));
  }

  Status put(std::string_view table, std::string_view key, std::string_view value) override {
    if (auto ok = check(table, key); !ok) return ok;
    Rows rows = conn_.query(kPut, {table}, {key, value});
    if (!rows.ok()) return fail(failed(rows));
    return {};
  }

  Status del(std::string_view table, std::string_view key) override {
    if (auto ok = check(table, key); !ok) return ok;
    Rows rows = conn_.query(kDelete, {table}, {key});
    if (!rows.ok()) return fail(failed(rows));
    return {};
  }

 private:
  Status check_table(std::string_view table) {
    if (!failure_.empty()) return fail(Error::unavailable(failure_));
    if (!tables_.contains(table)) return fail(Error::invalid_argument("storage: unknown table " + std::string(table)));
    return {};
  }
  Status check(std::string_view table, std::string_view key) {
    if (auto ok = check_table(table); !ok) return ok;
    return check_key(key);
  }

  // Records the first failure: the transaction is over on the server.
  Error failed(const Rows& rows) {
    if (failure_.empty()) {
      failure_ = rows.error();
      if (rows.failure() == Failure::kRetry) ending_ = Ending::kRetry;
      if (rows.failure() == Failure::kBroken) ending_ = Ending::kBroken;
    }
    return Error::unavailable(failure_);
  }

  pg::Connection& conn_;
  const std::set<std::string, std::less<>>& tables_;
  Ending ending_ = Ending::kOk;
  std::string failure_;
};

class PgKvStore final : public KvStore {
 public:
  PgKvStore(const PostgresOptions& options, std::set<std::string, std::less<>> tables)
      : pool_(pg::PoolOptions{options.url, options.pool_size, options.acquire_timeout, options.on_state_change}),
        tables_(std::move(tables)),
        max_attempts_(options.max_attempts) {}

  pg::Pool& pool() { return pool_; }

  Status view(const std::function<Status(ReadTxn&)>& fn) override {
    return run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
               [&fn](PgTxn& txn) { return call_guarded(fn, static_cast<ReadTxn&>(txn)); });
  }

  Status update(const std::function<Status(WriteTxn&)>& fn) override {
    return run("BEGIN ISOLATION LEVEL SERIALIZABLE",
               [&fn](PgTxn& txn) { return call_guarded(fn, static_cast<WriteTxn&>(txn)); });
  }

 private:
  enum class Outcome { kDone, kRetry };

  Status run(const std::string& begin, const std::function<Status(PgTxn&)>& body) {
    std::string last;
    for (int attempt = 0; attempt < max_attempts_; ++attempt) {
      if (attempt > 0) back_off(attempt);
      auto outcome = attempt_once(begin, body, last);
      if (!outcome) return fail(outcome.error());
      if (*outcome == Outcome::kDone) return {};
    }
    return fail(Error::unavailable("postgres: the transaction kept conflicting with others (" + last + ")"));
  }

  // One run on one connection. A connection found dead before anything was
  // sent in this transaction (an idle one after a server restart) is simply
  // replaced; a death later is the caller's 503.
  Result<Outcome> attempt_once(const std::string& begin, const std::function<Status(PgTxn&)>& body,
                               std::string& last) {
    auto lease = pool_.acquire();
    if (!lease) return fail(lease.error());
    Rows rows = (*lease)->exec(begin);
    if (!rows.ok()) {
      if (rows.failure() == Failure::kBroken) {
        lease->discard(rows.error());
        last = rows.error();
        return Outcome::kRetry;
      }
      return fail(Error::unavailable(rows.error()));
    }
    PgTxn txn(**lease, tables_);
    Status result = body(txn);
    switch (txn.ending()) {
      case Ending::kBroken:
        lease->discard(txn.failure());
        return fail(Error::unavailable(txn.failure()));
      case Ending::kRetry:
        (*lease)->exec("ROLLBACK");
        last = txn.failure();
        return Outcome::kRetry;
      case Ending::kOk:
        break;
    }
    if (!result) {
      (*lease)->exec("ROLLBACK");
      return fail(result.error());
    }
    rows = (*lease)->exec("COMMIT");
    if (rows.ok()) return Outcome::kDone;
    if (rows.failure() == Failure::kRetry) {
      last = rows.error();
      return Outcome::kRetry;  // the server rolled it back
    }
    if (rows.failure() == Failure::kBroken) {
      lease->discard(rows.error());
      return fail(Error::unavailable("postgres: the connection broke during COMMIT: " + rows.error()));
    }
    (*lease)->exec("ROLLBACK");
    return fail(Error::unavailable(rows.error()));
  }

  // Randomized exponential back-off, so that transactions that just collided
  // do not collide again in lockstep.
  static void back_off(int attempt) {
    thread_local std::minstd_rand random{std::random_device{}()};
    int ceiling_us = 100 << std::min(attempt, 8);  // 0.2 ms .. 25.6 ms
    std::uniform_int_distribution<int> pick(0, ceiling_us);
    std::this_thread::sleep_for(std::chrono::microseconds(pick(random)));
  }

  pg::Pool pool_;
  std::set<std::string, std::less<>> tables_;
  int max_attempts_;
};

Status validate(const PostgresOptions& options) {
  if (options.url.empty()) return fail(Error::invalid_argument("postgres: the connection URL is empty"));
  if (options.pool_size < 1) return fail(Error::invalid_argument("postgres: pool_size must be at least 1"));
  if (options.max_attempts < 1) return fail(Error::invalid_argument("postgres: max_attempts must be at least 1"));
  std::set<std::string_view> seen;
  for (const std::string& table : options.tables) {
    if (table.empty() || table.size() > 64) {
      return fail(Error::invalid_argument("postgres: a table name must have 1..64 bytes"));
    }
    if (!seen.insert(table).second) return fail(Error::invalid_argument("postgres: duplicate table " + table));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<KvStore>> open_postgres_store(const PostgresOptions& options) {
  if (auto ok = validate(options); !ok) return fail(ok.error());
  auto store = std::make_unique<PgKvStore>(options,
                                           std::set<std::string, std::less<>>(options.tables.begin(), options.tables.end()));
  auto lease = store->pool().acquire();
  if (!lease) return fail(lease.error());
  auto migrated = pg::migrate(**lease);
  if (!migrated) return fail(migrated.error());
  return std::unique_ptr<KvStore>(std::move(store));
}

}  // namespace passerelle::storage
