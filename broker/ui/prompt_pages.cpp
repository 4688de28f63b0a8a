#include "ui/prompt_pages.h"

#include "ui/html.h"

namespace passerelle {
namespace {

std::string form_start(const std::string& action, const PromptForm& f, const char* id) {
  std::string b;
  if (!f.alert.empty()) b += "<p class=\"alert\" role=\"alert\">" + html_escape(f.alert) + "</p>\n";
  b += "<form id=\"" + std::string(id) + "\" method=\"post\" action=\"" + html_escape(action) + "\">\n";
  b += "<input type=\"hidden\" name=\"tx\" value=\"" + html_escape(f.transaction) + "\">\n";
  b += "<input type=\"hidden\" name=\"csrf_token\" value=\"" + html_escape(f.csrf_token) + "\">\n";
  return b;
}

// A six-digit code: the numeric keypad on phones, and the one-time-code
// autofill browsers offer from SMS or password managers.
std::string otp_input(const char* label, const char* hint) {
  std::string b = "<label for=\"otp\">" + std::string(label) + "</label>\n";
  b += "<p class=\"hint\" id=\"otp-hint\">" + std::string(hint) + "</p>\n";
  b += "<input id=\"otp\" name=\"otp\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
       "aria-describedby=\"otp-hint\" required autofocus maxlength=\"32\">\n";
  return b;
}

}  // namespace

std::string mfa_page(const MfaPageModel& m) {
  std::string b = "<h1>Verify it’s you</h1>\n<p class=\"lead\">to continue to " + html_escape(m.form.client_name) +
                  "</p>\n";
  b += form_start("/mfa", m.form, "mfa-form");
  b += otp_input("Authentication code",
                 "Enter the 6-digit code from your authenticator app, or one of your recovery codes.");
  if (m.remember_days > 0) {
    b += "<label class=\"check\"><input type=\"checkbox\" name=\"remember\" value=\"yes\"> Remember this browser for " +
         std::to_string(m.remember_days) + " days</label>\n";
  }
  b += "<button type=\"submit\">Verify</button>\n</form>\n";
  return render_page({"Verify it’s you", b, ""});
}

std::string mfa_enrol_page(const MfaEnrolPageModel& m) {
  std::string b = "<h1>Set up two-step verification</h1>\n<p class=\"lead\">" + html_escape(m.form.client_name) +
                  " asks for a code from an authenticator app each time you log in.</p>\n";
  b += "<ol class=\"steps\">\n<li>Scan this QR code with an authenticator app.</li>\n";
  b += "<li>Enter the 6-digit code the app shows.</li>\n</ol>\n";
  b += "<figure class=\"qr\">" + m.qr_svg + "</figure>\n";
  b += "<p>Can’t scan it? Enter this key in the app: <code>" + html_escape(m.secret_base32) +
       "</code>, or <a href=\"" + html_escape(m.otpauth_uri) + "\" data-otpauth-uri=\"" + html_escape(m.otpauth_uri) +
       "\">open it in an authenticator app</a> on this device.</p>\n";
  b += form_start("/mfa/enroll", m.form, "mfa-enrol-form");
  b += otp_input("Code from the app", "The code changes every 30 seconds.");
  b += "<button type=\"submit\">Turn on</button>\n</form>\n";
  return render_page({"Set up two-step verification", b, ""});
}

std::string recovery_codes_page(const RecoveryCodesPageModel& m) {
  std::string b = "<h1>Save your recovery codes</h1>\n";
  b += "<p class=\"lead\">If you lose your phone, each of these codes lets you in once. Keep them somewhere safe: "
       "they will not be shown again.</p>\n";
  b += "<ul class=\"codes\" data-recovery-codes>\n";
  for (const auto& code : m.codes) b += "<li><code>" + html_escape(code) + "</code></li>\n";
  b += "</ul>\n";
  b += form_start("/mfa/continue", m.form, "recovery-codes-form");
  b += "<button type=\"submit\">I have saved them, continue</button>\n</form>\n";
  return render_page({"Save your recovery codes", b, ""});
}

std::string consent_page(const ConsentPageModel& m) {
  std::string b = "<h1>Allow access?</h1>\n<p class=\"lead\">" + html_escape(m.form.client_name) +
                  " wants to access your account (" + html_escape(m.user_email) + "):</p>\n<ul class=\"scopes\">\n";
  for (const auto& scope : m.scopes) b += "<li><code>" + html_escape(scope) + "</code></li>\n";
  b += "</ul>\n";
  b += form_start("/consent", m.form, "consent-form");
  b += "<button type=\"submit\" name=\"consent\" value=\"accept\">Allow</button>\n";
  b += "<button type=\"submit\" name=\"consent\" value=\"deny\" class=\"secondary\">Deny</button>\n</form>\n";
  return render_page({"Allow access?", b, ""});
}

}  // namespace passerelle
