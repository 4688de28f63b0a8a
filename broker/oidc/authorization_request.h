// The authorization request of RFC 6749 §4.1.1 / OIDC Core §3.1.2.1, parsed
// and checked against the client. Errors say whether they may be sent back
// to the redirect URI: never before the client and its redirect URI are
// known to match exactly (RFC 9700 §4.1). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "clients/client.h"

namespace passerelle {

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  std::string response_mode = "query";  // query | form_post | web_message
  std::string scope;
  std::string state;
  std::string nonce;
  std::string code_challenge;           // S256 only; empty when the client sent none
  std::vector<std::string> prompt;      // none | login | consent | select_account
  int64_t max_age = -1;                 // -1: not given
  std::string login_hint;
  std::string acr_values;
  // Auth0's `connection`: log in through this connection, skipping the
  // login page ("" when not given).
  std::string connection;

  bool has_prompt(std::string_view p) const;
  bool has_scope(std::string_view s) const;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AuthorizationRequest, client_id, redirect_uri, response_mode,
                                                scope, state, nonce, code_challenge, prompt, max_age,
                                                login_hint, acr_values, connection)

struct AuthorizationError {
  std::string error;        // RFC 6749 §4.1.2.1 code
  std::string description;
  bool redirectable = false;  // false: show an error page, never redirect
};

// Query or form parameters as cpp-httplib gives them (a multimap, so that
// repeated parameters can be refused per RFC 6749 §3.1).
using Params = std::multimap<std::string, std::string>;

// The client id named by the request, or an error that must not redirect.
tl::expected<std::string, AuthorizationError> requested_client_id(const Params& params);

// scheme://host[:port] of an absolute URL, or "" when it has none.
std::string url_origin(const std::string& url);

// Validates the whole request for `client`.
tl::expected<AuthorizationRequest, AuthorizationError> parse_authorization_request(const Params& params,
                                                                                   const Client& client);

}  // namespace passerelle
