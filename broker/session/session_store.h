// Broker sessions in storage, with the lifetimes of S1 and the regeneration
// of S3. A session is addressed by its cookie value (256 random bits); only
// the cookie's SHA-256 is stored. Thread-safe (state lives in the KvStore).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "session/broker_session.h"
#include "storage/kv_store.h"

namespace passerelle {

struct SessionLifetimes {
  int64_t idle = 259200;
  int64_t absolute = 604800;
};

// A session and the cookie value that addresses it.
struct OpenSession {
  std::string cookie;
  BrokerSession session;
};

struct Authentication {
  std::string user_id;
  std::vector<std::string> amr;
  std::string acr;
  std::string connection;
  std::string upstream_session_id;  // "" for a login at the broker itself
};

class SessionStore {
 public:
  SessionStore(storage::KvStore& store, const Clock& clock, SessionLifetimes lifetimes)
      : store_(store), clock_(clock), lifetimes_(lifetimes) {}

  // A new anonymous session (S6: created when /authorize is first visited).
  Result<OpenSession> create_anonymous();

  // The live session for `cookie`, or nullopt when there is none, or it has
  // passed its idle or absolute lifetime (an expired one is deleted).
  Result<std::optional<BrokerSession>> find(std::string_view cookie);

  // S3: an interactive login ends the old session (if any) and starts a new
  // one, with a new cookie and new timers, holding `auth`.
  Result<OpenSession> login(std::string_view old_cookie, const Authentication& auth);

  // Renews the idle window and records that `client_id` joined the session.
  // kNotFound if the session is gone or expired. `also` runs in the same
  // transaction once the session is found live (the code it answers with);
  // if it fails, nothing is written and its error is returned.
  using AlsoInTxn = std::function<Status(storage::WriteTxn& txn)>;
  Status touch(std::string_view cookie, std::string_view client_id, const AlsoInTxn& also = {});

  // S7: records a second factor on the live session: its method and time,
  // the RFC 8176 `amr` values it adds, and the `acr` it reaches. The session
  // keeps its id (the user proved more, not someone else). kNotFound if the
  // session is gone or expired.
  Status record_mfa(std::string_view cookie, std::string_view method, const std::vector<std::string>& amr,
                    std::string_view acr);

  // Ends the session; ending a missing one succeeds.
  Status destroy(std::string_view cookie);

  // The user's live authenticated sessions (Management API).
  Result<std::vector<BrokerSession>> list_for_user(std::string_view user_id);

  static std::string storage_key(std::string_view cookie);

  // Building blocks for callers that end sessions together with other
  // writes in one transaction (see session_revoker.h).
  // Deletes the session under storage `key` and its index entries; returns
  // what it held (nullopt when there was none).
  static Result<std::optional<BrokerSession>> erase(storage::WriteTxn& txn, const std::string& key);
  // Writes `session` under storage `key` with its index and expiry entries.
  static Status write(storage::WriteTxn& txn, const std::string& key, const BrokerSession& session);
  static Result<std::vector<std::string>> keys_for_user(storage::ReadTxn& txn, std::string_view user_id);
  static Result<std::optional<std::string>> key_for_sid(storage::ReadTxn& txn, std::string_view sid);

 private:
  Result<OpenSession> create(BrokerSession session);

  storage::KvStore& store_;
  const Clock& clock_;
  SessionLifetimes lifetimes_;
};

}  // namespace passerelle
