#include "config/url_rules.h"

#include <doctest/doctest.h>

#include <string>

namespace passerelle {

TEST_CASE("url rules: which URL fits which role") {
  struct Row {
    const char* url;
    bool issuer;
    bool redirect;         // for a web application
    bool native_redirect;  // for a native application
    bool origin;
    bool http_url;
  };
  const Row rows[] = {
      {"https://id.example.com", true, true, true, true, true},
      {"http://127.0.0.1:8080", true, true, true, true, true},
      {"HTTPS://id.example.com", true, true, true, true, true},
      {"https://id.example.com/tenant", true, true, true, false, true},
      {"https://id.example.com/", false, true, true, false, true},
      {"https://app.example.com/cb?a=1", false, true, true, false, true},
      {"https://app.example.com/cb#frag", false, false, false, false, true},
      {"http://[::1]:3000/cb", true, true, true, false, true},
      {"http://[::1]", true, true, true, true, true},
      {"https://app.example.com:65535", true, true, true, true, true},
      {"https://app.example.com:65536", false, false, false, false, false},
      {"https://app.example.com:", false, false, false, false, false},
      {"https://user@app.example.com", false, false, false, false, false},
      {"https://app.example.com\\@evil.example", false, false, false, false, false},
      {"https://app example.com", false, false, false, false, false},
      {"https://", false, false, false, false, false},
      {"/callback", false, false, false, false, false},
      {"ftp://files.example.com", false, false, false, false, false},
      {"com.example.app:/callback", false, false, true, false, false},
      {"com.example.app://callback", false, false, true, false, false},
      {"com.example.app:/callback#x", false, false, false, false, false},
      {"myapp:/callback", false, false, false, false, false},
      {"", false, false, false, false, false},
  };
  for (const Row& row : rows) {
    std::string url = row.url;
    CAPTURE(url);
    CHECK(is_issuer_url(row.url) == row.issuer);
    CHECK(is_redirect_uri(row.url, false) == row.redirect);
    CHECK(is_redirect_uri(row.url, true) == row.native_redirect);
    CHECK(is_web_origin(row.url) == row.origin);
    CHECK(is_http_url(row.url) == row.http_url);
  }
}

TEST_CASE("url rules: split_url parts") {
  std::optional<UrlParts> u = split_url("https://[::1]:8443/a/b?x=1#y");
  REQUIRE(u.has_value());
  CHECK(u->scheme == "https");
  CHECK(u->host == "::1");
  CHECK(u->port == "8443");
  CHECK(u->path == "/a/b");
  CHECK(u->has_query);
  CHECK(u->has_fragment);
}

}  // namespace passerelle
