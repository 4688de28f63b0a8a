#include "oauth2/oauth2_config.h"

#include <algorithm>

namespace passerelle::oauth2 {
namespace {

// Parameters begin_login sets; letting options override them would break
// the flow or its protections (state, PKCE).
const std::vector<std::string> kReservedParams = {"response_type", "client_id",      "redirect_uri",
                                                  "state",         "scope",          "code_challenge",
                                                  "code_challenge_method"};

}  // namespace

Result<OAuth2Config> parse_oauth2_config(const nlohmann::json& options, const std::string& strategy) {
  connector_util::OptionsReader r(
      options, {"provider", "client_id", "client_secret", "scope", "authorization_endpoint", "token_endpoint",
                "userinfo_endpoint", "token_endpoint_auth_method", "use_pkce", "authorization_params", "claims"});
  OAuth2Config c;
  c.provider = r.optional("provider", strategy);
  if (c.provider.empty()) r.set_error("provider", "must not be empty");
  c.client_id = r.required("client_id");
  c.client_secret = r.required("client_secret");
  c.scope = r.optional("scope", "");
  c.authorization_endpoint = r.url("authorization_endpoint", "");
  c.token_endpoint = r.url("token_endpoint", "");
  c.userinfo_endpoint = r.url("userinfo_endpoint", "");
  std::string method = r.one_of("token_endpoint_auth_method", {"client_secret_post", "client_secret_basic"});
  c.client_auth =
      method == "client_secret_basic" ? connector_util::ClientAuth::kBasic : connector_util::ClientAuth::kPost;
  c.use_pkce = r.flag("use_pkce", true);
  c.authorization_params = r.string_map("authorization_params");
  for (const auto& [name, value] : c.authorization_params) {
    if (std::find(kReservedParams.begin(), kReservedParams.end(), name) != kReservedParams.end()) {
      r.set_error("authorization_params." + name, "is set by the connector");
    }
  }
  read_claim_mapping(r, c.claims);
  if (!r.status()) return fail(r.status().error());
  return c;
}

}  // namespace passerelle::oauth2
