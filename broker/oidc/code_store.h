// One-time authorization codes (RFC 6749 §4.1.2): short-lived, stored only
// as a hash, redeemed at most once. A second redemption is refused and
// revokes the access tokens the first one produced (RFC 6749 §4.1.2: "the
// authorization server ... SHOULD revoke ... all tokens previously issued
// based on that authorization code"); for that a code's record is kept
// until an access token its redemption mints has expired. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "storage/kv_store.h"
#include "store/record_codec.h"

namespace passerelle {

struct AuthorizationCode {
  std::string client_id;
  std::string redirect_uri;
  std::string user_id;
  std::string sid;  // the broker session's public id
  std::string scope;
  std::string nonce;
  std::string code_challenge;  // S256; empty when none was sent
  int64_t auth_time = 0;
  std::vector<std::string> amr;
  std::string acr;
  int64_t expires_at = 0;
  bool redeemed = false;
  std::string issued_jti;             // the access token minted from it
  int64_t issued_expires_at = 0;
};

PASSERELLE_DEFINE_RECORD(AuthorizationCode, client_id, redirect_uri, user_id, sid, scope, nonce,
                         code_challenge, auth_time, amr, acr, expires_at, redeemed, issued_jti,
                         issued_expires_at)

// What the token endpoint presents to redeem a code.
struct CodeRedemption {
  std::string code;
  std::string client_id;
  std::string redirect_uri;
  std::string code_verifier;
  std::string jti;           // of the access token that will be issued
  int64_t token_expires_at;  // of that access token
};

class CodeStore {
 public:
  static constexpr int64_t kLifetime = 60;  // seconds; RFC 6749 §4.1.2 recommends at most 10 minutes

  CodeStore(storage::KvStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Stores `code` (its expiry set here) and returns the code value to send.
  Result<std::string> issue(AuthorizationCode code);
  // The same inside the caller's transaction (with the session's renewal).
  Result<std::string> issue_in(storage::WriteTxn& txn, AuthorizationCode code);

  // Redeems a code in one transaction. On success the code is marked used
  // and remembers the access token's jti. Fails with kPermissionDenied (the
  // token endpoint answers invalid_grant) for an unknown or expired code, a
  // client or redirect URI mismatch, or a PKCE failure; and for a code
  // already redeemed, after revoking the token it produced.
  // `also` runs inside that transaction once the code is accepted, for what
  // the redemption grants (a refresh-token family): if it fails, the code
  // stays unused and its error is returned. Like any transaction function it
  // may run more than once.
  using AlsoInTxn = std::function<Status(storage::WriteTxn& txn, const AuthorizationCode& code)>;
  Result<AuthorizationCode> redeem(const CodeRedemption& r, const AlsoInTxn& also = {});

 private:
  storage::KvStore& store_;
  const Clock& clock_;
};

}  // namespace passerelle
