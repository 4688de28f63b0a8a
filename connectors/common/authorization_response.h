// Reading the authorization response at the broker's callback (RFC 6749
// §4.1.2): the code, or the IdP's error turned into the typed errors of
// passerelle/connector.h. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "passerelle/connector.h"
#include "passerelle/result.h"

namespace passerelle::connector_util {

// The value of a callback parameter, or "".
std::string callback_param(const CallbackRequest& request, const char* name);

// The authorization code. Errors, prefixed with `who` ("github: ..."):
//   error=access_denied (the user cancelled)           -> kPermissionDenied
//   error=server_error or temporarily_unavailable      -> kUnavailable
//   any other error (the IdP refused the request)      -> kPermissionDenied
//   neither error nor code                              -> kInvalidArgument
// The message names the error code only (sanitized), never the description.
Result<std::string> authorization_code(const CallbackRequest& request, std::string_view who);

}  // namespace passerelle::connector_util
