// JsonObjectWriter against nlohmann::json, the library it stands in for on
// hot paths: the same bytes for every string it can write, a failure
// wherever dump() refuses one.
#include "core/json_writer.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "core/encoding.h"

namespace passerelle {
namespace {

// nlohmann's text for {"k": text}, or nullopt when dump() refuses it.
std::optional<std::string> reference_for(const std::string& text) {
  try {
    return nlohmann::json{{"k", text}}.dump();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

Result<std::string> written_for(const std::string& text) {
  JsonObjectWriter writer;
  writer.add("k", text);
  return writer.take();
}

}  // namespace

TEST_CASE("json writer: strings come out as nlohmann::json writes them") {
  struct Row {
    const char* name;
    std::string text;
  };
  std::string every_control;
  for (int c = 0; c < 0x20; ++c) every_control += static_cast<char>(c);
  const Row rows[] = {
      {"empty", ""},
      {"a token", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-_"},
      {"quote and backslash", "say \"hi\" \\ bye"},
      {"every control character", every_control},
      {"DEL and slash stay", "a\x7f/b"},
      {"two, three and four bytes", "\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91"},
      {"NUL inside", std::string("a\0b", 3)},
      {"escapes at both ends", "\n middle \t"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto expected = reference_for(row.text);
    REQUIRE(expected.has_value());
    auto written = written_for(row.text);
    REQUIRE(written.has_value());
    CHECK(*written == *expected);
  }
}

TEST_CASE("json writer: a string that is not UTF-8 fails, as dump() does") {
  struct Row {
    const char* name;
    std::string text;
  };
  const Row rows[] = {
      {"lone continuation", "\x80"},
      {"truncated", "ab\xE2\x82"},
      {"overlong", "\xC0\xAF"},
      {"surrogate", "\xED\xA0\x80"},
      {"above U+10FFFF", "\xF4\x90\x80\x80"},
      {"not a lead byte", "\xFF"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    CHECK_FALSE(reference_for(row.text).has_value());
    auto written = written_for(row.text);
    REQUIRE_FALSE(written.has_value());
    CHECK(written.error().is(ErrorCode::kInvalidArgument));
  }
  // In a key, and in an array, too.
  JsonObjectWriter bad_key;
  bad_key.add("\xFF", "v");
  CHECK_FALSE(bad_key.take().has_value());
  JsonObjectWriter bad_item;
  bad_item.add("amr", std::vector<std::string>{"pwd", "\xC3"});
  CHECK_FALSE(bad_item.take().has_value());
}

TEST_CASE("json writer: random bytes give nlohmann's text or its refusal") {
  // Bytes that matter to escaping and UTF-8, and a few plain ones.
  const unsigned char alphabet[] = {0x00, 0x08, 0x0A, 0x1F, 0x20, '"', '\\', '/', 'a', 0x7F, 0x80, 0xA9,
                                    0xBF, 0xC2, 0xC3, 0xE0, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF};
  std::mt19937 random(20261201);
  std::uniform_int_distribution<size_t> length(0, 10);
  std::uniform_int_distribution<size_t> pick(0, sizeof(alphabet) - 1);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (size_t n = length(random); n > 0; --n) text += static_cast<char>(alphabet[pick(random)]);
    const std::string hex = hex_encode(text);
    CAPTURE(hex);
    auto expected = reference_for(text);
    auto written = written_for(text);
    REQUIRE(written.has_value() == expected.has_value());
    if (expected) {
      CHECK(*written == *expected);
      ++accepted;
    }
  }
  CHECK(accepted > 1000);  // both branches were exercised
}

TEST_CASE("json writer: members of every kind, in the order added") {
  JsonObjectWriter writer;
  writer.add("iss", "https://id.example.test")
      .add("iat", int64_t{1764547200})
      .add("min", std::numeric_limits<int64_t>::min())
      .add("max", std::numeric_limits<int64_t>::max())
      .add("email_verified", true)
      .add("phone_number_verified", false)
      .add("amr", std::vector<std::string>{"pwd", "otp"})
      .add("none", std::vector<std::string>{});
  auto text = writer.take();
  REQUIRE(text.has_value());
  CHECK(*text ==
        "{\"iss\":\"https://id.example.test\",\"iat\":1764547200,\"min\":-9223372036854775808,"
        "\"max\":9223372036854775807,\"email_verified\":true,\"phone_number_verified\":false,"
        "\"amr\":[\"pwd\",\"otp\"],\"none\":[]}");
  auto parsed = nlohmann::json::parse(*text);
  CHECK(parsed["min"].get<int64_t>() == std::numeric_limits<int64_t>::min());
  CHECK(parsed["amr"] == nlohmann::json::array({"pwd", "otp"}));
}

TEST_CASE("json writer: take() leaves an empty writer, even after a failure") {
  JsonObjectWriter writer;
  CHECK(*writer.take() == "{}");
  writer.add("bad", "\xFF");
  CHECK_FALSE(writer.take().has_value());
  writer.add("good", "v");
  CHECK(*writer.take() == "{\"good\":\"v\"}");
}

}  // namespace passerelle
