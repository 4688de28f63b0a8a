// A scripted browser for the fake IdPs in fixtures/: GETs and form POSTs on
// one IdP's origin, keeps the cookies it sets (so SSO at the IdP is
// observable), and records where the IdP sends the browser back.
#pragma once

#include <map>
#include <string>

#include <doctest/doctest.h>
#include <httplib.h>

namespace passerelle::testing {

struct ReturnTrip {
  std::string callback;  // the redirect target without query or fragment
  std::map<std::string, std::string> params;
};

class UserAgent {
 public:
  explicit UserAgent(const std::string& base_url) : base_url_(base_url), client_(base_url) {}

  // GET of an absolute URL on the IdP; the HTML of the page shown, or ""
  // on a redirect (then returned() holds it).
  std::string open(const std::string& url) {
    REQUIRE(url.rfind(base_url_, 0) == 0);
    return follow(client_.Get(url.substr(base_url_.size()), headers()));
  }
  // POST of a form to a path on the IdP; like open().
  std::string post_form(const std::string& path, const httplib::Params& form) {
    return follow(client_.Post(path, headers(), form));
  }
  const ReturnTrip& returned() const { return returned_; }

  // The value of the hidden input `name` in `html`, or "".
  static std::string hidden(const std::string& html, const std::string& name) {
    std::string key = "name=\"" + name + "\" value=\"";
    size_t at = html.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    return html.substr(at, html.find('"', at) - at);
  }

 private:
  httplib::Headers headers() const {
    std::string cookie;
    for (const auto& [name, value] : cookies_) cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    return cookie.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", cookie}};
  }
  std::string follow(const httplib::Result& r) {
    REQUIRE(r);
    for (const auto& [name, value] : r->headers) {
      if (name != "Set-Cookie") continue;
      std::string pair = value.substr(0, value.find(';'));
      size_t eq = pair.find('=');
      if (eq != std::string::npos) cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    returned_ = {};
    if (r->status != 302) return r->body;
    std::string location = r->get_header_value("Location");
    // cpp-httplib 0.11's client percent-decodes header values, Location
    // too, so a '#' inside a parameter (GitHub's error_uri) looks like a
    // fragment: only Facebook's known fragment is dropped.
    if (location.size() >= 4 && location.compare(location.size() - 4, 4, "#_=_") == 0) {
      location.resize(location.size() - 4);
    }
    size_t q = location.find('?');
    returned_.callback = location.substr(0, q);
    httplib::Params params;
    if (q != std::string::npos) httplib::detail::parse_query_text(location.substr(q + 1), params);
    for (const auto& [k, v] : params) returned_.params[k] = v;
    return "";
  }

  std::string base_url_;
  httplib::Client client_;
  std::map<std::string, std::string> cookies_;
  ReturnTrip returned_;
};

}  // namespace passerelle::testing
