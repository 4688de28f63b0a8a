// Refresh tokens as the seed describes them (R1-R9): opaque 256-bit values
// stored only as hashes, grouped in families that share one id along their
// lineage. Rotating families hand out a new token at each exchange and
// revoke the whole family when a used token comes back outside the leeway;
// non-rotating families keep one token and renew its idle window.
//
// A successor is derived as HMAC(family secret, token), behind the time of
// the rotation (core/time_ordered.h): presenting the same used token within
// the leeway yields the SAME successor without storing any token in clear,
// so two tabs racing neither fork nor kill the family.
// Every exchange is one write transaction. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "config/config.h"
#include "core/clock.h"
#include "storage/kv_store.h"
#include "store/record_codec.h"

namespace passerelle {

// The lineage of refresh tokens from one grant. Its policy is a snapshot of
// the client's when the family was created (R8), except for R9.
struct RefreshFamily {
  std::string id;
  std::string secret;  // hex; derives successors
  std::string client_id;
  std::string user_id;
  std::string sid;
  std::string scope;
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::string acr;
  int64_t created_at = 0;
  bool rotating = false;
  int64_t absolute_expires_at = 0;  // 0: no absolute lifetime (R3: infinite)
  int64_t idle_lifetime = 0;        // 0: no idle lifetime
  int64_t leeway = 0;
  bool revoked = false;
  std::string revoked_reason;
  int64_t revoked_at = 0;
  int64_t last_exchanged_at = 0;
  std::string last_access_jti;  // revoked with the family
  int64_t last_access_expires_at = 0;
};

PASSERELLE_DEFINE_RECORD(RefreshFamily, id, secret, client_id, user_id, sid, scope, auth_time, amr, acr,
                         created_at, rotating, absolute_expires_at, idle_lifetime, leeway, revoked,
                         revoked_reason, revoked_at, last_exchanged_at, last_access_jti, last_access_expires_at)

struct StoredRefreshToken {
  std::string family_id;
  int64_t issued_at = 0;
  int64_t idle_expires_at = 0;  // 0: none
  int64_t used_at = 0;          // 0: the family's live token
  // Once used: the sequence of the successor it was rotated to, so that the
  // same successor can be derived again within the leeway. -1: not used
  // yet, or rotated before successors carried one.
  int64_t successor_seq = -1;
};

PASSERELLE_DEFINE_RECORD(StoredRefreshToken, family_id, issued_at, idle_expires_at, used_at, successor_seq)

struct RefreshGrant {
  std::string token;  // the refresh token to hand to the client
  RefreshFamily family;
};

// What a successful exchange must also remember: the access token it mints.
struct MintedAccessToken {
  std::string jti;
  int64_t expires_at = 0;
};

class RefreshTokenStore {
 public:
  // `audit` (optional) records a reuse (R1) in the transaction that revokes
  // the family; `on_reuse`, when given, is called once per reuse detected by
  // exchange() (the broker counts them) and must be thread-safe.
  RefreshTokenStore(storage::KvStore& store, const Clock& clock, const AuditLog* audit = nullptr,
                    std::function<void()> on_reuse = {})
      : store_(store), clock_(clock), audit_(audit), on_reuse_(std::move(on_reuse)) {}

  // Starts a family for `family` (its grant fields set by the caller) under
  // `policy`, and returns its first token.
  Result<RefreshGrant> issue(RefreshFamily family, const RefreshTokenPolicy& policy);
  // The same inside `txn`, so that what grants the family (a code
  // redemption) and the family commit together or not at all.
  Result<RefreshGrant> issue_in(storage::WriteTxn& txn, RefreshFamily family, const RefreshTokenPolicy& policy);

  // Exchanges `token` for `client_id` under the client's current `policy`
  // (used only for R9). Fails with kPermissionDenied (invalid_grant) for an
  // unknown, expired or revoked token, another client's token, or a reuse —
  // which revokes the family first — and with kInvalidArgument
  // (invalid_scope), changing nothing, when `requested_scope` (empty: the
  // family's) asks for a scope the family was not granted.
  // `check`, when given, runs inside the exchange's transaction before
  // anything is written, with the family the token belongs to; its failure
  // is the exchange's (the broker checks the user there, so that no storage
  // read is left between the commit and the answer).
  using FamilyCheck = std::function<Status(storage::ReadTxn& txn, const RefreshFamily& family)>;
  Result<RefreshGrant> exchange(const std::string& token, const std::string& client_id,
                                const RefreshTokenPolicy& policy, const MintedAccessToken& access,
                                const std::string& requested_scope = "", const FamilyCheck& check = {});

  // RFC 7009: revokes the family of `token` if it belongs to `client_id`.
  // An unknown token is not an error.
  Status revoke(const std::string& token, const std::string& client_id, const std::string& reason);

  Result<std::optional<RefreshFamily>> family(const std::string& id);

  // Management API: revokes the family `id`; false when it is unknown or
  // already revoked.
  Result<bool> revoke_family_by_id(const std::string& id, const std::string& reason);

  // The user's families that can still mint tokens.
  Result<std::vector<RefreshFamily>> list_for_user(const std::string& user_id);

  // Inside `txn`: revokes the families the broker session `sid` of `user_id`
  // started, as `which` says (its caller ends the session in the same txn).
  static Status revoke_session_families(storage::WriteTxn& txn, const std::string& user_id,
                                        const std::string& sid, SessionEndRevokes which,
                                        const std::string& reason, int64_t now);
  // Inside `txn`: revokes every family of the user (blocked or deleted).
  static Status revoke_user_families(storage::WriteTxn& txn, const std::string& user_id,
                                     const std::string& reason, int64_t now);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
  const AuditLog* audit_;
  std::function<void()> on_reuse_;
};

}  // namespace passerelle
