// GET /mfa and POST /mfa: the one-time code asked of a user whose password
// is already in (S8: the OTP only, never the password again), and
// POST /mfa/continue, which leaves the recovery-codes page. Codes are
// checked by MfaStore (±1 step, once each, throttled); none is ever logged.
#include "core/event_log.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "mfa/remember_browser.h"
#include "oidc/authorization_flow.h"
#include "oidc/endpoints.h"
#include "oidc/login_audit.h"
#include "oidc/mfa_prompt.h"
#include "session/reprompt.h"
#include "ui/prompt_pages.h"

namespace passerelle {
namespace {

void render(Broker& b, const AuthorizationStep& step, int status, const std::string& alert, httplib::Response& res) {
  MfaPageModel model;
  model.form = {step.tx_id, step.tx.csrf_token, client_display_name(b, step.tx.request.client_id), alert};
  model.remember_days = int(kRememberBrowserLifetime / 86400);
  send_html(res, status, mfa_page(model));
}

void set_remember_cookie(Broker& b, const SignedIn& who, httplib::Response& res) {
  auto enrolment = b.mfa().find(who.user.id);
  if (!enrolment || !*enrolment) return;  // nothing to remember; the login goes on regardless
  int64_t expires_at = b.clock().now() + kRememberBrowserLifetime;
  CookieOptions options;
  options.secure = b.secure_cookies();
  if (options.secure) options.same_site = "None";  // as the session cookie: read inside silent-auth iframes
  options.max_age = kRememberBrowserLifetime;
  res.set_header("Set-Cookie", set_cookie_value(kRememberBrowserCookie,
                                                remember_browser_value(b.secret_box(), who.user.id,
                                                                       (*enrolment)->id, expires_at),
                                                options));
}

MfaOutcome challenge_outcome(const MfaAttempt& attempt) {
  switch (attempt.verdict) {
    case MfaAttempt::Verdict::kAccepted: return MfaOutcome::kSuccess;
    case MfaAttempt::Verdict::kWrongCode: return MfaOutcome::kWrongCode;
    case MfaAttempt::Verdict::kBlocked: break;
  }
  return MfaOutcome::kBlocked;
}

}  // namespace

std::optional<CodeRefusal> refusal_of(const MfaAttempt& attempt, const std::string& user_id,
                                      const std::string& wrong_code_alert, httplib::Response& res) {
  switch (attempt.verdict) {
    case MfaAttempt::Verdict::kAccepted:
      return std::nullopt;
    case MfaAttempt::Verdict::kWrongCode:
      return CodeRefusal{401, wrong_code_alert};
    case MfaAttempt::Verdict::kBlocked:
      break;
  }
  log_event("mfa_blocked", {{"user_id", user_id}, {"retry_after", attempt.retry_after}}, LogLevel::kWarning);
  res.set_header("Retry-After", std::to_string(attempt.retry_after));
  int64_t minutes = (attempt.retry_after + 59) / 60;
  return CodeRefusal{429, "Too many wrong codes. For your security, codes are refused for the next " +
                              std::to_string(minutes) + (minutes == 1 ? " minute." : " minutes.")};
}

bool record_second_factor(Broker& b, const AuthorizationStep& step, const std::string& method,
                          httplib::Response& res) {
  // RFC 8176 §2: "otp" for a TOTP code; a recovery code is no registered
  // method, so it adds only "mfa".
  std::vector<std::string> amr = method == "otp" ? std::vector<std::string>{"otp", "mfa"} : std::vector<std::string>{"mfa"};
  if (auto st = b.sessions().record_mfa(step.cookie, method, amr, kAcrMultiFactor); !st) {
    if (st.error().is(ErrorCode::kNotFound)) {
      send_error_page(res, 400, "invalid_request", "your session has ended; go back to the application and log in again");
    } else {
      send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    }
    return false;
  }
  return true;
}

void handle_mfa_form(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !load_signed_in(b, *step, res)) return;
  render(b, *step, 200, "", res);
}

void handle_mfa_submit(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !check_csrf(req, *step, res)) return;
  auto who = load_signed_in(b, *step, res);
  if (!who) return;
  auto attempt = b.mfa().verify(who->user.id, param(req, "otp"));
  if (!attempt) {
    if (attempt.error().is(ErrorCode::kNotFound)) return continue_authorization(b, req, std::move(*step), res);
    return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  b.metrics().count_mfa(challenge_outcome(*attempt));
  if (auto refused = refusal_of(*attempt, who->user.id, "That code is not right. Enter the code your app shows now.",
                                res)) {
    b.audit().record(req, mfa_event(*who, *step, *attempt));
    return render(b, *step, refused->status, refused->alert, res);
  }
  if (!record_second_factor(b, *step, attempt->method, res)) return;
  b.audit().record(req, mfa_event(*who, *step, *attempt));
  if (param(req, "remember") == "yes") set_remember_cookie(b, *who, res);
  continue_authorization(b, req, std::move(*step), res);
}

void handle_mfa_continue(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !check_csrf(req, *step, res)) return;
  continue_authorization(b, req, std::move(*step), res);
}

}  // namespace passerelle
