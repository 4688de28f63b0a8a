// libFuzzer target: reading a cookie from a Cookie header
// (broker/http/cookies.h). The input is "<name>\n<header>".
// Invariants: a value found is the text after "<name>=" inside one pair of
// the header (so it never holds a ';'), and a cookie that set_cookie_value
// wrote is read back unchanged when its name and value are cookie-safe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "http/cookies.h"

namespace passerelle {
namespace {

// A name the parser can find again: non-empty, no separator, no leading
// space (the parser skips the spaces before each pair).
bool cookie_safe_name(std::string_view name) {
  return !name.empty() && name.front() != ' ' && name.find_first_of(";=") == std::string_view::npos;
}

}  // namespace
}  // namespace passerelle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view name = input.substr(0, newline);
  std::string_view header = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  if (auto value = find_cookie(header, name)) {
    fuzz::require(value->find(';') == std::string::npos, "a cookie value holds no ';'");
    fuzz::require(header.find(std::string(name) + "=" + *value) != std::string_view::npos,
                  "a cookie value follows its name in the header");
  }

  // Round trip: the header value as the next request would carry it.
  std::string_view value = header;
  if (cookie_safe_name(name) && value.find(';') == std::string_view::npos) {
    for (bool secure : {false, true}) {
      CookieOptions options;
      options.secure = secure;
      options.max_age = static_cast<int64_t>(size) - 1;
      auto back = find_cookie(set_cookie_value(name, value, options), name);
      fuzz::require(back.has_value() && *back == value, "a cookie we set is read back unchanged");
    }
  }
  return 0;
}
