// What the two MFA prompts (/mfa and /mfa/enroll) share. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include <httplib.h>

#include "oidc/authorization_flow.h"

namespace passerelle {

// The alert shown while codes are refused after too many wrong ones.
std::string too_many_codes_message(int64_t retry_after);

// Records an accepted second factor (`method`: "otp" or "recovery_code") on
// the step's session, with its amr and the multi-factor acr. False, with an
// error page sent, when the session has ended.
bool record_second_factor(Broker& b, const AuthorizationStep& step, const std::string& method,
                          httplib::Response& res);

}  // namespace passerelle
