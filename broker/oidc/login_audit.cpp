#include "oidc/login_audit.h"

namespace passerelle {

AuditEvent login_attempt_event(const char* type, const std::string& email, const AuthorizationStep& step,
                               const ConnectionConfig& connection, const char* description) {
  return {.type = type,
          .user_name = email,
          .client_id = step.tx.request.client_id,
          .connection = connection.name,
          .description = description};
}

AuditEvent password_refused_event(Broker& b, const std::string& email, const AuthorizationStep& step,
                                  const ConnectionConfig& connection) {
  AuditEvent e =
      login_attempt_event(audit::kWrongUsername, email, step, connection, "Wrong email or username");
  auto user = b.users().find_by_email(email);
  if (user && *user) {
    e.type = audit::kWrongPassword;
    e.user_id = (*user)->id;
    e.user_name = (*user)->email;
    e.description = "Wrong password";
  }
  return e;
}

AuditEvent login_event(const User& user, const AuthorizationStep& step, const ConnectionConfig& connection,
                       const BrokerSession& session) {
  return {.type = audit::kLoginSuccess,
          .user_id = user.id,
          .user_name = user.email,
          .client_id = step.tx.request.client_id,
          .connection = connection.name,
          .description = "Successful login",
          .details = {{"session_id", session.sid}, {"amr", session.amr}}};
}

AuditEvent upstream_failed_event(const AuthorizationStep& step, const ConnectionConfig& connection,
                                 const Error& error) {
  return {.type = audit::kConnectorFailed,
          .client_id = step.tx.request.client_id,
          .connection = connection.name,
          .description = error.message,
          .details = {{"error", error_code_name(error.code)}}};
}

AuditEvent mfa_event(const SignedIn& who, const AuthorizationStep& step, const MfaAttempt& attempt) {
  AuditEvent e{.user_id = who.user.id,
               .user_name = who.user.email,
               .client_id = step.tx.request.client_id,
               .connection = who.session.connection,
               .details = {{"session_id", who.session.sid}}};
  switch (attempt.verdict) {
    case MfaAttempt::Verdict::kAccepted:
      e.type = attempt.method == "otp" ? audit::kMfaSucceeded : audit::kRecoveryCodeUsed;
      e.description = attempt.method == "otp" ? "One-time code accepted" : "Recovery code accepted";
      break;
    case MfaAttempt::Verdict::kWrongCode:
      e.type = audit::kMfaFailed;
      e.description = "Wrong one-time code";
      break;
    case MfaAttempt::Verdict::kBlocked:
      e.type = audit::kMfaRateLimited;
      e.description = "Too many wrong codes: codes are refused for a while";
      e.details["retry_after"] = attempt.retry_after;
      break;
  }
  return e;
}

std::optional<AuditEvent> logout_event(Broker& b, const std::string& cookie, const std::string& client_id) {
  if (cookie.empty()) return std::nullopt;
  auto session = b.sessions().find(cookie);
  if (!session || !*session || (*session)->user_id.empty()) return std::nullopt;
  const BrokerSession& s = **session;
  AuditEvent e{.type = audit::kLogout,
               .user_id = s.user_id,
               .client_id = client_id,
               .connection = s.connection,
               .description = "Successful logout",
               .details = {{"session_id", s.sid}}};
  if (auto user = b.users().find_by_id(s.user_id); user && *user) e.user_name = (*user)->email;
  return e;
}

}  // namespace passerelle
