#include "tokens/refresh_token_store.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/event_log.h"
#include "core/secrets.h"
#include "core/time_ordered.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"
#include "tokens/revocation.h"
#include "tokens/token_issuer.h"

namespace passerelle {
namespace {

Error invalid_grant(std::string why) { return Error::permission_denied(std::move(why)); }

// The token that replaces `token` when it is rotated at `rotated_at`.
std::string successor_of(const RefreshFamily& family, const std::string& token, int64_t rotated_at,
                         uint16_t sequence) {
  return time_ordered_token(rotated_at, sequence, hmac_sha256(family.secret, token));
}

// The successor that the rotation of `used` handed out. A token rotated
// before successors carried a sequence got the 48-character timed layout,
// or, before successors carried their time, the bare HMAC (then stored
// under its bare hash); within the leeway it gets that one back.
Result<std::string> handed_out_successor(storage::ReadTxn& txn, const RefreshFamily& family,
                                         const std::string& token, const StoredRefreshToken& used) {
  if (used.successor_seq >= 0) {
    return successor_of(family, token, used.used_at, static_cast<uint16_t>(used.successor_seq));
  }
  std::string mac = hmac_sha256(family.secret, token);
  std::string bare = base64url_encode(mac);
  auto bare_found = txn.get(tables::kRefreshTokens, token_storage_key(bare));
  if (!bare_found) return fail(bare_found.error());
  if (*bare_found) return bare;
  return time_ordered_token_without_sequence(used.used_at, mac);
}

// The earlier of two expiry times where 0 means "none".
int64_t earliest(int64_t a, int64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

template <class Record>
Status put_with_expiry(storage::WriteTxn& txn, std::string_view table, const std::string& key,
                       const Record& record, int64_t expires_at) {
  if (auto st = put_record(txn, table, key, record); !st) return st;
  if (expires_at == 0) return storage::clear_expiry(txn, table, key);
  return storage::set_expiry(txn, table, key, expires_at);
}

Status put_token(storage::WriteTxn& txn, const std::string& key, const StoredRefreshToken& token,
                 const RefreshFamily& family) {
  int64_t expiry = earliest(family.absolute_expires_at, token.idle_expires_at);
  if (token.used_at != 0) {
    // A used token is kept for reuse detection until its family ends, or,
    // for a family with only an idle lifetime, one idle period after its use.
    expiry = family.absolute_expires_at != 0 ? family.absolute_expires_at
                                             : token.used_at + std::max(family.idle_lifetime, family.leeway);
  }
  return put_with_expiry(txn, tables::kRefreshTokens, key, token, expiry);
}

// The family and its entry in the user's index share one expiry. A revoked
// family is kept until its absolute end (or for good when it has none) so a
// later presentation still fails as revoked.
Status put_family(storage::WriteTxn& txn, const RefreshFamily& family, int64_t live_token_idle_expiry) {
  int64_t expiry = family.revoked ? family.absolute_expires_at
                                  : earliest(family.absolute_expires_at, live_token_idle_expiry);
  if (auto st = put_with_expiry(txn, tables::kRefreshFamilies, family.id, family, expiry); !st) return st;
  auto index = tables::index_key(family.user_id, family.id);
  if (auto st = storage::put_if_changed(txn, tables::kRefreshFamiliesByUser, index, ""); !st) return st;
  if (expiry == 0) return storage::clear_expiry(txn, tables::kRefreshFamiliesByUser, index);
  return storage::set_expiry(txn, tables::kRefreshFamiliesByUser, index, expiry);
}

// The first scope of `requested` that `granted` lacks, if any.
std::optional<std::string> scope_beyond(const std::string& requested, const std::string& granted) {
  auto have = split_words(granted);
  for (auto& s : split_words(requested)) {
    if (std::ranges::find(have, s) == have.end()) return s;
  }
  return std::nullopt;
}

int64_t idle_expiry(const RefreshFamily& family, int64_t now) {
  return family.idle_lifetime ? now + family.idle_lifetime : 0;
}

// R9: once the client has an absolute lifetime, a non-expiring family
// becomes expiring at its next successful exchange.
void apply_r9(RefreshFamily& family, const RefreshTokenPolicy& policy, int64_t now) {
  if (family.absolute_expires_at != 0 || family.idle_lifetime != 0) return;
  if (!policy.expiring) return;
  if (!policy.infinite_token_lifetime) family.absolute_expires_at = now + policy.token_lifetime;
  if (!policy.infinite_idle_token_lifetime) family.idle_lifetime = policy.idle_token_lifetime;
}

Status revoke_family(storage::WriteTxn& txn, RefreshFamily& family, const std::string& reason, int64_t now) {
  family.revoked = true;
  family.revoked_reason = reason;
  family.revoked_at = now;
  if (auto st = revoke_access_token(txn, family.last_access_jti, family.last_access_expires_at); !st) return st;
  return put_family(txn, family, 0);
}

// Revokes the family `id` if it exists, is live and `pick` accepts it.
template <class Pick>
Result<bool> revoke_family_if(storage::WriteTxn& txn, const std::string& id, const std::string& reason,
                              int64_t now, Pick pick) {
  auto found = get_record<RefreshFamily>(txn, tables::kRefreshFamilies, id);
  if (!found) return fail(found.error());
  if (!*found || (*found)->revoked || !pick(**found)) return false;
  if (auto st = revoke_family(txn, **found, reason, now); !st) return fail(st.error());
  return true;
}

Result<std::vector<std::string>> family_ids_of(storage::ReadTxn& txn, std::string_view user_id) {
  std::vector<std::string> ids;
  auto prefix = tables::index_key(user_id, "");
  auto st = txn.scan_prefix(tables::kRefreshFamiliesByUser, prefix, [&](std::string_view key, std::string_view) {
    ids.emplace_back(key.substr(prefix.size()));
    return true;
  });
  if (!st) return fail(st.error());
  return ids;
}

}  // namespace

Result<RefreshGrant> RefreshTokenStore::issue(RefreshFamily family, const RefreshTokenPolicy& policy) {
  RefreshGrant grant;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto issued = issue_in(txn, family, policy);
    if (!issued) return fail(issued.error());
    grant = std::move(*issued);
    return {};
  });
  if (!st) return fail(st.error());
  return grant;
}

Result<RefreshGrant> RefreshTokenStore::issue_in(storage::WriteTxn& txn, RefreshFamily family,
                                                 const RefreshTokenPolicy& policy) {
  int64_t now = clock_.now();
  family.id = time_ordered_id("rtf_", now);
  family.secret = hex_encode(random_bytes(32));
  family.created_at = now;
  family.rotating = policy.rotating;
  family.leeway = policy.leeway;
  if (policy.expiring) {  // R2-R4; non-expiring means neither lifetime applies (R3)
    if (!policy.infinite_token_lifetime) family.absolute_expires_at = now + policy.token_lifetime;
    if (!policy.infinite_idle_token_lifetime) family.idle_lifetime = policy.idle_token_lifetime;
  }
  std::string token = time_ordered_token(now);
  StoredRefreshToken stored{family.id, now, idle_expiry(family, now), 0};
  if (auto s = put_family(txn, family, stored.idle_expires_at); !s) return fail(s.error());
  if (auto s = put_token(txn, token_storage_key(token), stored, family); !s) return fail(s.error());
  return RefreshGrant{token, family};
}

Result<RefreshGrant> RefreshTokenStore::exchange(const std::string& token, const std::string& client_id,
                                                 const RefreshTokenPolicy& policy, const MintedAccessToken& access,
                                                 const std::string& requested_scope, const FamilyCheck& check) {
  const std::string key = token_storage_key(token);
  const int64_t now = clock_.now();
  RefreshGrant out;
  std::string reused_family;  // set when a reuse revoked this family
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    reused_family.clear();  // the transaction may run more than once
    auto stored = get_record<StoredRefreshToken>(txn, tables::kRefreshTokens, key);
    if (!stored) return fail(stored.error());
    if (!*stored) return fail(invalid_grant("the refresh token is invalid or expired"));
    StoredRefreshToken& t = **stored;
    auto found = get_record<RefreshFamily>(txn, tables::kRefreshFamilies, t.family_id);
    if (!found) return fail(found.error());
    if (!*found) return fail(invalid_grant("the refresh token is invalid or expired"));
    RefreshFamily& family = **found;
    if (family.revoked) return fail(invalid_grant("the refresh token was revoked"));
    if (family.client_id != client_id) return fail(invalid_grant("the refresh token was issued to another client"));
    if (auto extra = scope_beyond(requested_scope, family.scope)) {
      return fail(Error::invalid_argument("scope exceeds the grant: " + *extra));
    }
    if (family.absolute_expires_at != 0 && now >= family.absolute_expires_at) {
      return fail(invalid_grant("the refresh token has expired (absolute lifetime)"));
    }
    if (family.rotating && t.used_at != 0) {
      // R1: reuse revokes the whole family. A leeway of 0 means none at all,
      // not "the same second" (times are whole seconds).
      if (family.leeway == 0 || now > t.used_at + family.leeway) {
        reused_family = family.id;
        if (auto s = revoke_family(txn, family, "reuse detected", now); !s) return s;
        if (!audit_) return {};
        return audit_->append(txn, {.type = audit::kRefreshTokenReuse, .user_id = family.user_id,
                                    .client_id = family.client_id,
                                    .description = "A rotated refresh token was reused; its family is revoked",
                                    .details = {{"family_id", family.id}, {"session_id", family.sid}}});
      }
      if (check) {
        if (auto s = check(txn, family); !s) return s;
      }
      auto successor = handed_out_successor(txn, family, token, t);  // within the leeway: the same one
      if (!successor) return fail(successor.error());
      out = {std::move(*successor), family};
    } else {
      if (t.idle_expires_at != 0 && now >= t.idle_expires_at) {
        return fail(invalid_grant("the refresh token has expired (idle lifetime)"));
      }
      if (check) {
        if (auto s = check(txn, family); !s) return s;
      }
      apply_r9(family, policy, now);
      StoredRefreshToken next{family.id, now, idle_expiry(family, now), 0};
      if (family.rotating) {
        t.used_at = now;
        t.successor_seq = next_token_sequence();
        if (auto s = put_token(txn, key, t, family); !s) return s;
        out.token = successor_of(family, token, now, static_cast<uint16_t>(t.successor_seq));
        if (auto s = put_token(txn, token_storage_key(out.token), next, family); !s) return s;
      } else {
        // Non-rotating: the same value, its idle window renewed (R4).
        out.token = token;
        if (auto s = put_token(txn, key, next, family); !s) return s;
      }
      family.last_exchanged_at = now;
      out.family = family;
      family.last_access_jti = access.jti;
      family.last_access_expires_at = access.expires_at;
      return put_family(txn, family, next.idle_expires_at);
    }
    return {};
  });
  if (!st) return fail(st.error());
  if (!reused_family.empty()) {
    log_event("refresh_token_reuse", {{"family_id", reused_family}, {"client_id", client_id}},
              LogLevel::kWarning);
    if (on_reuse_) on_reuse_();
    return fail(invalid_grant("the refresh token was already used; its family is revoked"));
  }
  return out;
}

Status RefreshTokenStore::revoke(const std::string& token, const std::string& client_id, const std::string& reason) {
  const std::string key = token_storage_key(token);
  const int64_t now = clock_.now();
  return store_.update([&](storage::WriteTxn& txn) -> Status {
    auto stored = get_record<StoredRefreshToken>(txn, tables::kRefreshTokens, key);
    if (!stored) return fail(stored.error());
    if (!*stored) return {};
    auto family = get_record<RefreshFamily>(txn, tables::kRefreshFamilies, (*stored)->family_id);
    if (!family) return fail(family.error());
    if (!*family || (*family)->client_id != client_id || (*family)->revoked) return {};
    return revoke_family(txn, **family, reason, now);
  });
}

Result<bool> RefreshTokenStore::revoke_family_by_id(const std::string& id, const std::string& reason) {
  const int64_t now = clock_.now();
  bool revoked = false;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto r = revoke_family_if(txn, id, reason, now, [](const RefreshFamily&) { return true; });
    if (!r) return fail(r.error());
    revoked = *r;
    return {};
  });
  if (!st) return fail(st.error());
  return revoked;
}

Status RefreshTokenStore::revoke_session_families(storage::WriteTxn& txn, const std::string& user_id,
                                                  const std::string& sid, SessionEndRevokes which,
                                                  const std::string& reason, int64_t now) {
  if (which == SessionEndRevokes::kNone) return {};
  auto ids = family_ids_of(txn, user_id);
  if (!ids) return fail(ids.error());
  for (const auto& id : *ids) {
    auto r = revoke_family_if(txn, id, reason, now, [&](const RefreshFamily& f) {
      return f.sid == sid && (f.rotating || which == SessionEndRevokes::kAll);
    });
    if (!r) return fail(r.error());
  }
  return {};
}

Status RefreshTokenStore::revoke_user_families(storage::WriteTxn& txn, const std::string& user_id,
                                               const std::string& reason, int64_t now) {
  auto ids = family_ids_of(txn, user_id);
  if (!ids) return fail(ids.error());
  for (const auto& id : *ids) {
    auto r = revoke_family_if(txn, id, reason, now, [](const RefreshFamily&) { return true; });
    if (!r) return fail(r.error());
  }
  return {};
}

Result<std::vector<RefreshFamily>> RefreshTokenStore::list_for_user(const std::string& user_id) {
  std::vector<RefreshFamily> families;
  const int64_t now = clock_.now();
  auto st = store_.view([&](storage::ReadTxn& txn) -> Status {
    auto ids = family_ids_of(txn, user_id);
    if (!ids) return fail(ids.error());
    for (const auto& id : *ids) {
      auto f = get_record<RefreshFamily>(txn, tables::kRefreshFamilies, id);
      if (!f) return fail(f.error());
      if (!*f || (*f)->revoked) continue;
      if ((*f)->absolute_expires_at != 0 && now >= (*f)->absolute_expires_at) continue;
      families.push_back(std::move(**f));
    }
    return {};
  });
  if (!st) return fail(st.error());
  return families;
}

Result<std::optional<RefreshFamily>> RefreshTokenStore::family(const std::string& id) {
  return read_record<RefreshFamily>(store_, tables::kRefreshFamilies, id);
}

}  // namespace passerelle
