#include "storage/lmdb/lmdb_kv_store.h"

namespace passerelle::storage {

Result<std::unique_ptr<KvStore>> open_lmdb_store(const LmdbOptions&) {
  return fail(Error::internal("lmdb backend not built yet"));
}

}  // namespace passerelle::storage
