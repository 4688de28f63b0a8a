// "Continue with Facebook": Facebook Login's manual web flow
// (developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow).
// The browser goes to the login dialog with `state`; Facebook returns a code
// (or error=access_denied when the user cancels); the code is exchanged at
// the Graph API for a user access token, which reads the profile from /me,
// every call signed with appsecret_proof. Thread-safe: no mutable state.
#pragma once

#include <memory>

#include "facebook/facebook_config.h"
#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/plugin.h"

namespace passerelle::facebook {

class FacebookConnector final : public Connector, public LogoutCapability {
 public:
  FacebookConnector(FacebookConfig config, const HostServices& host) : config_(std::move(config)), host_(host) {}

  Result<LoginStart> begin_login(const LoginRequest& request) override;
  Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) override;
  LogoutCapability* logout() override { return this; }
  // Facebook's logout.php ends the user's Facebook session when given the
  // user access token this login obtained (kept in connector_data).
  Result<std::string> logout_url(const Identity& identity, const std::string& return_to) override;

 private:
  Result<nlohmann::json> exchange_code(const std::string& code, const std::string& callback_url);
  Result<nlohmann::json> read_profile(const std::string& access_token);

  FacebookConfig config_;
  HostServices host_;
};

// The factory the plugin exports, also linked directly into tests.
Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host);

}  // namespace passerelle::facebook
