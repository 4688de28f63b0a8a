#include "app/store_factory.h"

#include <filesystem>

#include "storage/lmdb/lmdb_kv_store.h"
#include "store/tables.h"

namespace passerelle {

Result<std::unique_ptr<storage::KvStore>> open_configured_store(const Config& config) {
  if (config.storage_backend != "lmdb") {
    return fail(Error::invalid_argument("storage.backend \"" + config.storage_backend + "\" is not available in this build"));
  }
  storage::LmdbOptions options;
  options.path = (std::filesystem::path(config.data_dir) / "lmdb").string();
  options.tables = tables::all_tables();
  return storage::open_lmdb_store(options);
}

}  // namespace passerelle
