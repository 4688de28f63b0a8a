#include "config/url_rules.h"

#include <algorithm>

namespace passerelle {
namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool has_forbidden_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '\\';
  });
}

// RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
bool is_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; });
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Schemes are case-insensitive (RFC 3986 §3.1).
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool is_http_scheme(std::string_view scheme) {
  return iequals(scheme, "http") || iequals(scheme, "https");
}

// A registered name restricted to unreserved characters and percent escapes
// (RFC 3986 §3.2.2 without sub-delims: no host we serve needs them).
bool is_reg_name(std::string_view h) {
  return !h.empty() && std::all_of(h.begin(), h.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%';
  });
}

bool is_ipv6_literal(std::string_view h) {
  return !h.empty() &&
         std::all_of(h.begin(), h.end(), [](char c) { return is_hex(c) || c == ':' || c == '.'; });
}

// Splits "host[:port]" (host possibly "[v6]") into `out`; false when invalid.
bool split_authority(std::string_view authority, UrlParts& out) {
  if (authority.find('@') != std::string_view::npos) return false;  // userinfo: phishing-prone, never needed
  std::string_view rest = authority;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    out.host = rest.substr(1, close - 1);
    if (!is_ipv6_literal(out.host)) return false;
    rest.remove_prefix(close + 1);
  } else {
    size_t colon = rest.find(':');
    out.host = rest.substr(0, colon);
    if (!is_reg_name(out.host)) return false;
    rest.remove_prefix(colon == std::string_view::npos ? rest.size() : colon);
  }
  if (rest.empty()) return true;
  if (rest[0] != ':') return false;
  out.port = rest.substr(1);
  if (out.port.empty() || out.port.size() > 5 || !std::all_of(out.port.begin(), out.port.end(), is_digit)) {
    return false;
  }
  unsigned value = 0;
  for (char c : out.port) value = value * 10 + unsigned(c - '0');
  return value <= 65535;
}

}  // namespace

std::optional<UrlParts> split_url(std::string_view text) {
  if (has_forbidden_char(text)) return std::nullopt;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  parts.scheme = text.substr(0, sep);
  if (!is_scheme(parts.scheme)) return std::nullopt;
  std::string_view rest = text.substr(sep + 3);
  size_t end = rest.find_first_of("/?#");
  if (!split_authority(rest.substr(0, end), parts)) return std::nullopt;
  rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
  size_t hash = rest.find('#');
  parts.has_fragment = hash != std::string_view::npos;
  rest = rest.substr(0, hash);
  size_t query = rest.find('?');
  parts.has_query = query != std::string_view::npos;
  parts.path = rest.substr(0, query);
  return parts;
}

bool is_issuer_url(std::string_view text) {
  std::optional<UrlParts> u = split_url(text);
  return u && is_http_scheme(u->scheme) && !u->has_query && !u->has_fragment &&
         (u->path.empty() || u->path.back() != '/');
}

bool is_redirect_uri(std::string_view text, bool allow_private_use_scheme) {
  std::optional<UrlParts> u = split_url(text);
  if (u && is_http_scheme(u->scheme)) return !u->has_fragment;
  if (!allow_private_use_scheme || has_forbidden_char(text)) return false;
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view scheme = text.substr(0, colon);
  return is_scheme(scheme) && scheme.find('.') != std::string_view::npos && colon + 1 < text.size() &&
         text.find('#') == std::string_view::npos;
}

bool is_web_origin(std::string_view text) {
  std::optional<UrlParts> u = split_url(text);
  return u && is_http_scheme(u->scheme) && u->path.empty() && !u->has_query && !u->has_fragment;
}

bool is_http_url(std::string_view text) {
  std::optional<UrlParts> u = split_url(text);
  return u && is_http_scheme(u->scheme);
}

// Deliberately loose (RFC 5321 addresses are hard to check by pattern): one
// '@' between a non-empty local part and a non-empty domain, nothing blank.
bool is_email_address(std::string_view s) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  return std::none_of(s.begin(), s.end(), [](char ch) { return static_cast<unsigned char>(ch) <= 0x20; });
}

}  // namespace passerelle
