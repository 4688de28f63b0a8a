// The OAuth 2.0 token endpoint (RFC 6749 §3.2) as connectors call it: a form
// POST authenticated with the client secret, answered in JSON. Used for the
// code exchange (§4.1.3) and for refreshing (§6). Stateless; thread-safe as
// the HttpClient is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/oauth_util.h"
#include "passerelle/host.h"
#include "passerelle/result.h"

namespace passerelle::connector_util {

// RFC 6749 §2.3.1: the secret in the form body, or as HTTP Basic.
enum class ClientAuth { kPost, kBasic };

struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
  ClientAuth auth = ClientAuth::kPost;
};

struct TokenResponse {
  std::string access_token;
  std::string refresh_token;         // "" when the IdP issued none
  std::optional<int64_t> expires_in;  // seconds, when the IdP said
  std::string scope;                 // as granted, when the IdP said
  std::string id_token;              // OpenID Connect Core §3.1.3.3; "" when none
};

// POSTs `grant` (grant_type and its parameters) with the client's
// credentials and `Accept: application/json`. Errors, prefixed with `who`:
//   the request failed or timed out, a 5xx, any other status or body
//   without an error object, no access_token, a token_type
//   other than Bearer                                        -> kUnavailable
//   an RFC 6749 §5.2 error object below 500 (GitHub answers
//   200 {"error": "bad_verification_code"})                  -> kPermissionDenied
// Messages name the error code at most: never the secret, code or token.
Result<TokenResponse> request_token(HttpClient& http, const std::string& endpoint, const ClientCredentials& client,
                                    Params grant, std::string_view who);

}  // namespace passerelle::connector_util
