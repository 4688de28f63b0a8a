// The re-prompt decision of ARCHITECTURE §3: given the request and what the
// broker knows about the browser, the user, the client and the connection,
// may a code be issued silently, or what must the user do first (log in,
// give an OTP, enrol one, consent), or, for prompt=none, which error comes
// back? One pure function so every row of the decision table is a unit test;
// /authorize and the steps after each prompt decide with nothing else.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "oidc/authorization_request.h"
#include "session/broker_session.h"
#include "users/user.h"

namespace passerelle {

enum class RepromptOutcome {
  kIssueCode,            // the live session satisfies the request
  kLogin,                // show the login prompt (a new session follows, S3)
  kMfa,                  // step-up: the OTP only, not the password again (S8)
  kMfaEnroll,            // MFA is required but the user has no authenticator yet
  kConsent,              // show the consent page
  kUpstream,             // authenticate again at the session's upstream IdP
  kLoginRequired,        // prompt=none and the user would have to log in
  kInteractionRequired,  // prompt=none and the user would have to give an OTP (or enrol)
  kConsentRequired,      // prompt=none and the user would have to consent
};

// OpenID PAPE's multi-factor policy: as an acr_values entry it asks for MFA,
// and it is the `acr` of a session that did MFA.
inline constexpr const char* kAcrMultiFactor = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

struct ClientPolicy {
  bool require_mfa = false;
  bool first_party = true;  // third-party clients need the user's consent
};

// The connection the session authenticated with.
struct ConnectionPolicy {
  bool upstream = false;            // an upstream IdP, not the broker's own database
  bool require_mfa = false;
  bool trust_upstream_mfa = false;  // MFA done at the IdP counts here
};

struct RepromptInput {
  const AuthorizationRequest* request = nullptr;  // REQUIRES: not null
  const BrokerSession* session = nullptr;         // null when the browser has none
  const User* user = nullptr;                     // the session's user; null when gone
  ClientPolicy client;
  ConnectionPolicy connection;
  std::vector<std::string> upstream_amr;  // what the IdP reported for this session (RFC 8176 values)
  // The user's confirmed TOTP authenticator, and since when (0: none). An MFA
  // done before the current authenticator was confirmed (an MFA reset came
  // between) no longer counts.
  int64_t mfa_enrolled_at = 0;
  bool browser_remembered = false;  // a valid "remember this browser" cookie for this user
  bool consent_granted = false;     // a stored consent of the user covers this client and scope
  // What the user already did for this very request, so that prompt=login,
  // max_age and prompt=consent are not asked again once answered.
  bool logged_in_for_request = false;
  bool consented_for_request = false;
  int64_t now = 0;
};

RepromptOutcome decide_reprompt(const RepromptInput& input);

// True when acr_values lists the multi-factor policy.
bool acr_values_ask_mfa(const std::string& acr_values);

// True when an upstream amr list shows a second factor (RFC 8176 §2).
bool amr_shows_mfa(const std::vector<std::string>& amr);

// "issue_code", "login", "mfa", ..., "login_required", ...
const char* reprompt_outcome_name(RepromptOutcome outcome);

}  // namespace passerelle
