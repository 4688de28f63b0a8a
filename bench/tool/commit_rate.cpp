#include "commit_rate.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/secrets.h"
#include "core/encoding.h"
#include "core/time_ordered.h"
#include "storage/lmdb/lmdb_kv_store.h"
#include "storage/record.h"
#include "store/tables.h"
#include "tokens/refresh_token_store.h"

namespace passerelle::bench {
namespace {

constexpr std::string_view kTable = "commit_rate";

// The two expiry-index entries of one record (storage/expiry_index.cpp): by
// time (8 bytes of time, the table, a NUL and the key; no value) and by
// record (the table, a NUL and the key; the 8 bytes of time as value).
size_t expiry_bytes(std::string_view table, size_t key_size) { return 2 * (table.size() + 1 + key_size) + 16; }

}  // namespace

size_t refresh_exchange_bytes() {
  // A family as a code exchange of the bench's web client leaves it, with
  // fields of their real lengths (ids and secrets are random, so only their
  // lengths matter).
  RefreshFamily family;
  family.id = time_ordered_id("rtf_", 1'800'000'000);
  family.secret = hex_encode(random_bytes(32));
  family.client_id = "bench-web";
  family.user_id = "user_" + hex_encode(random_bytes(12));
  family.sid = random_token();
  family.scope = "openid email offline_access";
  family.auth_time = family.created_at = family.last_exchanged_at = 1'800'000'000;
  family.amr = {"pwd"};
  family.rotating = true;
  family.absolute_expires_at = family.last_access_expires_at = 1'800'086'400;
  family.last_access_jti = random_token();
  StoredRefreshToken token{family.id, 1'800'000'000, 0, 1'800'000'000};
  const size_t token_key = token_storage_key(time_ordered_token(1'800'000'000)).size();
  size_t bytes = family.id.size() + storage::encode_record(1, nlohmann::json(family)).size();
  bytes += 2 * (token_key + storage::encode_record(1, nlohmann::json(token)).size());
  const size_t index_key = family.user_id.size() + 1 + family.id.size();
  bytes += index_key;
  bytes += expiry_bytes(tables::kRefreshFamilies, family.id.size()) +
           2 * expiry_bytes(tables::kRefreshTokens, token_key) +
           expiry_bytes(tables::kRefreshFamiliesByUser, index_key);
  return bytes;
}

Result<CommitRate> measure_commit_rate(const CommitRateSpec& spec) {
  if (spec.dir.empty() || !(spec.seconds > 0) || spec.threads == 0) {
    return fail(Error::invalid_argument("commit-rate: needs --dir, seconds > 0 and threads > 0"));
  }
  storage::LmdbOptions options;  // durable and grouped, as the broker opens its store
  options.path = spec.dir;
  options.tables = {std::string(kTable)};
  auto store = storage::open_lmdb_store(options);
  if (!store) return fail(store.error());

  CommitRate rate;
  rate.bytes = spec.bytes ? spec.bytes : refresh_exchange_bytes();
  const std::string value = random_bytes(rate.bytes);
  std::atomic<size_t> commits{0};
  std::atomic<bool> failed{false};
  Error first_error = Error::internal("");
  std::atomic_flag error_taken = ATOMIC_FLAG_INIT;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(spec.seconds));
  auto commit_loop = [&](size_t thread) {
    for (size_t n = 0; !failed && std::chrono::steady_clock::now() < deadline; ++n) {
      // A new key each time: an insert, as a new token is.
      std::string key = std::to_string(thread) + ":" + std::to_string(n);
      auto st = (*store)->update([&](storage::WriteTxn& txn) { return txn.put(kTable, key, value); });
      if (!st) {
        if (!error_taken.test_and_set()) first_error = st.error();
        failed = true;
        return;
      }
      commits++;
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 1; t < spec.threads; ++t) threads.emplace_back(commit_loop, t);
  commit_loop(0);
  for (auto& t : threads) t.join();
  rate.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed) return fail(first_error);
  rate.commits = commits;
  return rate;
}

}  // namespace passerelle::bench
