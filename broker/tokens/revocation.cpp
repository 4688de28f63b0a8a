#include "tokens/revocation.h"

#include "storage/expiry_index.h"
#include "store/tables.h"

namespace passerelle {

Status revoke_access_token(storage::WriteTxn& txn, std::string_view jti, int64_t expires_at) {
  if (jti.empty()) return {};
  if (auto st = txn.put(tables::kRevokedTokens, jti, std::to_string(expires_at)); !st) return st;
  return storage::set_expiry(txn, tables::kRevokedTokens, jti, expires_at);
}

Result<bool> is_access_token_revoked(storage::KvStore& store, std::string_view jti) {
  bool revoked = false;
  auto st = store.view([&](storage::ReadTxn& txn) -> Status {
    auto v = txn.get(tables::kRevokedTokens, jti);
    if (!v) return fail(v.error());
    revoked = v->has_value();
    return {};
  });
  if (!st) return fail(st.error());
  return revoked;
}

}  // namespace passerelle
