#include "facebook/facebook_config.h"

#include "common/oauth_util.h"

namespace passerelle::facebook {

Result<FacebookConfig> parse_facebook_config(const nlohmann::json& options) {
  connector_util::OptionsReader r(options, {"client_id", "client_secret", "scope", "authorization_endpoint",
                                            "token_endpoint", "userinfo_endpoint", "logout_endpoint"});
  FacebookConfig c;
  std::string graph = std::string("https://graph.facebook.com/") + kGraphVersion;
  c.client_id = r.required("client_id");
  c.client_secret = r.required("client_secret");
  c.scope = r.optional("scope", c.scope);
  c.authorization_endpoint =
      r.url("authorization_endpoint", std::string("https://www.facebook.com/") + kGraphVersion + "/dialog/oauth");
  c.token_endpoint = r.url("token_endpoint", graph + "/oauth/access_token");
  c.userinfo_endpoint = r.url("userinfo_endpoint", graph + "/me");
  c.logout_endpoint = r.url("logout_endpoint", "https://www.facebook.com/logout.php");
  if (!r.status()) return fail(r.status().error());
  return c;
}

}  // namespace passerelle::facebook
