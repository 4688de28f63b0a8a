// The SQL schema of the PostgreSQL backend and its migrations. The database
// records the versions it has reached in passerelle_schema_version; opening
// a store applies the missing ones in order, in one transaction, so a failed
// migration leaves the previous version intact. Several nodes starting at
// once are safe: all but one lose a conflict, roll back, and then find the
// work done. The SQL sticks to what PostgreSQL, CockroachDB and YugabyteDB
// all accept (no advisory locks, no PL/pgSQL).
#pragma once

#include "storage/postgres/pg_connection.h"

namespace passerelle::storage::pg {

// The version this build writes and reads.
inline constexpr int kSchemaVersion = 1;

struct Migration {
  int from = 0;  // the version found (0: an empty database)
  int to = 0;    // the version reached
};

// Brings the database behind `conn` to kSchemaVersion. Fails with
// kInvalidArgument when it is already newer (a newer broker migrated it),
// kUnavailable when the server fails or conflicts never settle.
Result<Migration> migrate(Connection& conn);

}  // namespace passerelle::storage::pg
