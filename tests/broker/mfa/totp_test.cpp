// RFC 6238 Appendix B and RFC 4226 Appendix D test vectors, the ±1 step
// window, the otpauth:// URI, and base32 (RFC 4648 §10).
#include "mfa/totp.h"

#include <doctest/doctest.h>

#include "core/encoding.h"

namespace passerelle {

TEST_CASE("totp: RFC 6238 Appendix B vectors") {
  const std::string sha1_key = "12345678901234567890";
  const std::string sha256_key = "12345678901234567890123456789012";
  const std::string sha512_key = "1234567890123456789012345678901234567890123456789012345678901234";
  struct Row {
    int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Row rows[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Row& row : rows) {
    SUBCASE(std::to_string(row.time).c_str()) {
      CHECK(totp(sha1_key, row.time, {TotpHash::kSha1, 8, 30}) == row.sha1);
      CHECK(totp(sha256_key, row.time, {TotpHash::kSha256, 8, 30}) == row.sha256);
      CHECK(totp(sha512_key, row.time, {TotpHash::kSha512, 8, 30}) == row.sha512);
    }
  }
}

TEST_CASE("totp: RFC 4226 Appendix D HOTP vectors") {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    CHECK(hotp("12345678901234567890", counter, 6) == expected[counter]);
  }
}

TEST_CASE("totp: a code matches within one step either side, not two") {
  const std::string key = "12345678901234567890";
  const int64_t now = 1'800'000'015;  // step 60'000'000, 15 s into it
  const int64_t step = totp_step(now);
  CHECK(match_totp(key, totp(key, now), now) == step);
  CHECK(match_totp(key, totp(key, now - 30), now) == step - 1);
  CHECK(match_totp(key, totp(key, now + 30), now) == step + 1);
  CHECK_FALSE(match_totp(key, totp(key, now - 60), now).has_value());
  CHECK_FALSE(match_totp(key, totp(key, now + 60), now).has_value());
  CHECK_FALSE(match_totp(key, "", now).has_value());
  CHECK_FALSE(match_totp(key, "12345", now).has_value());
}

TEST_CASE("totp: the otpauth URI names the issuer, the account and the base32 secret") {
  std::string uri = otpauth_uri("Passerelle", "alice@example.test", "12345678901234567890");
  CHECK(uri == "otpauth://totp/Passerelle:alice%40example.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
               "&issuer=Passerelle&algorithm=SHA1&digits=6&period=30");
}

TEST_CASE("base32: RFC 4648 §10 vectors, both ways") {
  const std::pair<const char*, const char*> rows[] = {{"", ""},           {"f", "MY"},          {"fo", "MZXQ"},
                                                      {"foo", "MZXW6"},   {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"},
                                                      {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : rows) {
    CHECK(base32_encode(plain) == encoded);
    CHECK(base32_decode(encoded) == std::optional<std::string>(plain));
  }
  CHECK(base32_decode("mzxw6ytboi") == std::optional<std::string>("foobar"));
  CHECK_FALSE(base32_decode("MZ1").has_value());
}

}  // namespace passerelle
