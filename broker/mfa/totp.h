// Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), and the
// otpauth:// URI authenticator apps scan. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

enum class TotpHash { kSha1, kSha256, kSha512 };

struct TotpParams {
  TotpHash hash = TotpHash::kSha1;  // what every authenticator app supports
  int digits = 6;
  int64_t period = 30;  // seconds per time step (RFC 6238 §5.2)
};

// RFC 4226 §5.3: the `digits`-digit code for `counter`, zero-padded.
std::string hotp(std::string_view key, uint64_t counter, int digits, TotpHash hash = TotpHash::kSha1);

// The time step of `unix_time` (RFC 6238 §4.2, T0 = 0).
int64_t totp_step(int64_t unix_time, int64_t period = 30);

std::string totp(std::string_view key, int64_t unix_time, const TotpParams& params = {});

// The time step, among those within `window` steps of `unix_time`, whose code
// equals `code` (RFC 6238 §5.2: allow for clock drift and typing time), or
// nullopt. Every candidate is compared in constant time.
std::optional<int64_t> match_totp(std::string_view key, std::string_view code, int64_t unix_time, int window = 1,
                                  const TotpParams& params = {});

// Key URI Format of Google Authenticator:
// otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key);

}  // namespace passerelle
