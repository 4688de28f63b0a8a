// Opens the store a config names: LMDB under data_dir (the default) or a
// shared PostgreSQL database ("storage": {"backend": "postgres", "url": ...}),
// with every table the broker uses. Opening a PostgreSQL store creates or
// migrates its schema first.
#pragma once

#include <memory>

#include "config/config.h"
#include "storage/kv_store.h"

namespace passerelle {

Result<std::unique_ptr<storage::KvStore>> open_configured_store(const Config& config);

}  // namespace passerelle
