// is_valid_utf8 against RFC 3629's table: what JSON output can carry.
#include <doctest/doctest.h>

#include <string>

#include "core/encoding.h"

namespace passerelle {

TEST_CASE("utf8: well-formed and ill-formed sequences") {
  struct Row {
    const char* name;
    std::string bytes;
    bool valid;
  };
  const Row rows[] = {
      {"empty", "", true},
      {"ascii", "state-123", true},
      {"two bytes", "\xC3\xA9tat", true},
      {"three bytes", "\xE2\x82\xAC", true},
      {"four bytes", "\xF0\x9F\x94\x91", true},
      {"highest code point", "\xF4\x8F\xBF\xBF", true},
      {"NUL is a character", std::string("a\0b", 3), true},
      {"lone continuation", "\x80", false},
      {"lone lead at the end", "abc\xC3", false},
      {"truncated three bytes", "\xE2\x82", false},
      {"overlong two bytes", "\xC0\xAF", false},
      {"overlong three bytes", "\xE0\x80\xAF", false},
      {"overlong four bytes", "\xF0\x80\x80\xAF", false},
      {"surrogate", "\xED\xA0\x80", false},
      {"above U+10FFFF", "\xF4\x90\x80\x80", false},
      {"F5 lead", "\xF5\x80\x80\x80", false},
      {"FF", "\xFF", false},
      {"continuation missing inside", "\xE2\x28\xA1", false},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(is_valid_utf8(row.bytes) == row.valid);
  }
}

}  // namespace passerelle
