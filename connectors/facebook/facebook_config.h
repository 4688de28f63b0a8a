// The facebook connection's options, read from the config's "options".
// Defaults point at Facebook; every URL can be overridden (tests use the
// fake Facebook in fixtures/). Plain value type.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "passerelle/result.h"

namespace passerelle::facebook {

// The Graph API version the defaults use; Facebook keeps each version for
// at least two years.
inline constexpr const char* kGraphVersion = "v19.0";

struct FacebookConfig {
  std::string client_id;      // the app id
  std::string client_secret;  // the app secret; also keys appsecret_proof
  std::string scope = "email,public_profile";  // Facebook separates permissions with commas
  std::string authorization_endpoint;  // www.facebook.com/<v>/dialog/oauth
  std::string token_endpoint;          // graph.facebook.com/<v>/oauth/access_token
  std::string userinfo_endpoint;       // graph.facebook.com/<v>/me
  std::string logout_endpoint;         // www.facebook.com/logout.php (federated logout)
};

// Errors: kInvalidArgument "options.<key>: <problem>" (unknown key, missing
// client_id or client_secret, a URL that is not http(s)).
Result<FacebookConfig> parse_facebook_config(const nlohmann::json& options);

}  // namespace passerelle::facebook
