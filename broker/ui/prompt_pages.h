// The prompts that may follow the password: the one-time code, TOTP
// enrolment, the recovery codes shown once, and consent. HTML hooks here are
// a public contract (ARCHITECTURE §6): the code input is name="otp"; the
// enrolment page holds the otpauth:// URI in a data-otpauth-uri attribute;
// the consent form's accept button is name="consent" value="accept".
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace passerelle {

// What every prompt form carries.
struct PromptForm {
  std::string transaction;  // the login transaction id (hidden)
  std::string csrf_token;   // hidden
  std::string client_name;
  std::string alert;        // shown with role=alert when not empty
};

struct MfaPageModel {
  PromptForm form;
  int remember_days = 0;  // offers "remember this browser" when > 0
};

struct MfaEnrolPageModel {
  PromptForm form;
  std::string otpauth_uri;
  std::string secret_base32;  // for typing into an app that cannot scan
  std::string qr_svg;         // trusted SVG markup
};

struct RecoveryCodesPageModel {
  PromptForm form;
  std::vector<std::string> codes;
};

struct ConsentPageModel {
  PromptForm form;
  std::string user_email;
  std::vector<std::string> scopes;
};

std::string mfa_page(const MfaPageModel& model);
std::string mfa_enrol_page(const MfaEnrolPageModel& model);
std::string recovery_codes_page(const RecoveryCodesPageModel& model);
std::string consent_page(const ConsentPageModel& model);

}  // namespace passerelle
