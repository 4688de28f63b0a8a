#include "core/encoding.h"

#include <doctest/doctest.h>

#include "core/secrets.h"

namespace passerelle {

TEST_CASE("base64url round trips and matches RFC 4648 vectors") {
  struct Row { const char* bytes; const char* encoded; };
  const Row rows[] = {{"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"},
                      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
                      {"\xfb\xff", "-_8"}};
  for (const Row& row : rows) {
    CAPTURE(row.encoded);
    CHECK(base64url_encode(row.bytes) == row.encoded);
    CHECK(base64url_decode(row.encoded) == std::optional<std::string>(row.bytes));
  }
}

TEST_CASE("base64url refuses padding, foreign characters and non-canonical tails") {
  CHECK_FALSE(base64url_decode("Zg==").has_value());
  CHECK_FALSE(base64url_decode("Zm9v+").has_value());
  CHECK_FALSE(base64url_decode("Z").has_value());
  CHECK_FALSE(base64url_decode("Zh").has_value());  // 'h' leaves non-zero bits
}

TEST_CASE("standard base64 and hex") {
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_decode("Zm8=") == std::optional<std::string>("fo"));
  CHECK(hex_encode("\x01\xab") == "01ab");
  CHECK(url_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
}

TEST_CASE("secrets: tokens are 256-bit and comparison is exact") {
  std::string a = random_token();
  CHECK(a.size() == 43);
  CHECK(a != random_token());
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "abcd"));
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace passerelle
