#include "session/upstream_login_store.h"

#include "core/secrets.h"
#include "session/login_transaction.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {

Status UpstreamLoginStore::put(std::string_view state, PendingUpstreamLogin login) {
  login.expires_at = clock_.now() + LoginTransactionStore::kLifetime;
  std::string key = sha256_hex(state);
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    if (auto s = put_record(txn, tables::kUpstreamLogins, key, login); !s) return s;
    return storage::set_expiry(txn, tables::kUpstreamLogins, key, login.expires_at);
  });
}

Result<std::optional<PendingUpstreamLogin>> UpstreamLoginStore::take(std::string_view state) {
  if (state.empty()) return std::optional<PendingUpstreamLogin>();
  std::string key = sha256_hex(state);
  std::optional<PendingUpstreamLogin> taken;
  const int64_t now = clock_.now();
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<PendingUpstreamLogin>(txn, tables::kUpstreamLogins, key);
    if (!found) return fail(found.error());
    if (!*found) return {};
    if (auto s = txn.del(tables::kUpstreamLogins, key); !s) return s;
    if (auto s = storage::clear_expiry(txn, tables::kUpstreamLogins, key); !s) return s;
    if ((*found)->expires_at > now) taken = std::move(**found);
    return {};
  });
  if (!st) return fail(st.error());
  return taken;
}

}  // namespace passerelle
