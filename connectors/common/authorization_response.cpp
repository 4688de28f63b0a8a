#include "common/authorization_response.h"

#include "common/oauth_util.h"

namespace passerelle::connector_util {

std::string callback_param(const CallbackRequest& request, const char* name) {
  auto it = request.params.find(name);
  return it == request.params.end() ? "" : it->second;
}

Result<std::string> authorization_code(const CallbackRequest& request, std::string_view who) {
  std::string prefix = std::string(who) + ": ";
  if (std::string error = callback_param(request, "error"); !error.empty()) {
    std::string message = prefix + safe_token(error);
    // RFC 6749 §4.1.2.1: the two codes that say the IdP itself failed.
    if (error == "server_error" || error == "temporarily_unavailable") return fail(Error::unavailable(message));
    return fail(Error::permission_denied(message));
  }
  std::string code = callback_param(request, "code");
  if (code.empty()) return fail(Error::invalid_argument(prefix + "the callback carries no code"));
  return code;
}

}  // namespace passerelle::connector_util
