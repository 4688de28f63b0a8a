// Calling an IdP's API with the user's access token (RFC 6750 §2.1, the
// Authorization: Bearer header; never the query, where it would be logged).
// Stateless; thread-safe as the HttpClient is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "passerelle/host.h"
#include "passerelle/result.h"

namespace passerelle::connector_util {

// GETs `url` with the token and `Accept: application/json` unless
// `headers` sets its own Accept. Returns the JSON body (object or array).
// Errors, prefixed with "<who>: <what>" (e.g. "github: the profile request"):
//   the request failed or timed out, a 5xx, 429 or a rate limit's 403
//   (X-RateLimit-Remaining: 0), a body that is not JSON     -> kUnavailable
//   any other status but 200: the IdP refused the token       -> kPermissionDenied
// Messages name the status only: never the token.
Result<nlohmann::json> get_json_with_token(HttpClient& http, const std::string& url, const std::string& access_token,
                                           std::vector<HttpHeader> headers, std::string_view who,
                                           std::string_view what);

}  // namespace passerelle::connector_util
