#include "oidc/code_store.h"

#include "core/time_ordered.h"
#include "oidc/pkce.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "store/typed_record.h"
#include "tokens/revocation.h"
#include "tokens/token_issuer.h"

namespace passerelle {
namespace {

// A code's record is kept while an access token its redemption mints may
// live, so that a replay can still revoke that token. The latest such token
// expires this long after the code's issue, so the record's expiry is set
// that far at issue, and a redemption leaves the index alone (its entries
// sit on pages the exchange's commit would otherwise write). An unused
// code stays as long, redeemable only within kLifetime.
constexpr int64_t kKeptFor = CodeStore::kLifetime + TokenIssuer::kAccessTokenLifetime;

Error invalid_grant(std::string why) { return Error::permission_denied(std::move(why)); }

// PKCE checks of RFC 7636 §4.6, and RFC 9700 §2.1.1's downgrade rule: a
// verifier sent for a code that had no challenge is refused too.
Status check_pkce(const AuthorizationCode& code, const std::string& verifier) {
  if (code.code_challenge.empty()) {
    if (!verifier.empty()) return fail(invalid_grant("code_verifier sent but no code_challenge was"));
    return {};
  }
  if (verifier.empty()) return fail(invalid_grant("code_verifier is missing"));
  if (!pkce_s256_matches(verifier, code.code_challenge)) return fail(invalid_grant("PKCE verification failed"));
  return {};
}

}  // namespace

Result<std::string> CodeStore::issue(AuthorizationCode code) {
  std::string value;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto issued = issue_in(txn, code);
    if (!issued) return fail(issued.error());
    value = std::move(*issued);
    return {};
  });
  if (!st) return fail(st.error());
  return value;
}

Result<std::string> CodeStore::issue_in(storage::WriteTxn& txn, AuthorizationCode code) {
  const int64_t now = clock_.now();
  std::string value = time_ordered_token(now);
  std::string key = token_storage_key(value);
  code.expires_at = now + kLifetime;
  if (auto s = put_record(txn, tables::kCodes, key, code); !s) return fail(s.error());
  if (auto s = storage::set_expiry(txn, tables::kCodes, key, now + kKeptFor); !s) return fail(s.error());
  return value;
}

Result<AuthorizationCode> CodeStore::redeem(const CodeRedemption& r, const AlsoInTxn& also) {
  std::string key = token_storage_key(r.code);
  int64_t now = clock_.now();
  AuthorizationCode code;
  // A replay must both revoke and fail; the revocation is committed, so the
  // failure travels out of the transaction in `replayed`.
  bool replayed = false;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<AuthorizationCode>(txn, tables::kCodes, key);
    if (!found) return fail(found.error());
    if (!*found) return fail(invalid_grant("the authorization code is invalid or expired"));
    code = std::move(**found);
    if (code.redeemed) {
      replayed = true;
      return revoke_access_token(txn, code.issued_jti, code.issued_expires_at);
    }
    if (code.expires_at <= now) return fail(invalid_grant("the authorization code is invalid or expired"));
    if (code.client_id != r.client_id) return fail(invalid_grant("the code was issued to another client"));
    if (code.redirect_uri != r.redirect_uri) return fail(invalid_grant("redirect_uri does not match"));
    if (auto p = check_pkce(code, r.code_verifier); !p) return p;
    code.redeemed = true;
    code.issued_jti = r.jti;
    code.issued_expires_at = r.token_expires_at;
    if (auto s = put_record(txn, tables::kCodes, key, code); !s) return s;
    // Kept while its token lives (kKeptFor), extended only for a token that
    // outlives it.
    if (auto s = storage::extend_expiry(txn, tables::kCodes, key, r.token_expires_at); !s) return s;
    return also ? also(txn, code) : Status{};
  });
  if (!st) return fail(st.error());
  if (replayed) return fail(invalid_grant("the authorization code was already used"));
  return code;
}

}  // namespace passerelle
