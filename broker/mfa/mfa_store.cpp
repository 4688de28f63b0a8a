#include "mfa/mfa_store.h"

#include <algorithm>
#include <cctype>

#include "core/encoding.h"
#include "core/secrets.h"
#include "mfa/totp.h"
#include "store/tables.h"
#include "store/typed_record.h"

namespace passerelle {
namespace {

constexpr std::string_view kTotpPurpose = "totp-key";
constexpr size_t kTotpKeySize = 20;       // RFC 4226 §4: 160 bits recommended
constexpr size_t kRecoveryCodeBytes = 10;  // 80 bits: a fast hash is enough at this entropy

// Codes are typed by people: spaces and dashes are noise, case does not matter.
std::string normalize(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += char(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

bool is_totp_shape(std::string_view code) {
  return code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// XXXX-XXXX-XXXX-XXXX from 80 random bits.
std::string new_recovery_code() {
  std::string raw = base32_encode(random_bytes(kRecoveryCodeBytes));
  return raw.substr(0, 4) + "-" + raw.substr(4, 4) + "-" + raw.substr(8, 4) + "-" + raw.substr(12, 4);
}

// Uses up the recovery code if it is one of the unused ones. Every stored
// hash is compared, in constant time, whatever matched.
bool use_recovery_code(MfaEnrolment& e, const std::string& normalized) {
  std::string hash = sha256_hex(normalized);
  auto match = e.recovery_code_hashes.end();
  for (auto it = e.recovery_code_hashes.begin(); it != e.recovery_code_hashes.end(); ++it) {
    if (constant_time_equals(*it, hash) && match == e.recovery_code_hashes.end()) match = it;
  }
  if (match == e.recovery_code_hashes.end()) return false;
  e.recovery_code_hashes.erase(match);
  return true;
}

}  // namespace

Result<std::optional<MfaEnrolment>> MfaStore::find(std::string_view user_id) {
  return read_record<MfaEnrolment>(store_, tables::kMfaEnrolments, user_id);
}

Result<std::string> MfaStore::pending_key(std::string_view user_id) {
  std::string key;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<MfaEnrolment>(txn, tables::kMfaEnrolments, user_id);
    if (!found) return fail(found.error());
    if (*found && (*found)->confirmed) return fail(Error::already_exists("MFA is already enrolled"));
    if (*found) {
      auto sealed = base64url_decode((*found)->sealed_key);
      auto opened = sealed ? box_.open(kTotpPurpose, *sealed) : Result<std::string>(fail(Error::corruption("")));
      if (!opened) return fail(Error::corruption("mfa_enrolments: the TOTP key does not open"));
      key = std::move(*opened);
      return {};
    }
    MfaEnrolment e;
    e.id = random_token();
    key = random_bytes(kTotpKeySize);
    e.sealed_key = base64url_encode(box_.seal(kTotpPurpose, key));
    e.created_at = clock_.now();
    return put_record(txn, tables::kMfaEnrolments, user_id, e);
  });
  if (!st) return fail(st.error());
  return key;
}

Result<MfaAttempt> MfaStore::confirm(std::string_view user_id, std::string_view code) {
  return check(user_id, code, true);
}

Result<MfaAttempt> MfaStore::verify(std::string_view user_id, std::string_view code) {
  return check(user_id, code, false);
}

Result<MfaAttempt> MfaStore::check(std::string_view user_id, std::string_view code, bool confirming) {
  int64_t now = clock_.now();
  std::string normalized = normalize(code);
  MfaAttempt attempt;
  auto st = store_.update([&](storage::WriteTxn& txn) -> Status {
    auto found = get_record<MfaEnrolment>(txn, tables::kMfaEnrolments, user_id);
    if (!found) return fail(found.error());
    if (!*found || (*found)->confirmed == confirming) {
      return fail(Error::not_found(confirming ? "no MFA enrolment is pending" : "MFA is not enrolled"));
    }
    MfaEnrolment& e = **found;
    if (e.blocked_until > now) {
      attempt.verdict = MfaAttempt::Verdict::kBlocked;
      attempt.retry_after = e.blocked_until - now;
      return {};
    }
    auto sealed = base64url_decode(e.sealed_key);
    auto key = sealed ? box_.open(kTotpPurpose, *sealed) : Result<std::string>(fail(Error::corruption("")));
    if (!key) return fail(Error::corruption("mfa_enrolments: the TOTP key does not open"));
    std::optional<int64_t> step =
        is_totp_shape(normalized) ? match_totp(*key, normalized, now, kWindow) : std::nullopt;
    // A code already accepted (or an older one) stays refused within its window.
    if (step && *step > e.last_step) {
      e.last_step = *step;
      attempt.verdict = MfaAttempt::Verdict::kAccepted;
      attempt.method = "otp";
    } else if (!confirming && !is_totp_shape(normalized) && use_recovery_code(e, normalized)) {
      attempt.verdict = MfaAttempt::Verdict::kAccepted;
      attempt.method = "recovery_code";
    }
    if (attempt.verdict == MfaAttempt::Verdict::kAccepted) {
      e.failed_attempts = 0;
      if (confirming) {
        e.confirmed = true;
        e.confirmed_at = now;
        for (int i = 0; i < kRecoveryCodeCount; ++i) {
          attempt.recovery_codes.push_back(new_recovery_code());
          e.recovery_code_hashes.push_back(sha256_hex(normalize(attempt.recovery_codes.back())));
        }
      }
    } else if (++e.failed_attempts >= kMaxFailedAttempts) {
      e.failed_attempts = 0;
      e.blocked_until = now + kBlockDuration;
      attempt.verdict = MfaAttempt::Verdict::kBlocked;
      attempt.retry_after = kBlockDuration;
    }
    return put_record(txn, tables::kMfaEnrolments, user_id, e);
  });
  if (!st) return fail(st.error());
  return attempt;
}

Status MfaStore::reset(std::string_view user_id) {
  return store_.update([&](storage::WriteTxn& txn) { return txn.del(tables::kMfaEnrolments, user_id); });
}

}  // namespace passerelle
