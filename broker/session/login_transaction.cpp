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
  auto found = read_record<LoginTransaction>(store_, tables::kLoginTransactions, sha256_hex(id));
  if (!found) return fail(found.error());
  if (*found && (*found)->expires_at <= clock_.now()) found->reset();
  return *found;
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
