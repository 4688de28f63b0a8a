#include "mfa/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

const EVP_MD* digest_of(TotpHash hash) {
  switch (hash) {
    case TotpHash::kSha256: return EVP_sha256();
    case TotpHash::kSha512: return EVP_sha512();
    case TotpHash::kSha1: break;
  }
  return EVP_sha1();  // RFC 6238 §1.2: HMAC-SHA-1 is the default; the others are allowed
}

}  // namespace

std::string hotp(std::string_view key, uint64_t counter, int digits, TotpHash hash) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(digest_of(hash), key.data(), int(key.size()), message, sizeof message, mac, &mac_len);
  // RFC 4226 §5.3: dynamic truncation.
  unsigned offset = mac[mac_len - 1] & 0x0f;
  uint32_t binary = (uint32_t(mac[offset] & 0x7f) << 24) | (uint32_t(mac[offset + 1]) << 16) |
                    (uint32_t(mac[offset + 2]) << 8) | uint32_t(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(size_t(digits) - code.size(), '0') + code;
}

int64_t totp_step(int64_t unix_time, int64_t period) { return unix_time / period; }

std::string totp(std::string_view key, int64_t unix_time, const TotpParams& params) {
  return hotp(key, uint64_t(totp_step(unix_time, params.period)), params.digits, params.hash);
}

std::optional<int64_t> match_totp(std::string_view key, std::string_view code, int64_t unix_time, int window,
                                  const TotpParams& params) {
  int64_t now_step = totp_step(unix_time, params.period);
  std::optional<int64_t> found;
  // No early return: the time taken does not tell which step matched.
  for (int64_t step = now_step - window; step <= now_step + window; ++step) {
    if (step < 0) continue;
    if (constant_time_equals(hotp(key, uint64_t(step), params.digits, params.hash), code) && !found) found = step;
  }
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view key) {
  std::string label = url_encode(issuer) + ":" + url_encode(account);
  return "otpauth://totp/" + label + "?secret=" + base32_encode(key) + "&issuer=" + url_encode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace passerelle
