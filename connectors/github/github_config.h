// The github connection's options. Defaults point at github.com; every URL
// can be overridden (GitHub Enterprise Server, or the fake GitHub in
// fixtures/). Plain value type.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "passerelle/result.h"

namespace passerelle::github {

struct GithubConfig {
  std::string client_id;
  std::string client_secret;
  // GitHub separates scopes with spaces (or commas); read:user for the
  // profile, user:email for the private addresses and their verification.
  std::string scope = "read:user user:email";
  std::string authorization_endpoint = "https://github.com/login/oauth/authorize";
  std::string token_endpoint = "https://github.com/login/oauth/access_token";
  std::string userinfo_endpoint = "https://api.github.com/user";
  std::string emails_endpoint = "https://api.github.com/user/emails";
};

// Errors: kInvalidArgument "options.<key>: <problem>" (unknown key, missing
// client_id or client_secret, a URL that is not http(s)).
Result<GithubConfig> parse_github_config(const nlohmann::json& options);

}  // namespace passerelle::github
