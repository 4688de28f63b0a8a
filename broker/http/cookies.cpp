#include "http/cookies.h"

namespace passerelle {

std::optional<std::string> find_cookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + o.path + "; HttpOnly; SameSite=" + o.same_site;
  if (o.secure) out += "; Secure";
  if (o.max_age >= 0) out += "; Max-Age=" + std::to_string(o.max_age);
  return out;
}

}  // namespace passerelle
