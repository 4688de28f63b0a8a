// The audit events of the login prompts (password, upstream, MFA, logout),
// built here so each endpoint records one with a single call. Only
// identifiers go in: never the password, code, token or cookie.
// Thread-safe (reads through the Broker's thread-safe services).
#pragma once

#include <optional>
#include <string>

#include "app/broker.h"
#include "audit/audit_event.h"
#include "mfa/mfa_store.h"
#include "oidc/authorization_flow.h"

namespace passerelle {

inline constexpr const char* kBlockedForIp = "Too many failed logins: the account is blocked for this IP";

// A password login attempt for `email` (as typed) of `type`.
AuditEvent login_attempt_event(const char* type, const std::string& email, const AuthorizationStep& step,
                               const ConnectionConfig& connection, const char* description);

// A refused password: "fp" when the e-mail belongs to a user (named in the
// event), "fu" when no user has it.
AuditEvent password_refused_event(Broker& b, const std::string& email, const AuthorizationStep& step,
                                  const ConnectionConfig& connection);

// A successful login of `user` through `connection` into `session`.
AuditEvent login_event(const User& user, const AuthorizationStep& step, const ConnectionConfig& connection,
                       const BrokerSession& session);

// "fc": the connector failed or the IdP refused; the reason has no secret
// (connector errors are written to the event log too).
AuditEvent upstream_failed_event(const AuthorizationStep& step, const ConnectionConfig& connection,
                                 const Error& error);

// A one-time or recovery code accepted, refused, or refused for a while.
AuditEvent mfa_event(const SignedIn& who, const AuthorizationStep& step, const MfaAttempt& attempt);

// "slo" for the authenticated session behind `cookie`; nullopt when there
// is none (nobody to log out) or it cannot be read.
std::optional<AuditEvent> logout_event(Broker& b, const std::string& cookie, const std::string& client_id);

}  // namespace passerelle
