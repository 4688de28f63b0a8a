// An OpenID Connect relying party (Core 1.0 §3.1, the authorization code
// flow) with PKCE (RFC 7636), state and nonce upstream, the ID token verified
// against the IdP's JWKS (key rotation handled by a rate-limited refetch),
// userinfo merged, the IdP's session facts (auth_time, amr, acr, sid)
// recorded, and RP-initiated logout through the IdP's end_session_endpoint.
// Refreshes the identity with the upstream refresh token when there is one.
// Serves the "oidc" strategy and its "google" preset. Thread-safe: the
// config is immutable and the KeySet locks its own state.
#pragma once

#include <memory>

#include "common/token_endpoint.h"
#include "oidc/id_token.h"
#include "oidc/key_set.h"
#include "oidc/oidc_config.h"
#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/plugin.h"

namespace passerelle::oidc {

class OidcConnector final : public Connector, public RefreshCapability, public LogoutCapability {
 public:
  OidcConnector(OidcConfig config, const HostServices& host)
      : config_(std::move(config)), host_(host), keys_(host.json_cache, host.clock) {}

  Result<LoginStart> begin_login(const LoginRequest& request) override;
  Result<Identity> finish_login(const CallbackRequest& request, const std::string& state_data) override;
  // OIDC Core §12: kPermissionDenied when the login gave no refresh token
  // or the IdP no longer honours it; a new ID token in the answer is
  // verified like a login's (without a nonce, §12.2) and must name the same
  // subject, else kUnavailable. Without one, the login's session facts stay.
  Result<Identity> refresh(const Identity& identity) override;
  RefreshCapability* refresher() override { return this; }
  // RP-Initiated Logout 1.0 §2. kNotFound when the IdP has no
  // end_session_endpoint; discovery errors as in resolve_endpoints.
  Result<std::string> logout_url(const Identity& identity, const std::string& return_to) override;
  // Known without discovery only when the endpoints are all in the options.
  LogoutCapability* logout() override {
    return config_.needs_discovery() || !config_.endpoints.end_session_endpoint.empty() ? this : nullptr;
  }

 private:
  Result<ProviderEndpoints> endpoints();
  IdTokenExpectations expectations(std::string nonce) const;
  // The identity from verified ID token claims, merged with userinfo.
  Result<Identity> identity_for(const connector_util::TokenResponse& token, const nlohmann::json& claims,
                                const ProviderEndpoints& endpoints);

  OidcConfig config_;
  HostServices host_;
  KeySet keys_;
};

// The factory the plugin exports, also linked directly into tests.
Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host);

}  // namespace passerelle::oidc
