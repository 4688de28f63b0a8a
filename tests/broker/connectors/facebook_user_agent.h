// The scripted browser's steps at the fake Facebook: type the password in
// the login dialog, answer the consent page.
#pragma once

#include <string>

#include "broker/connectors/user_agent.h"
#include "fake_facebook.h"

namespace passerelle::testing {

class FacebookUserAgent : public UserAgent {
 public:
  explicit FacebookUserAgent(const fixtures::FakeFacebook& facebook) : UserAgent(facebook.base_url()) {}

  std::string log_in(const std::string& page, const std::string& email, const std::string& password) {
    return post_form("/login", {{"dialog", hidden(page, "dialog")}, {"email", email}, {"pass", password}});
  }
  std::string answer_consent(const std::string& page, const std::string& action) {
    return post_form(std::string("/") + fixtures::FakeFacebook::kVersion + "/dialog/oauth/confirm",
                     {{"dialog", hidden(page, "dialog")}, {"user", hidden(page, "user")}, {"action", action}});
  }
};

}  // namespace passerelle::testing
