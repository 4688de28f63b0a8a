// The shapes of URL the config accepts (issuer, redirect URIs, web origins,
// logout URLs), checked once at load time so the request path can compare
// strings exactly. A deliberately small RFC 3986 splitter, not a general URL
// library. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace passerelle {

// Deliberately loose: one '@' between a non-empty local part and a
// non-empty domain, nothing blank (RFC 5321 is hard to check by pattern).
bool is_email_address(std::string_view s);

// "scheme://authority/path?query#fragment" cut into its parts.
struct UrlParts {
  std::string_view scheme;  // as written; compare case-insensitively
  std::string_view host;    // without brackets for an IPv6 literal
  std::string_view port;    // digits, or empty when absent
  std::string_view path;    // "" or starting with '/'
  bool has_query = false;
  bool has_fragment = false;
};

// nullopt unless the text is "scheme://host[:port]..." with a valid scheme,
// a non-empty host, no userinfo, a port of at most 65535, and no whitespace,
// control character or backslash anywhere (browsers read '\' as '/', which
// turns an exact-match check into an open redirect).
std::optional<UrlParts> split_url(std::string_view text);

// http(s), no query, no fragment, no trailing '/' (OIDC Discovery §3: the
// issuer is compared as a string, so one spelling only).
bool is_issuer_url(std::string_view text);
// http(s) without a fragment (RFC 6749 §3.1.2). For native applications a
// private-use scheme such as "com.example.app:/callback" is also accepted
// (RFC 8252 §7.1: reverse domain name, so it contains a '.').
bool is_redirect_uri(std::string_view text, bool allow_private_use_scheme);
// "scheme://host[:port]" and nothing more (RFC 6454 origin serialisation).
bool is_web_origin(std::string_view text);
// Any absolute http(s) URL.
bool is_http_url(std::string_view text);

}  // namespace passerelle
