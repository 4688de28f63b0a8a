#include "session/reprompt.h"

#include <algorithm>

#include "core/encoding.h"

namespace passerelle {
namespace {

bool contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The session counts at all: authenticated, live, not revoked, its user
// still there, and no credential change since it authenticated (S4).
bool session_usable(const RepromptInput& in) {
  const BrokerSession* s = in.session;
  if (!s || !in.user || !s->authenticated || !s->live_at(in.now) || s->revoked_at != 0) return false;
  if (s->user_id != in.user->id) return false;
  return in.user->credentials_changed_at <= s->auth_time;
}

// OIDC Core §3.1.2.1: prompt=login and an exceeded max_age ask for a new
// interactive authentication; choosing an account is done at the login page.
bool fresh_login_needed(const RepromptInput& in) {
  const AuthorizationRequest& r = *in.request;
  if (in.logged_in_for_request) return false;
  if (r.has_prompt("login") || r.has_prompt("select_account")) return true;
  // Times are whole seconds, so a login in this very second has "elapsed"
  // 0 s: max_age=0 (re-authenticate now) must not read that as fresh enough.
  if (r.max_age == 0) return true;
  return r.max_age > 0 && in.now - in.session->auth_time > r.max_age;
}

bool mfa_required(const RepromptInput& in) {
  return in.client.require_mfa || in.connection.require_mfa || acr_values_ask_mfa(in.request->acr_values);
}

bool mfa_satisfied(const RepromptInput& in) {
  // An MFA done with the current authenticator, in this session or (remembered) in this browser.
  bool enrolled = in.mfa_enrolled_at > 0;
  if (enrolled && in.session->mfa_time > 0 && in.session->mfa_time >= in.mfa_enrolled_at) return true;
  if (enrolled && in.browser_remembered) return true;
  return in.connection.trust_upstream_mfa && amr_shows_mfa(in.upstream_amr);
}

bool consent_needed(const RepromptInput& in) {
  if (in.consented_for_request) return false;
  if (in.request->has_prompt("consent")) return true;  // OIDC Core §3.1.2.1: ask even if granted before
  return !in.client.first_party && !in.consent_granted;
}

}  // namespace

bool acr_values_ask_mfa(const std::string& acr_values) {
  const auto values = split_words(acr_values);
  return std::find(values.begin(), values.end(), kAcrMultiFactor) != values.end();
}

bool amr_shows_mfa(const std::vector<std::string>& amr) {
  // RFC 8176 §2: an explicit multi-factor value, or a possession factor that
  // comes on top of what the IdP's login asked for.
  for (const char* v : {"mfa", "mca", "otp", "hwk", "swk", "sc", "sms", "tel"}) {
    if (contains(amr, v)) return true;
  }
  return false;
}

RepromptOutcome decide_reprompt(const RepromptInput& in) {
  bool silent = in.request->has_prompt("none");
  if (!session_usable(in)) return silent ? RepromptOutcome::kLoginRequired : RepromptOutcome::kLogin;
  if (fresh_login_needed(in)) {
    if (silent) return RepromptOutcome::kLoginRequired;
    // A federated session is renewed where it was made (prompt=login and
    // max_age are forwarded upstream, ARCHITECTURE §2).
    return in.connection.upstream ? RepromptOutcome::kUpstream : RepromptOutcome::kLogin;
  }
  if (mfa_required(in) && !mfa_satisfied(in)) {
    if (silent) return RepromptOutcome::kInteractionRequired;
    return in.mfa_enrolled_at > 0 ? RepromptOutcome::kMfa : RepromptOutcome::kMfaEnroll;
  }
  if (consent_needed(in)) return silent ? RepromptOutcome::kConsentRequired : RepromptOutcome::kConsent;
  return RepromptOutcome::kIssueCode;
}

const char* reprompt_outcome_name(RepromptOutcome outcome) {
  switch (outcome) {
    case RepromptOutcome::kIssueCode: return "issue_code";
    case RepromptOutcome::kLogin: return "login";
    case RepromptOutcome::kMfa: return "mfa";
    case RepromptOutcome::kMfaEnroll: return "mfa_enroll";
    case RepromptOutcome::kConsent: return "consent";
    case RepromptOutcome::kUpstream: return "upstream";
    case RepromptOutcome::kLoginRequired: return "login_required";
    case RepromptOutcome::kInteractionRequired: return "interaction_required";
    case RepromptOutcome::kConsentRequired: return "consent_required";
  }
  return "unknown";
}

}  // namespace passerelle
