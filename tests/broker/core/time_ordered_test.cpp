#include "core/time_ordered.h"

#include <algorithm>
#include <vector>

#include <doctest/doctest.h>

#include "broker/support/ordering.h"
#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {

TEST_CASE("time-ordered tokens: the creation second, a sequence, then 256 random bits") {
  const int64_t now = 1'800'000'000;  // 0x6B49D200
  std::string token = time_ordered_token(now);
  CHECK(token.size() == 51);
  auto bytes = base64url_decode(token);
  REQUIRE(bytes.has_value());
  REQUIRE(bytes->size() == 38);
  CHECK(hex_encode(bytes->substr(0, 4)) == "6b49d200");
  CHECK(token != time_ordered_token(now));
  CHECK(token_storage_key(token) == hex_encode(bytes->substr(0, 6)) + sha256_hex(token));
  std::string given(32, 'x');
  std::string derived = time_ordered_token(now, 0x0102, given);
  CHECK(hex_encode(base64url_decode(derived)->substr(0, 6)) == "6b49d2000102");
  CHECK(base64url_decode(derived)->substr(6) == given);
  CHECK(derived == time_ordered_token(now, 0x0102, given));
  uint16_t first = next_token_sequence();
  CHECK(next_token_sequence() == static_cast<uint16_t>(first + 1));
}

TEST_CASE("time-ordered tokens: storage keys follow the order of creation, within a second too") {
  std::vector<std::string> keys;
  for (int64_t t = 1'800'000'000; t < 1'800'000'000 + 300; t += 7) {
    for (int i = 0; i < 3; ++i) keys.push_back(token_storage_key(time_ordered_token(t)));
  }
  CHECK(std::ranges::is_sorted(keys, {}, [](const std::string& k) { return k.substr(0, 8); }));
  CHECK(std::ranges::adjacent_find(keys) == keys.end());
  CHECK(keys.front() < keys.back());

  // Random keys within the second would pass this with a chance below 10^-30.
  std::vector<std::string> same_second;
  for (int i = 0; i < 40; ++i) same_second.push_back(token_storage_key(time_ordered_token(1'800'000'000)));
  CHECK(testing::sorted_but_for_one_wrap(same_second));
}

TEST_CASE("time-ordered tokens: values of the layouts before keep their keys") {
  std::string mac(32, 'm');
  std::string timed = time_ordered_token_without_sequence(1'800'000'000, mac);
  CHECK(timed.size() == 48);
  CHECK(base64url_decode(timed)->substr(4) == mac);
  CHECK(token_storage_key(timed) == "6b49d200" + sha256_hex(timed));

  std::string plain = random_token();
  CHECK(token_storage_key(plain) == sha256_hex(plain));
  for (const std::string& odd : std::vector<std::string>{"", "not-a-token", "a.b.c", std::string(48, '*')}) {
    CAPTURE(odd);
    CHECK(token_storage_key(odd) == sha256_hex(odd));
  }
}

TEST_CASE("time-ordered ids: prefix, creation second and sequence in hex, 128 random bits") {
  std::string id = time_ordered_id("rtf_", 1'800'000'000);
  CHECK(id.size() == 4 + 12 + 32);
  CHECK(id.starts_with("rtf_6b49d200"));
  CHECK(id != time_ordered_id("rtf_", 1'800'000'000));
  CHECK(time_ordered_id("x", 1'800'000'000) < time_ordered_id("x", 1'800'000'001));
  CHECK(time_ordered_id("x", -5).starts_with("x00000000"));
  CHECK(time_ordered_id("x", int64_t(1) << 40).starts_with("xffffffff"));
  std::vector<std::string> same_second;
  for (int i = 0; i < 40; ++i) same_second.push_back(time_ordered_id("x", 1'800'000'000));
  CHECK(testing::sorted_but_for_one_wrap(same_second));
}

}  // namespace passerelle
