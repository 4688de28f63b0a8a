#include "security/login_blocks.h"

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

struct FailureCount {
  int64_t failures = 0;
  int64_t blocked_until = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(FailureCount, failures, blocked_until)

std::string key_of(std::string_view identifier, std::string_view ip) {
  return tables::index_key(lower_ascii(identifier), ip);
}

}  // namespace

Result<int64_t> LoginBlocks::blocked_for(std::string_view identifier, std::string_view ip) {
  auto found = read_record<FailureCount>(store_, tables::kLoginFailures, key_of(identifier, ip));
  if (!found) return fail(found.error());
  int64_t now = clock_.now();
  if (!*found || (*found)->blocked_until <= now) return int64_t{0};
  return (*found)->blocked_until - now;
}

Result<bool> LoginBlocks::record_failure(std::string_view identifier, std::string_view ip) {
  if (policy_.max_failures == 0) return false;
  const std::string key = key_of(identifier, ip);
  const int64_t now = clock_.now();
  bool started = false;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    started = false;
    auto found = get_record<FailureCount>(txn, tables::kLoginFailures, key);
    if (!found) return fail(found.error());
    FailureCount count = found->value_or(FailureCount{});
    if (count.blocked_until != 0 && count.blocked_until <= now) count = {};  // an ended block starts afresh
    if (++count.failures >= policy_.max_failures && count.blocked_until == 0) {
      count.blocked_until = now + policy_.block_seconds;
      started = true;
    }
    if (auto s = put_record(txn, tables::kLoginFailures, key, count); !s) return s;
    // Forgotten one block period after the last failure or the block's end.
    return storage::set_expiry(txn, tables::kLoginFailures, key, std::max(now, count.blocked_until) + policy_.block_seconds);
  });
  if (!st) return fail(st.error());
  return started;
}

Status LoginBlocks::record_success(std::string_view identifier, std::string_view ip) {
  const std::string key = key_of(identifier, ip);
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    if (auto s = txn.del(tables::kLoginFailures, key); !s) return s;
    return storage::clear_expiry(txn, tables::kLoginFailures, key);
  });
}

Result<std::vector<BlockedFor>> LoginBlocks::list(std::string_view identifier) {
  std::vector<BlockedFor> blocks;
  const std::string prefix = tables::index_key(lower_ascii(identifier), "");
  const int64_t now = clock_.now();
  auto st = store_.view([&](storage::ReadTxn& txn) {
    return scan_records<FailureCount>(txn, tables::kLoginFailures, prefix, [&](std::string_view key, FailureCount&& c) {
      if (c.blocked_until > now) {
        blocks.push_back({lower_ascii(identifier), std::string(key.substr(prefix.size())), c.blocked_until});
      }
      return true;
    });
  });
  if (!st) return fail(st.error());
  return blocks;
}

Status LoginBlocks::unblock(std::string_view identifier) {
  const std::string prefix = tables::index_key(lower_ascii(identifier), "");
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto keys = list_keys(txn, tables::kLoginFailures, prefix);
    if (!keys) return fail(keys.error());
    for (const auto& key : *keys) {
      if (auto s = txn.del(tables::kLoginFailures, key); !s) return s;
      if (auto s = storage::clear_expiry(txn, tables::kLoginFailures, key); !s) return s;
    }
    return {};
  });
}

}  // namespace passerelle
