// The MessagePack writer gives the bytes nlohmann::json::to_msgpack gives for
// the same value at every size boundary, and the reader reads them back and
// refuses what it does not handle.
#include "store/msgpack.h"

#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace passerelle::msgpack {
namespace {

std::string reference(const nlohmann::json& value) {
  std::string out;
  nlohmann::json::to_msgpack(value, out);
  return out;
}

TEST_CASE("msgpack integers: the smallest form, as to_msgpack writes it, read back") {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t rows[] = {0,    1,  127, 128, 255,  256,  65535,  65536,  4294967295LL,  4294967296LL,
                          kMax, -1, -32, -33, -128, -129, -32768, -32769, -2147483648LL, -2147483649LL,
                          kMin};
  for (int64_t value : rows) {
    CAPTURE(value);
    std::string out;
    Writer(out).integer(value);
    CHECK(out == reference(value));
    Reader r(out);
    int64_t back = 0;
    REQUIRE(r.integer(back));
    CHECK(back == value);
    CHECK(r.at_end());
  }
}

TEST_CASE("msgpack unsigned integers: what versions are written as") {
  for (uint64_t value : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{70000}, uint64_t{1} << 40}) {
    CAPTURE(value);
    std::string out;
    Writer(out).unsigned_integer(value);
    CHECK(out == reference(value));
    uint64_t back = 0;
    Reader r(out);
    REQUIRE(r.unsigned_integer(back));
    CHECK(back == value);
  }
  std::string negative;
  Writer(negative).integer(-5);
  uint64_t ignored = 0;
  CHECK_FALSE(Reader(negative).unsigned_integer(ignored));
}

TEST_CASE("msgpack strings: fixstr, str8, str16 and str32, as to_msgpack writes them") {
  for (size_t size :
       {size_t{0}, size_t{31}, size_t{32}, size_t{255}, size_t{256}, size_t{65535}, size_t{65536}}) {
    CAPTURE(size);
    std::string value(size, 'x');
    std::string out;
    Writer(out).string(value);
    CHECK(out == reference(value));
    Reader r(out);
    std::string back;
    REQUIRE(r.string(back));
    CHECK(back == value);
    CHECK(r.at_end());
  }
}

TEST_CASE("msgpack booleans, arrays and maps, as to_msgpack writes them") {
  std::string out;
  Writer(out).boolean(true);
  CHECK(out == reference(true));
  for (size_t count : {size_t{0}, size_t{15}, size_t{16}, size_t{65535}, size_t{65536}}) {
    CAPTURE(count);
    std::string array;
    Writer w(array);
    w.array_header(count);
    for (size_t i = 0; i < count; ++i) w.boolean(false);
    CHECK(array == reference(nlohmann::json(std::vector<bool>(count, false))));
    size_t back = 0;
    REQUIRE(Reader(array).array_header(back));
    CHECK(back == count);

    std::string map;
    Writer m(map);
    m.map_header(count);
    nlohmann::json object = nlohmann::json::object();
    for (size_t i = 0; i < count; ++i) {
      std::string key = std::to_string(100000 + i);  // same length: the object's order is this order
      m.string(key);
      m.boolean(true);
      object[key] = true;
    }
    CHECK(map == reference(object));
    REQUIRE(Reader(map).map_header(back));
    CHECK(back == count);
  }
}

TEST_CASE("msgpack reader: other kinds, cut values and too large integers are refused") {
  struct Row {
    const char* what;
    std::string bytes;
  };
  const Row rows[] = {
      {"nil", std::string("\xC0", 1)},
      {"float 64", std::string("\xCB\x3F\xF0\x00\x00\x00\x00\x00\x00", 9)},
      {"binary", std::string("\xC4\x01\x00", 3)},
      {"cut uint16", std::string("\xCD\x01", 2)},
      {"cut str8", std::string("\xD9\x05"
                               "abc",
                               5)},
      {"empty", std::string()},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    int64_t i = 0;
    bool b = false;
    std::string s;
    size_t n = 0;
    CHECK_FALSE(Reader(row.bytes).integer(i));
    CHECK_FALSE(Reader(row.bytes).boolean(b));
    CHECK_FALSE(Reader(row.bytes).string(s));
    CHECK_FALSE(Reader(row.bytes).array_header(n));
    CHECK_FALSE(Reader(row.bytes).map_header(n));
  }
  std::string above(reference(uint64_t{1} << 63));
  int64_t i = 0;
  CHECK_FALSE(Reader(above).integer(i));  // does not fit int64_t
  std::string number(reference(7));
  std::string s;
  CHECK_FALSE(Reader(number).string(s));
}

}  // namespace
}  // namespace passerelle::msgpack
