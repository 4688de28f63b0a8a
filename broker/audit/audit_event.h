// One entry of the audit trail: a security event in the shape of Auth0's
// tenant logs (log_id, date, type, description, client_id, client_name, ip,
// user_agent, user_id, user_name, connection, details), so tools written for
// Auth0's /api/v2/logs read ours. Plain value type; thread-compatible.
//
// Never put a password, token, code, secret or cookie in an event, not even
// in `details`: the trail is readable by anyone holding read:logs.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace passerelle {

// Event type codes. Auth0's own codes wherever Auth0 has one for the event
// (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes):
//   s      successful login            f      failed login (other causes)
//   fp     wrong password              fu     unknown e-mail or username
//   fc     failed by connector         slo    successful logout
//   gd_auth_succeed / gd_auth_failed   one-time code accepted / refused
//   gd_recovery_succeed                a recovery code was accepted
//   gd_otp_rate_limit_exceed           too many wrong codes: codes refused for a while
//   ferrt  refresh-token reuse: the rotated token came back, its family is revoked
//   scp / sce / scpn                   password / e-mail / phone number changed
//   limit_wc                           account blocked for an IP (brute force)
//   sapi   Management API operation (here: client created, updated, deleted,
//          secret rotated; `details.changed` lists the fields, never values)
// Two codes Auth0 has no equivalent for, defined here:
//   user_blocked     an administrator blocked the user (`blocked: true`)
//   session_revoked  a broker session was ended by an administrator
namespace audit {
inline constexpr const char* kLoginSuccess = "s";
inline constexpr const char* kLoginFailed = "f";
inline constexpr const char* kWrongPassword = "fp";
inline constexpr const char* kWrongUsername = "fu";
inline constexpr const char* kConnectorFailed = "fc";
inline constexpr const char* kLogout = "slo";
inline constexpr const char* kMfaSucceeded = "gd_auth_succeed";
inline constexpr const char* kMfaFailed = "gd_auth_failed";
inline constexpr const char* kRecoveryCodeUsed = "gd_recovery_succeed";
inline constexpr const char* kMfaRateLimited = "gd_otp_rate_limit_exceed";
inline constexpr const char* kRefreshTokenReuse = "ferrt";
inline constexpr const char* kPasswordChanged = "scp";
inline constexpr const char* kEmailChanged = "sce";
inline constexpr const char* kPhoneChanged = "scpn";
inline constexpr const char* kAccountBlocked = "limit_wc";
inline constexpr const char* kApiOperation = "sapi";
inline constexpr const char* kUserBlocked = "user_blocked";
inline constexpr const char* kSessionRevoked = "session_revoked";
}  // namespace audit

// Fields in declaration order so call sites can use designated initializers:
//   b.audit().record(req, {.type = audit::kLoginSuccess, .user_id = id});
// Every member has a default initializer, so leaving some out is intended.
struct AuditEvent {
  std::string type{};
  std::string user_id{};
  std::string user_name{};  // the e-mail, or what was typed at a failed login
  std::string client_id{};
  std::string connection{};
  std::string description{};
  nlohmann::json details = nlohmann::json::object();  // identifiers only
  // Filled by AuditLog when it records the event.
  std::string log_id{};  // sorts by time: see audit_log.h
  int64_t date = 0;    // seconds since the epoch
  std::string ip{};
  std::string user_agent{};
  std::string client_name{};
};

void to_json(nlohmann::json& j, const AuditEvent& e);
void from_json(const nlohmann::json& j, AuditEvent& e);

// The event as /api/v2/logs returns it: Auth0's field names, an RFC 3339
// date, and empty fields left out.
nlohmann::json api_json(const AuditEvent& e);

}  // namespace passerelle
