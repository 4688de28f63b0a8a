// A scripted browser for the fake Facebook: follows the login dialog, types
// the password, answers the consent page, and returns where Facebook sends
// the browser back. Keeps the fake's session cookie, so SSO is observable.
#pragma once

#include <map>
#include <string>

#include <doctest/doctest.h>
#include <httplib.h>

#include "fake_facebook.h"

namespace passerelle::testing {

struct FacebookReturn {
  std::string callback;  // the redirect target without query or fragment
  std::map<std::string, std::string> params;
};

class FacebookUserAgent {
 public:
  explicit FacebookUserAgent(const fixtures::FakeFacebook& facebook) : client_(facebook.base_url()) {}

  // GET of the dialog URL; the HTML of the page shown, or "" on a redirect
  // (then returned() holds it).
  std::string open(const std::string& url) {
    std::string base = client_host(url);
    return follow(client_.Get(url.substr(base.size()), headers()));
  }
  std::string log_in(const std::string& page, const std::string& email, const std::string& password) {
    return follow(client_.Post("/login", headers(),
                               httplib::Params{{"dialog", hidden(page, "dialog")}, {"email", email}, {"pass", password}}));
  }
  std::string answer_consent(const std::string& page, const std::string& action) {
    return follow(client_.Post(std::string("/") + fixtures::FakeFacebook::kVersion + "/dialog/oauth/confirm", headers(),
                               httplib::Params{{"dialog", hidden(page, "dialog")},
                                               {"user", hidden(page, "user")},
                                               {"action", action}}));
  }
  const FacebookReturn& returned() const { return returned_; }

 private:
  static std::string client_host(const std::string& url) {
    size_t slash = url.find('/', url.find("://") + 3);
    return url.substr(0, slash);
  }
  static std::string hidden(const std::string& html, const std::string& name) {
    std::string key = "name=\"" + name + "\" value=\"";
    size_t at = html.find(key);
    if (at == std::string::npos) return "";
    at += key.size();
    return html.substr(at, html.find('"', at) - at);
  }
  httplib::Headers headers() const {
    return cookie_.empty() ? httplib::Headers{} : httplib::Headers{{"Cookie", cookie_}};
  }
  std::string follow(const httplib::Result& r) {
    REQUIRE(r);
    std::string set_cookie = r->get_header_value("Set-Cookie");
    if (!set_cookie.empty()) cookie_ = set_cookie.substr(0, set_cookie.find(';'));
    returned_ = {};
    if (r->status != 302) return r->body;
    std::string location = r->get_header_value("Location");
    location = location.substr(0, location.find('#'));  // Facebook's "#_=_"
    size_t q = location.find('?');
    returned_.callback = location.substr(0, q);
    httplib::Params params;
    if (q != std::string::npos) httplib::detail::parse_query_text(location.substr(q + 1), params);
    for (const auto& [k, v] : params) returned_.params[k] = v;
    return "";
  }

  httplib::Client client_;
  std::string cookie_;
  FacebookReturn returned_;
};

}  // namespace passerelle::testing
