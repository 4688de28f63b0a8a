// The store commands of the passerelle executable: `export` and `import`
// copy every table between a config's store and a dump file (storage/
// transfer.h), the way to move from the embedded LMDB store to a shared
// PostgreSQL one; `migrate` opens the store, which creates or migrates a
// PostgreSQL schema. They open only the store: no Broker, so no seeding of
// the config's clients and users (an import needs an empty target) and no
// connectors. Each call opens and closes its own store; no shared state.
#pragma once

#include <istream>
#include <ostream>
#include <string>

#include "config/config.h"
#include "storage/transfer.h"

namespace passerelle {

// Writes the dump of the configured store to `path`, or to `std_out` when
// path is "-". The file is created with mode 0600 (it holds password hashes,
// token digests and signing keys) and synced before success is reported.
// Fails with kAlreadyExists when `path` exists (nothing is overwritten),
// kUnavailable when it cannot be created or written (a partial file is
// removed), or the store's error.
Status export_configured_store(const Config& config, const std::string& path, std::ostream& std_out);

// Imports the dump at `path` ("-": `std_in`) into the configured store, which
// must be empty. Fails with kNotFound when the file cannot be opened, or as
// storage::import_store does; on failure the store is unchanged.
Result<storage::ImportSummary> import_configured_store(const Config& config, const std::string& path,
                                                       std::istream& std_in);

// Opens the configured store (creating or migrating a PostgreSQL schema) and
// closes it. Returns a line saying which store is ready; never names a
// database URL, which may carry a password.
Result<std::string> migrate_configured_store(const Config& config);

}  // namespace passerelle
