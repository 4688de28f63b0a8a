// A login in progress: the validated authorization request waiting for the
// user to authenticate (password, then OTP or enrolment, then consent, as
// decide_reprompt asks), bound to the browser's broker session and carrying
// the CSRF token of those forms. Stored under the SHA-256 of its id.
// Thread-safe (state lives in the KvStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "oidc/authorization_request.h"
#include "storage/kv_store.h"

namespace passerelle {

struct LoginTransaction {
  AuthorizationRequest request;
  std::string session_key;  // storage key of the session that started it
  std::string csrf_token;
  int64_t expires_at = 0;
  int failed_attempts = 0;
  // What the user already did for this request, so that prompt=login,
  // max_age and prompt=consent are answered once (see decide_reprompt).
  bool logged_in = false;
  bool consented = false;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LoginTransaction, request, session_key, csrf_token, expires_at,
                                                failed_attempts, logged_in, consented)

class LoginTransactionStore {
 public:
  static constexpr int64_t kLifetime = 1800;  // time to type a password, or to come back from an IdP
  static constexpr int kMaxFailedAttempts = 10;  // then the transaction ends and the app must start again

  LoginTransactionStore(storage::KvStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Stores a new transaction (expiry and CSRF token set here); returns its id.
  Result<std::string> create(LoginTransaction& tx);
  // The live transaction with this id, or nullopt.
  Result<std::optional<LoginTransaction>> find(std::string_view id);
  Status save(std::string_view id, const LoginTransaction& tx);
  Status remove(std::string_view id);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
};

}  // namespace passerelle
