// The oidc connection's options: an OpenID Connect Core 1.0 relying party
// (authorization code flow, §3.1) for any IdP, and the "google" preset of it,
// whose issuer and scope have defaults. Plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/oauth_util.h"
#include "common/token_endpoint.h"
#include "passerelle/result.h"

namespace passerelle::oidc {

// The IdP's endpoints (OpenID Connect Discovery 1.0 §3); "" when unknown.
struct ProviderEndpoints {
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;
  // RFC 9207 §3: the IdP puts iss in every authorization response, so one
  // without it is refused.
  bool authorization_response_iss = false;
};

struct OidcConfig {
  std::string provider;  // Identity.provider: the strategy ("oidc", "google")
  std::string issuer;    // where discovery starts, and the ID token's iss
  // The iss values an ID token may carry: the issuer, and for Google also
  // its historical "accounts.google.com" without a scheme.
  std::vector<std::string> accepted_issuers;
  // Set in the options; each overrides what discovery says. Discovery is
  // skipped when the authorization, token and JWKS endpoints are all set.
  ProviderEndpoints endpoints;
  std::string client_id;
  std::string client_secret;
  std::string scope;  // must contain "openid"
  connector_util::ClientAuth client_auth = connector_util::ClientAuth::kBasic;
  std::vector<std::string> algorithms;  // id_token_signed_response_algs
  int64_t clock_skew = 60;              // seconds allowed on exp, iat, auth_time
  connector_util::Params authorization_params;

  bool needs_discovery() const {
    return endpoints.authorization_endpoint.empty() || endpoints.token_endpoint.empty() || endpoints.jwks_uri.empty();
  }
};

// Errors: kInvalidArgument "options.<key>: <problem>": an unknown key, a
// missing issuer (no default for "oidc"), client_id or client_secret, a URL
// that is not http(s), a scope without "openid", an algorithm that is not
// RS256, PS256 or ES256, a clock_skew outside 0..600, an authorization
// parameter the connector sets itself. Values are never quoted.
Result<OidcConfig> parse_oidc_config(const nlohmann::json& options, const std::string& strategy);

}  // namespace passerelle::oidc
