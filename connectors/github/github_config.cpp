#include "github/github_config.h"

#include "common/oauth_util.h"

namespace passerelle::github {

Result<GithubConfig> parse_github_config(const nlohmann::json& options) {
  connector_util::OptionsReader r(options, {"client_id", "client_secret", "scope", "authorization_endpoint",
                                            "token_endpoint", "userinfo_endpoint", "emails_endpoint"});
  GithubConfig c;
  c.client_id = r.required("client_id");
  c.client_secret = r.required("client_secret");
  c.scope = r.optional("scope", c.scope);
  c.authorization_endpoint = r.url("authorization_endpoint", c.authorization_endpoint);
  c.token_endpoint = r.url("token_endpoint", c.token_endpoint);
  c.userinfo_endpoint = r.url("userinfo_endpoint", c.userinfo_endpoint);
  c.emails_endpoint = r.url("emails_endpoint", c.emails_endpoint);
  if (!r.status()) return fail(r.status().error());
  return c;
}

}  // namespace passerelle::github
