// A generic OAuth 2.0 connector: the authorization code flow (RFC 6749
// §4.1) with PKCE (RFC 7636), then the user's profile from a userinfo-like
// JSON API called with the access token, mapped onto an Identity by the
// connection's claim mapping. OAuth 2.0 alone says nothing about who logged
// in or when, so there is no ID token, no auth_time, and
// force_reauthentication has no standard parameter to become (an IdP's own,
// such as prompt=login, can go in authorization_params).
// Refreshes the identity with the upstream refresh token when there is one.
// Thread-safe: no mutable state.
#pragma once

#include <memory>

#include "common/token_endpoint.h"
#include "oauth2/oauth2_config.h"
#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/plugin.h"

namespace passerelle::oauth2 {

class OAuth2Connector final : public Connector, public RefreshCapability {
 public:
  OAuth2Connector(OAuth2Config config, const HostServices& host) : config_(std::move(config)), host_(host) {}

  Result<LoginStart> begin_login(const LoginRequest& request) override;
  Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) override;
  // kPermissionDenied when the login gave no refresh token or the IdP no
  // longer honours it; otherwise as finish_login's upstream errors.
  Result<Identity> refresh(const Identity& identity) override;
  RefreshCapability* refresher() override { return this; }

 private:
  // The identity behind a fresh token response, its refresh token kept in
  // connector_data (`previous_refresh_token` when the IdP did not rotate it).
  Result<Identity> identity_for(const connector_util::TokenResponse& token, const std::string& previous_refresh_token);
  connector_util::ClientCredentials credentials() const;

  OAuth2Config config_;
  HostServices host_;
};

// The factory the plugin exports, also linked directly into tests.
Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host);

}  // namespace passerelle::oauth2
