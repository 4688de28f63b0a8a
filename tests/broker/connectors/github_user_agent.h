// The scripted browser's steps at the fake GitHub: sign in, pick the
// account, authorize the app or cancel.
#pragma once

#include <string>

#include "broker/connectors/user_agent.h"
#include "fake_github.h"

namespace passerelle::testing {

class GithubUserAgent : public UserAgent {
 public:
  explicit GithubUserAgent(const fixtures::FakeGithub& github) : UserAgent(github.base_url()) {}

  std::string sign_in(const std::string& page, const std::string& login, const std::string& password) {
    return post_form("/session",
                     {{"authorization", hidden(page, "authorization")}, {"login", login}, {"password", password}});
  }
  // `choice`: "continue" or "switch".
  std::string select_account(const std::string& page, const std::string& choice) {
    return post_form("/login/oauth/select_account",
                     {{"authorization", hidden(page, "authorization")}, {"choice", choice}});
  }
  std::string authorize(const std::string& page, bool accept) {
    return post_form("/login/oauth/authorize",
                     {{"authorization", hidden(page, "authorization")}, {"authorize", accept ? "1" : "0"}});
  }
};

}  // namespace passerelle::testing
