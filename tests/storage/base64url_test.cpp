#include "storage/base64url.h"

#include <doctest/doctest.h>

#include <string>

namespace passerelle::storage {
namespace {

TEST_CASE("storage base64url: the RFC 4648 test vectors, in the URL alphabet without padding") {
  struct Row {
    std::string bytes, text;
  };
  const Row rows[] = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
      {std::string("\xfb\xff\xbf", 3), "-_-_"},  // the two characters that differ from standard base64
      {std::string("\0\n\xff", 3), "AAr_"},
  };
  for (const auto& row : rows) {
    SUBCASE(row.text.c_str()) {
      CHECK(base64url_encode(row.bytes) == row.text);
      CHECK(base64url_decode(row.text) == row.bytes);
    }
  }
}

TEST_CASE("storage base64url: refuses what no encoder writes") {
  const char* rows[] = {"Zg==", "Zm9v+", "Zm9v/", "Z", "Zm9vY", "Zh", "Zm9", "Zm 9v", "Zm9v\n"};
  for (const char* text : rows) {
    SUBCASE(text) {
      CHECK_FALSE(base64url_decode(text).has_value());
    }
  }
}

}  // namespace
}  // namespace passerelle::storage
