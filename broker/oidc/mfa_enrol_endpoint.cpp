// GET /mfa/enroll and POST /mfa/enroll: TOTP enrolment for a user whose
// password is in and whom MFA is asked of for the first time. The page shows
// the otpauth:// URI and its QR code; the first right code confirms the
// enrolment, and the recovery codes are shown that once.
#include "core/encoding.h"
#include "http/responses.h"
#include "mfa/qr_svg.h"
#include "mfa/totp.h"
#include "oidc/authorization_flow.h"
#include "oidc/endpoints.h"
#include "oidc/mfa_prompt.h"
#include "ui/prompt_pages.h"

namespace passerelle {
namespace {

constexpr const char* kOtpIssuer = "Passerelle";  // the account's label in the authenticator app

// The enrolment page for the pending key; an already enrolled user is sent
// to the code prompt instead.
void render(Broker& b, const AuthorizationStep& step, const SignedIn& who, int status, const std::string& alert,
            httplib::Response& res) {
  auto key = b.mfa().pending_key(who.user.id);
  if (!key && key.error().is(ErrorCode::kAlreadyExists)) {
    return send_redirect(res, with_query(b.url("/mfa"), {{"tx", step.tx_id}}));
  }
  if (!key) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  MfaEnrolPageModel model;
  model.form = {step.tx_id, step.tx.csrf_token, client_display_name(b, step.tx.request.client_id), alert};
  model.otpauth_uri = otpauth_uri(kOtpIssuer, who.user.email, *key);
  model.secret_base32 = base32_encode(*key);
  auto svg = qr_svg(model.otpauth_uri, "QR code of the authenticator app set-up link");
  if (!svg) return send_error_page(res, 500, "server_error", "the QR code could not be drawn");
  model.qr_svg = std::move(*svg);
  send_html(res, status, mfa_enrol_page(model));
}

}  // namespace

void handle_mfa_enrol_form(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step) return;
  auto who = load_signed_in(b, *step, res);
  if (!who) return;
  render(b, *step, *who, 200, "", res);
}

void handle_mfa_enrol_submit(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !check_csrf(req, *step, res)) return;
  auto who = load_signed_in(b, *step, res);
  if (!who) return;
  auto attempt = b.mfa().confirm(who->user.id, param(req, "otp"));
  if (!attempt) {
    // Nothing pending: enrolled meanwhile (another tab); decide again.
    if (attempt.error().is(ErrorCode::kNotFound)) return continue_authorization(b, req, std::move(*step), res);
    return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  if (auto refused = refusal_of(*attempt, who->user.id,
                                "That code is not right. Check the app and enter the code it shows now.", res)) {
    return render(b, *step, *who, refused->status, refused->alert, res);
  }
  if (!record_second_factor(b, *step, attempt->method, res)) return;
  RecoveryCodesPageModel model;
  model.form = {step->tx_id, step->tx.csrf_token, client_display_name(b, step->tx.request.client_id), ""};
  model.codes = std::move(attempt->recovery_codes);
  send_html(res, 200, recovery_codes_page(model));
}

}  // namespace passerelle
