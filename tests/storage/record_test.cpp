#include "storage/record.h"

#include <doctest/doctest.h>

#include <limits>

namespace passerelle::storage {
namespace {

using nlohmann::json;

std::string msgpack(const json& value) {
  std::string out;
  json::to_msgpack(value, out);
  return out;
}

TEST_CASE("records round trip with their version") {
  struct Row {
    const char* name;
    uint32_t version;
    json body;
  };
  const Row rows[] = {
      {"null body", 0, nullptr},
      {"object", 1, {{"sub", "auth0|42"}, {"amr", {"pwd", "otp"}}, {"auth_time", 1700000000}}},
      {"largest version", std::numeric_limits<uint32_t>::max(), json::array({1, -2, 3.5, true})},
      {"unicode and binary", 7, {{"name", "Zoë"}, {"raw", json::binary({0, 1, 255})}}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    std::string bytes = encode_record(row.version, row.body);
    auto decoded = decode_record(bytes);
    REQUIRE_MESSAGE(decoded.has_value(), decoded.error().to_string());
    CHECK(decoded->version == row.version);
    CHECK(decoded->body == row.body);
  }
}

TEST_CASE("records that cannot be decoded are kCorruption") {
  const std::string good = encode_record(3, {{"a", 1}});
  struct Row {
    const char* name;
    std::string bytes;
  };
  const Row rows[] = {
      {"empty", ""},
      {"truncated", good.substr(0, good.size() - 1)},
      {"trailing byte", good + "x"},
      {"reserved byte", "\xc1"},
      {"not an array", msgpack(5)},
      {"three elements", msgpack({1, 2, 3})},
      {"negative version", msgpack({-1, 2})},
      {"version above 32 bits", msgpack({uint64_t(1) << 32, 2})},
      {"string version", msgpack({"1", 2})},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto decoded = decode_record(row.bytes);
    REQUIRE_FALSE(decoded.has_value());
    CHECK(decoded.error().code == ErrorCode::kCorruption);
  }
}

}  // namespace
}  // namespace passerelle::storage
