#include "session/upstream_session_store.h"

#include "core/secrets.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {

Result<std::string> UpstreamSessionStore::create(const UpstreamSession& session) {
  std::string id = random_token();
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    if (auto s = put_record(txn, tables::kUpstreamSessions, id, session); !s) return s;
    return storage::set_expiry(txn, tables::kUpstreamSessions, id, session.expires_at);
  });
  if (!st) return fail(st.error());
  return id;
}

Result<std::optional<UpstreamSession>> UpstreamSessionStore::find(std::string_view id) {
  if (id.empty()) return std::optional<UpstreamSession>();
  return read_record<UpstreamSession>(store_, tables::kUpstreamSessions, id);
}

Status UpstreamSessionStore::erase(storage::WriteTxn& txn, std::string_view id) {
  if (id.empty()) return {};
  if (auto s = txn.del(tables::kUpstreamSessions, id); !s) return s;
  return storage::clear_expiry(txn, tables::kUpstreamSessions, id);
}

}  // namespace passerelle
