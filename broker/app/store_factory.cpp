#include "app/store_factory.h"

#include <filesystem>

#include "core/event_log.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/postgres/pg_kv_store.h"
#include "store/tables.h"

namespace passerelle {

Result<std::unique_ptr<storage::KvStore>> open_configured_store(const Config& config) {
  if (config.storage_backend == "postgres") {
    storage::PostgresOptions options;
    options.url = config.storage_url;
    options.tables = tables::all_tables();
    options.pool_size = config.storage_pool_size;
    // Requests answer 503 while the database is away; operators see one line
    // when it goes and one when it is back, not one per request.
    options.on_state_change = [](const std::string& state) {
      bool back = state.starts_with("reachable");
      log_event("storage_state", {{"backend", "postgres"}, {"state", state}},
                back ? LogLevel::kInfo : LogLevel::kError);
    };
    return storage::open_postgres_store(options);
  }
  storage::LmdbOptions options;
  options.path = (std::filesystem::path(config.data_dir) / "lmdb").string();
  options.tables = tables::all_tables();
  return storage::open_lmdb_store(options);
}

}  // namespace passerelle
