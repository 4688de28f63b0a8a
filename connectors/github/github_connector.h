// "Continue with GitHub": GitHub's web application flow for OAuth apps
// (docs.github.com/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps).
// The browser goes to /login/oauth/authorize with `state` and a PKCE
// challenge; GitHub returns a code (or error=access_denied when the user
// cancels), exchanged at /login/oauth/access_token; the token reads the
// profile from the REST API's /user and the verified addresses from
// /user/emails. GitHub has no way to make its user type the password again:
// force_reauthentication becomes prompt=select_account (the account picker)
// and auth_time stays unknown. Thread-safe: no mutable state.
#pragma once

#include <memory>

#include "github/github_config.h"
#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/plugin.h"

namespace passerelle::github {

class GithubConnector final : public Connector {
 public:
  GithubConnector(GithubConfig config, const HostServices& host) : config_(std::move(config)), host_(host) {}

  Result<LoginStart> begin_login(const LoginRequest& request) override;
  Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) override;

 private:
  // The primary address if GitHub verified it, else none (email "").
  Result<std::pair<std::string, bool>> primary_email(const std::string& access_token);

  GithubConfig config_;
  HostServices host_;
};

// The factory the plugin exports, also linked directly into tests.
Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host);

}  // namespace passerelle::github
