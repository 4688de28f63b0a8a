#include "session/session_revoker.h"

#include "session/session_store.h"
#include "tokens/refresh_token_store.h"

namespace passerelle {

Status SessionRevoker::end_by_key(storage::WriteTxn& txn, const std::string& key, const std::string& reason) {
  auto ended = SessionStore::erase(txn, key);
  if (!ended) return fail(ended.error());
  if (!*ended || (*ended)->user_id.empty()) return {};
  return RefreshTokenStore::revoke_session_families(txn, (*ended)->user_id, (*ended)->sid, revokes_, reason,
                                                    clock_.now());
}

Status SessionRevoker::end_by_cookie(std::string_view cookie) {
  std::string key = SessionStore::storage_key(cookie);
  return store_.update([&](storage::WriteTxn& txn) { return end_by_key(txn, key, "session ended (logout)"); });
}

Result<bool> SessionRevoker::end_by_sid(std::string_view sid) {
  bool found = false;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto key = SessionStore::key_for_sid(txn, sid);
    if (!key) return fail(key.error());
    found = key->has_value();
    if (!found) return {};
    return end_by_key(txn, **key, "session revoked by an administrator");
  });
  if (!st) return fail(st.error());
  return found;
}

Status SessionRevoker::end_all_for_user(storage::WriteTxn& txn, const std::string& user_id) {
  auto keys = SessionStore::keys_for_user(txn, user_id);
  if (!keys) return fail(keys.error());
  for (const auto& key : *keys) {
    if (auto st = end_by_key(txn, key, "the user's sessions were ended"); !st) return st;
  }
  return {};
}

Status SessionRevoker::end_all_for_user(const std::string& user_id) {
  return store_.update([&](storage::WriteTxn& txn) { return end_all_for_user(txn, user_id); });
}

}  // namespace passerelle
