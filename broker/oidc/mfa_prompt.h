// What the two MFA prompts (/mfa and /mfa/enroll) share. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "mfa/mfa_store.h"
#include "oidc/authorization_flow.h"

namespace passerelle {

// Why a checked code was refused, as the prompt shows it again: the status
// and the alert. A block is logged (identifiers only, never the code) and
// sets Retry-After on `res`. nullopt when the code was accepted.
struct CodeRefusal {
  int status = 0;
  std::string alert;
};
std::optional<CodeRefusal> refusal_of(const MfaAttempt& attempt, const std::string& user_id,
                                      const std::string& wrong_code_alert, httplib::Response& res);

// Records an accepted second factor (`method`: "otp" or "recovery_code") on
// the step's session, with its amr and the multi-factor acr. False, with an
// error page sent, when the session has ended.
bool record_second_factor(Broker& b, const AuthorizationStep& step, const std::string& method,
                          httplib::Response& res);

}  // namespace passerelle
