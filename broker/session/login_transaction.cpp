#include "session/login_transaction.h"

#include "core/secrets.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {

Result<std::string> LoginTransactionStore::create(LoginTransaction& tx) {
  tx.expires_at = clock_.now() + kLifetime;
  tx.csrf_token = random_token();
  std::string id = random_token();
  if (auto st = save(id, tx); !st) return fail(st.error());
  return id;
}

Result<std::optional<LoginTransaction>> LoginTransactionStore::find(std::string_view id) {
  std::optional<LoginTransaction> found;
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    auto tx = get_record<LoginTransaction>(txn, tables::kLoginTransactions, sha256_hex(id));
    if (!tx) return fail(tx.error());
    found = std::move(*tx);
    return {};
  });
  if (!st) return fail(st.error());
  if (found && found->expires_at <= clock_.now()) found.reset();
  return found;
}

Status LoginTransactionStore::save(std::string_view id, const LoginTransaction& tx) {
  std::string key = sha256_hex(id);
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    if (auto st = put_record(txn, tables::kLoginTransactions, key, tx); !st) return st;
    return storage::set_expiry(txn, tables::kLoginTransactions, key, tx.expires_at);
  });
}

Status LoginTransactionStore::remove(std::string_view id) {
  std::string key = sha256_hex(id);
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    if (auto st = txn.del(tables::kLoginTransactions, key); !st) return st;
    return storage::clear_expiry(txn, tables::kLoginTransactions, key);
  });
}

}  // namespace passerelle
