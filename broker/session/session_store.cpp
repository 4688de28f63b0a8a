#include "session/session_store.h"

#include <algorithm>

#include "core/secrets.h"
#include "session/upstream_session_store.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

// Writes `table[key] = value` with an expiry (an index entry: a renewal
// usually finds both unchanged and writes nothing), or deletes it and its expiry.
Status put_expiring(storage::WriteTxn& txn, std::string_view table, const std::string& key,
                    const std::string& value, int64_t expires_at) {
  if (auto st = storage::put_if_changed(txn, table, key, value); !st) return st;
  return storage::set_expiry(txn, table, key, expires_at);
}

Status erase_expiring(storage::WriteTxn& txn, std::string_view table, const std::string& key) {
  if (auto st = txn.del(table, key); !st) return st;
  return storage::clear_expiry(txn, table, key);
}

}  // namespace

// Authenticated sessions are indexed by user and by sid for the Management
// API; the index entries expire with the session's absolute lifetime, which
// no renewal moves.
Status SessionStore::write(storage::WriteTxn& txn, const std::string& key, const BrokerSession& s) {
  if (auto st = put_record(txn, tables::kSessions, key, s); !st) return st;
  if (auto st = storage::set_expiry(txn, tables::kSessions, key, s.expires_at()); !st) return st;
  if (s.user_id.empty()) return {};
  if (auto st = put_expiring(txn, tables::kSessionsByUser, tables::index_key(s.user_id, s.sid), key,
                             s.absolute_expires_at); !st) {
    return st;
  }
  return put_expiring(txn, tables::kSessionsBySid, s.sid, key, s.absolute_expires_at);
}

Result<std::optional<BrokerSession>> SessionStore::erase(storage::WriteTxn& txn, const std::string& key) {
  auto found = get_record<BrokerSession>(txn, tables::kSessions, key);
  if (!found) return fail(found.error());
  if (auto st = erase_expiring(txn, tables::kSessions, key); !st) return fail(st.error());
  if (*found && !(*found)->user_id.empty()) {
    const BrokerSession& s = **found;
    if (auto st = erase_expiring(txn, tables::kSessionsByUser, tables::index_key(s.user_id, s.sid)); !st) {
      return fail(st.error());
    }
    if (auto st = erase_expiring(txn, tables::kSessionsBySid, s.sid); !st) return fail(st.error());
    // The upstream record is this session's; it goes with it.
    if (auto st = UpstreamSessionStore::erase(txn, s.upstream_session_id); !st) return fail(st.error());
  }
  return found;
}

Result<std::vector<std::string>> SessionStore::keys_for_user(storage::ReadTxn& txn, std::string_view user_id) {
  std::vector<std::string> keys;
  auto st = txn.scan_prefix(tables::kSessionsByUser, tables::index_key(user_id, ""),
                            [&](std::string_view, std::string_view key) {
                              keys.emplace_back(key);
                              return true;
                            });
  if (!st) return fail(st.error());
  return keys;
}

Result<std::optional<std::string>> SessionStore::key_for_sid(storage::ReadTxn& txn, std::string_view sid) {
  auto key = txn.get(tables::kSessionsBySid, sid);
  if (!key) return fail(key.error());
  if (!*key) return std::optional<std::string>();
  return std::optional<std::string>(std::string(**key));
}

Result<std::vector<BrokerSession>> SessionStore::list_for_user(std::string_view user_id) {
  std::vector<BrokerSession> sessions;
  const int64_t now = clock_.now();
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    auto keys = keys_for_user(txn, user_id);
    if (!keys) return fail(keys.error());
    for (const auto& key : *keys) {
      auto s = get_record<BrokerSession>(txn, tables::kSessions, key);
      if (!s) return fail(s.error());
      if (*s && (*s)->live_at(now)) sessions.push_back(std::move(**s));
    }
    return {};
  });
  if (!st) return fail(st.error());
  return sessions;
}

std::string SessionStore::storage_key(std::string_view cookie) { return sha256_hex(cookie); }

Result<OpenSession> SessionStore::create(BrokerSession session) {
  int64_t now = clock_.now();
  session.sid = random_token();
  session.created_at = now;
  session.last_seen_at = now;
  session.idle_expires_at = now + lifetimes_.idle;
  session.absolute_expires_at = now + lifetimes_.absolute;
  OpenSession opened{random_token(), std::move(session)};
  auto st = store_.update([&](storage::WriteTxn& txn) {
    return write(txn, storage_key(opened.cookie), opened.session);
  });
  if (!st) return fail(st.error());
  return opened;
}

Result<OpenSession> SessionStore::create_anonymous() { return create(BrokerSession{}); }

Result<std::optional<BrokerSession>> SessionStore::find(std::string_view cookie) {
  if (cookie.empty()) return std::optional<BrokerSession>();
  auto found = read_record<BrokerSession>(store_, tables::kSessions, storage_key(cookie));
  if (!found) return fail(found.error());
  if (*found && !(*found)->live_at(clock_.now())) {
    // Expired but not yet swept: it is gone for every purpose.
    if (auto d = destroy(cookie); !d) return fail(d.error());
    found->reset();
  }
  return *found;
}

Result<OpenSession> SessionStore::login(std::string_view old_cookie, const Authentication& auth) {
  if (!old_cookie.empty()) {
    if (auto d = destroy(old_cookie); !d) return fail(d.error());
  }
  BrokerSession session;
  session.user_id = auth.user_id;
  session.authenticated = true;
  session.auth_time = clock_.now();
  session.amr = auth.amr;
  session.acr = auth.acr;
  session.connection = auth.connection;
  session.upstream_session_id = auth.upstream_session_id;
  return create(std::move(session));
}

Status SessionStore::touch(std::string_view cookie, std::string_view client_id, const AlsoInTxn& also) {
  std::string key = storage_key(cookie);
  int64_t now = clock_.now();
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto s = get_record<BrokerSession>(txn, tables::kSessions, key);
    if (!s) return fail(s.error());
    if (!*s || !(*s)->live_at(now)) return fail(Error::not_found("session ended"));
    BrokerSession& session = **s;
    const int64_t idle_expires_at = std::min(now + lifetimes_.idle, session.absolute_expires_at);
    const bool joins = !client_id.empty() &&
                       std::find(session.clients.begin(), session.clients.end(), client_id) == session.clients.end();
    // Touched again within the same second by a client it already has (a
    // busy app's silent logins): the record would be written byte for byte
    // as it is, and rewriting it would still copy its pages.
    const bool changed = joins || session.last_seen_at != now || session.idle_expires_at != idle_expires_at;
    session.last_seen_at = now;
    session.idle_expires_at = idle_expires_at;
    if (joins) session.clients.emplace_back(client_id);
    if (also) {
      if (auto st = also(txn); !st) return st;
    }
    return changed ? write(txn, key, session) : Status{};
  });
}

Status SessionStore::record_mfa(std::string_view cookie, std::string_view method,
                                const std::vector<std::string>& amr, std::string_view acr) {
  std::string key = storage_key(cookie);
  int64_t now = clock_.now();
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto s = get_record<BrokerSession>(txn, tables::kSessions, key);
    if (!s) return fail(s.error());
    if (!*s || !(*s)->live_at(now) || !(*s)->authenticated) return fail(Error::not_found("session ended"));
    BrokerSession& session = **s;
    session.mfa_time = now;
    session.mfa_method = method;
    for (const auto& value : amr) {
      if (std::find(session.amr.begin(), session.amr.end(), value) == session.amr.end()) session.amr.push_back(value);
    }
    session.acr = acr;
    return write(txn, key, session);
  });
}

Status SessionStore::destroy(std::string_view cookie) {
  std::string key = storage_key(cookie);
  return store_.update([&](storage::WriteTxn& txn) { return erase(txn, key).map([](auto&&) {}); });
}

}  // namespace passerelle
