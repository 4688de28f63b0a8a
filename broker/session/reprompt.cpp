#include "session/reprompt.h"

namespace passerelle {
namespace {

bool session_satisfies(const AuthorizationRequest& request, const BrokerSession* session, const User* user,
                       int64_t now) {
  if (!session || !user || !session->authenticated || !session->live_at(now)) return false;
  if (session->user_id != user->id) return false;
  if (user->credentials_changed_at > session->auth_time) return false;  // S4
  if (request.has_prompt("login")) return false;                         // OIDC Core §3.1.2.1
  if (request.max_age >= 0 && now - session->auth_time > request.max_age) return false;
  return true;
}

}  // namespace

RepromptOutcome decide_reprompt(const AuthorizationRequest& request, const BrokerSession* session,
                                const User* user, int64_t now) {
  if (session_satisfies(request, session, user, now)) return RepromptOutcome::kIssueCode;
  if (request.has_prompt("none")) return RepromptOutcome::kLoginRequired;
  return RepromptOutcome::kLogin;
}

const char* reprompt_outcome_name(RepromptOutcome outcome) {
  switch (outcome) {
    case RepromptOutcome::kIssueCode: return "issue_code";
    case RepromptOutcome::kLogin: return "login";
    case RepromptOutcome::kLoginRequired: return "login_required";
  }
  return "unknown";
}

}  // namespace passerelle
