// Cookies: reading one from a request, and Set-Cookie values with the
// attributes RFC 9700 §4.x and RFC 6265bis ask for (HttpOnly, SameSite,
// Secure on https). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

// The value of cookie `name` in a Cookie header, if present.
std::optional<std::string> find_cookie(std::string_view cookie_header, std::string_view name);

struct CookieOptions {
  bool secure = false;
  std::string same_site = "Lax";  // Lax lets a top-level redirect from the app carry it
  int64_t max_age = -1;           // -1: a browser-session cookie; 0: delete
  std::string path = "/";
};

std::string set_cookie_value(std::string_view name, std::string_view value, const CookieOptions& options);

}  // namespace passerelle
