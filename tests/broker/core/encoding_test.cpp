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
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// Every call copies one prepared HMAC context: the key of one call must not
// leak into the next, whatever its length (shorter or longer than the block).
TEST_CASE("hmac_sha256 matches RFC 4231 test cases 1, 2 and 6, in any order") {
  const std::string key1(20, '\x0b');
  const std::string key6(131, '\xaa');
  for (int round = 0; round < 2; ++round) {
    CHECK(hex_encode(hmac_sha256(key6, "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex_encode(hmac_sha256(key1, "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }
}

using Words = std::vector<std::string>;

TEST_CASE("split_words: words between blanks, blanks of any kind and number skipped") {
  CHECK(split_words("openid profile email") == Words{"openid", "profile", "email"});
  CHECK(split_words("  openid\t offline_access\r\n") == Words{"openid", "offline_access"});
  CHECK(split_words("read:clients\vwrite:clients\fx") == Words{"read:clients", "write:clients", "x"});
  CHECK(split_words("openid") == Words{"openid"});
}

TEST_CASE("split_words: nothing but blanks is no word") {
  CHECK(split_words("").empty());
  CHECK(split_words(" \t ").empty());
}

}  // namespace passerelle
