// Ending broker sessions for good: logout, an administrator's revocation,
// and S4 (a credential change ends all of a user's sessions). Each ending
// also revokes the refresh-token families the session started, as the
// config says (session.revoke_refresh_tokens), in the same write
// transaction. Thread-safe (state lives in the KvStore).
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/clock.h"
#include "storage/kv_store.h"

namespace passerelle {

class SessionRevoker {
 public:
  SessionRevoker(storage::KvStore& store, const Clock& clock, SessionEndRevokes revokes)
      : store_(store), clock_(clock), revokes_(revokes) {}

  // Ends the session the browser's `cookie` addresses; a missing one is fine.
  Status end_by_cookie(std::string_view cookie);

  // Ends the session whose public id is `sid`; false when there is none.
  Result<bool> end_by_sid(std::string_view sid);

  // Ends every session of the user, inside the caller's transaction.
  Status end_all_for_user(storage::WriteTxn& txn, const std::string& user_id);
  Status end_all_for_user(const std::string& user_id);

 private:
  Status end_by_key(storage::WriteTxn& txn, const std::string& key, const std::string& reason);

  storage::KvStore& store_;
  const Clock& clock_;
  SessionEndRevokes revokes_;
};

}  // namespace passerelle
