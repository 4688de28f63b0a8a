// TOTP enrolments (RFC 6238), one per user: the sealed TOTP key, hashed
// one-time recovery codes, the last accepted time step (a code is good once)
// and the brute-force counter. Every check that changes the record runs in
// one write transaction, so two concurrent submissions of one code cannot
// both pass. Thread-safe (state lives in the KvStore).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/secret_box.h"
#include "storage/kv_store.h"

namespace passerelle {

struct MfaEnrolment {
  std::string id;          // new at each enrolment; remembered browsers name it, so a reset voids them
  std::string sealed_key;  // base64url of SecretBox::seal(kTotpPurpose, key)
  bool confirmed = false;  // false until the first code from the app was right
  int64_t created_at = 0;
  int64_t confirmed_at = 0;
  std::vector<std::string> recovery_code_hashes;  // SHA-256 (hex) of the unused codes
  int64_t last_step = -1;                          // the last accepted time step
  int failed_attempts = 0;                         // consecutive wrong codes
  int64_t blocked_until = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(MfaEnrolment, id, sealed_key, confirmed, created_at, confirmed_at,
                                                recovery_code_hashes, last_step, failed_attempts, blocked_until)

// What became of one submitted code.
struct MfaAttempt {
  enum class Verdict { kAccepted, kWrongCode, kBlocked };
  Verdict verdict = Verdict::kWrongCode;
  std::string method;                       // when accepted: "otp" or "recovery_code"
  int64_t retry_after = 0;                  // when blocked: seconds until codes are checked again
  std::vector<std::string> recovery_codes;  // from confirm(): shown once, stored only hashed
};

class MfaStore {
 public:
  // Five wrong codes in a row block checks for fifteen minutes: with a ±1
  // step window a guess succeeds with odds 3e-6, so an attacker gets about
  // 5 * 96 guesses a day, a 0.15% chance per day (RFC 4226 §7.3 asks for a throttle).
  static constexpr int kMaxFailedAttempts = 5;
  static constexpr int64_t kBlockDuration = 900;
  static constexpr int kRecoveryCodeCount = 10;
  static constexpr int kWindow = 1;  // time steps accepted either side of now

  MfaStore(storage::KvStore& store, const Clock& clock, const SecretBox& box)
      : store_(store), clock_(clock), box_(box) {}

  // The user's enrolment (confirmed or not), or nullopt.
  Result<std::optional<MfaEnrolment>> find(std::string_view user_id);

  // The TOTP key to show for enrolment: the pending one, or a new one.
  // kAlreadyExists when the user's enrolment is already confirmed.
  Result<std::string> pending_key(std::string_view user_id);

  // Checks the first code from the app against the pending key. Accepted:
  // the enrolment is confirmed and the recovery codes come back.
  // kNotFound when nothing is pending.
  Result<MfaAttempt> confirm(std::string_view user_id, std::string_view code);

  // Checks a TOTP code, or a recovery code (which is then used up), against
  // the confirmed enrolment. kNotFound when the user has none.
  Result<MfaAttempt> verify(std::string_view user_id, std::string_view code);

  // Removes the user's enrolment; remembered browsers end with it.
  Status reset(std::string_view user_id);

 private:
  Result<MfaAttempt> check(std::string_view user_id, std::string_view code, bool confirming);

  storage::KvStore& store_;
  const Clock& clock_;
  const SecretBox& box_;
};

}  // namespace passerelle
