#include "core/time_ordered.h"

#include <algorithm>
#include <vector>

#include <doctest/doctest.h>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {

TEST_CASE("time-ordered tokens: the creation second, then 256 random bits") {
  const int64_t now = 1'800'000'000;  // 0x6B49D200
  std::string token = time_ordered_token(now);
  CHECK(token.size() == 48);
  auto bytes = base64url_decode(token);
  REQUIRE(bytes.has_value());
  REQUIRE(bytes->size() == 36);
  CHECK(hex_encode(bytes->substr(0, 4)) == "6b49d200");
  CHECK(token != time_ordered_token(now));
  CHECK(token_storage_key(token) == "6b49d200" + sha256_hex(token));
  std::string given(32, 'x');
  CHECK(base64url_decode(time_ordered_token(now, given))->substr(4) == given);
}

TEST_CASE("time-ordered tokens: storage keys sort by creation second; older tokens keep their bare hash") {
  std::vector<std::string> keys;
  for (int64_t t = 1'800'000'000; t < 1'800'000'000 + 300; t += 7) {
    for (int i = 0; i < 3; ++i) keys.push_back(token_storage_key(time_ordered_token(t)));
  }
  CHECK(std::ranges::is_sorted(keys, {}, [](const std::string& k) { return k.substr(0, 8); }));
  CHECK(std::ranges::adjacent_find(keys) == keys.end());
  CHECK(keys.front() < keys.back());

  std::string plain = random_token();
  CHECK(token_storage_key(plain) == sha256_hex(plain));
  for (const std::string& odd : std::vector<std::string>{"", "not-a-token", "a.b.c", std::string(48, '*')}) {
    CAPTURE(odd);
    CHECK(token_storage_key(odd) == sha256_hex(odd));
  }
}

TEST_CASE("time-ordered ids: prefix, creation second in hex, 128 random bits; clamped to 4 bytes") {
  std::string id = time_ordered_id("rtf_", 1'800'000'000);
  CHECK(id.size() == 4 + 8 + 32);
  CHECK(id.starts_with("rtf_6b49d200"));
  CHECK(id != time_ordered_id("rtf_", 1'800'000'000));
  CHECK(time_ordered_id("x", 1'800'000'000) < time_ordered_id("x", 1'800'000'001));
  CHECK(time_ordered_id("x", -5).starts_with("x00000000"));
  CHECK(time_ordered_id("x", int64_t(1) << 40).starts_with("xffffffff"));
}

}  // namespace passerelle
