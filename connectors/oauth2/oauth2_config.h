// The oauth2 connection's options: a generic OAuth 2.0 authorization code
// flow (RFC 6749 §4.1) against any IdP with a userinfo-like JSON API. No
// defaults for endpoints: every IdP names its own. Plain value type.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/oauth_util.h"
#include "common/token_endpoint.h"
#include "oauth2/claim_mapping.h"
#include "passerelle/result.h"

namespace passerelle::oauth2 {

struct OAuth2Config {
  std::string provider;  // Identity.provider: option "provider", else the strategy
  std::string client_id;
  std::string client_secret;
  std::string scope;  // sent as is; not sent when empty
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;
  // token_endpoint_auth_method: "client_secret_post" (default) or
  // "client_secret_basic", named as in RFC 7591 §2.
  connector_util::ClientAuth client_auth = connector_util::ClientAuth::kPost;
  bool use_pkce = true;  // RFC 9700 §2.1.1: PKCE for every code flow
  connector_util::Params authorization_params;  // extra parameters of the authorization request
  ClaimMapping claims;
};

// Errors: kInvalidArgument "options.<key>: <problem>": an unknown key, a
// missing client_id, client_secret or endpoint, a URL that is not http(s),
// a value of the wrong type, an authorization parameter the connector sets
// itself, an unknown claim field.
Result<OAuth2Config> parse_oauth2_config(const nlohmann::json& options, const std::string& strategy);

}  // namespace passerelle::oauth2
