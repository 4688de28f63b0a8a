#include "storage/postgres/pg_schema.h"

#include <chrono>
#include <thread>

namespace passerelle::storage::pg {
namespace {

// Index i holds the statements that take the schema from version i to i + 1.
const std::vector<std::vector<std::string>>& migrations() {
  static const std::vector<std::vector<std::string>> all = {
      // 0 -> 1: every table of the interface as a key range of one table.
      // VARCHAR(64) bounds table names; keys are at most 511 bytes.
      {"CREATE TABLE passerelle_kv ("
       " tbl VARCHAR(64) NOT NULL,"
       " k BYTEA NOT NULL,"
       " v BYTEA NOT NULL,"
       " PRIMARY KEY (tbl, k))"},
  };
  return all;
}

// Conditions a concurrent migration by another node produces: run again.
bool lost_race(const Rows& rows) {
  const std::string& state = rows.sqlstate();
  return rows.failure() == Failure::kRetry || state == "23505"  // unique_violation (catalog rows)
         || state == "42P07";                                 // duplicate_table
}

enum class Step { kDone, kAgain };

Result<Step> attempt(Connection& conn, Migration& migration) {
  auto failed = [&conn](const Rows& rows) -> Result<Step> {
    conn.exec("ROLLBACK");
    if (lost_race(rows)) return Step::kAgain;
    return fail(Error::unavailable("postgres: schema migration: " + rows.error()));
  };
  Rows rows = conn.exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
  if (!rows.ok()) return failed(rows);
  rows = conn.exec(
      "CREATE TABLE IF NOT EXISTS passerelle_schema_version ("
      " version INTEGER PRIMARY KEY,"
      " applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
  if (!rows.ok()) return failed(rows);
  rows = conn.query("SELECT COALESCE(MAX(version), 0) FROM passerelle_schema_version", {});
  if (!rows.ok()) return failed(rows);
  int found = static_cast<int>(rows.integer(0, 0));
  migration.from = found;
  if (found > kSchemaVersion) {
    conn.exec("ROLLBACK");
    return fail(Error::invalid_argument("postgres: the database schema is at version " + std::to_string(found) +
                                        ", newer than this broker's " + std::to_string(kSchemaVersion)));
  }
  for (int version = found; version < kSchemaVersion; ++version) {
    for (const std::string& sql : migrations()[version]) {
      rows = conn.exec(sql);
      if (!rows.ok()) return failed(rows);
    }
    rows = conn.query("INSERT INTO passerelle_schema_version (version) VALUES ($1)", {std::to_string(version + 1)});
    if (!rows.ok()) return failed(rows);
  }
  rows = conn.exec("COMMIT");
  if (!rows.ok()) return failed(rows);
  migration.to = kSchemaVersion;
  return Step::kDone;
}

}  // namespace

Result<Migration> migrate(Connection& conn) {
  static_assert(kSchemaVersion >= 1);
  constexpr int kAttempts = 20;
  for (int i = 0; i < kAttempts; ++i) {
    Migration migration;
    auto step = attempt(conn, migration);
    if (!step) return fail(step.error());
    if (*step == Step::kDone) return migration;
    // Another node is migrating: give it time to commit.
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * (i + 1)));
  }
  return fail(Error::unavailable("postgres: schema migration kept conflicting with another node"));
}

}  // namespace passerelle::storage::pg
