// `passerelle-bench-tool preload`: fills a broker's store with many users,
// broker sessions and refresh-token families, so the benchmark can measure a
// broker whose tables are large instead of nearly empty. It writes the same
// records, keys, indexes and expiry entries the broker writes (a password
// login's session, a code exchange's family), so the broker reads them as its
// own. Run it while no broker has the store open. Single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <passerelle/result.h>

#include "config/config.h"
#include "storage/kv_store.h"

namespace passerelle::bench {

struct PreloadSpec {
  size_t users = 0;
  size_t sessions = 0;  // <= users: session i belongs to user i
  size_t families = 0;  // <= sessions: family i belongs to session i (and its user)
  std::string client_id;   // the families' client: must allow refresh_token
  std::string scope = "openid email offline_access";
  std::string password = "bench-preload-password";  // every preloaded user's (one hash)
  std::string email_domain = "preload.bench.test";
  // Records per write transaction (each kind counts): large enough that the
  // fsync per commit is noise, small enough that a transaction's dirty pages
  // stay a few tens of megabytes.
  size_t batch = 10000;
};

struct PreloadSummary {
  size_t users = 0;
  size_t sessions = 0;
  size_t families = 0;
  size_t transactions = 0;
  double hash_seconds = 0;   // the one Argon2 hash
  double write_seconds = 0;  // every batch, commits included
};

// Writes spec's records into `store` for the broker configured by `config`
// (its client policies, its session lifetimes, its database connection).
// Fails with kInvalidArgument when the client is unknown or cannot refresh,
// or there are more families than sessions or sessions than users; kAlreadyExists when a
// preloaded e-mail is already taken (preload once per data_dir); or the
// store's error. Batches committed before a failure stay.
Result<PreloadSummary> preload(storage::KvStore& store, const Config& config, const PreloadSpec& spec);

}  // namespace passerelle::bench
