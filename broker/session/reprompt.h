// The re-prompt decision of ARCHITECTURE §3: given the request and what the
// broker session knows, may a code be issued silently, or must the user log
// in (or, for prompt=none, which error comes back)? One pure function so
// every row of the decision table is a unit test. Thread-safe.
#pragma once

#include <cstdint>

#include "oidc/authorization_request.h"
#include "session/broker_session.h"
#include "users/user.h"

namespace passerelle {

enum class RepromptOutcome {
  kIssueCode,      // the live session satisfies the request
  kLogin,          // show the login prompt (a new session follows, S3)
  kLoginRequired,  // prompt=none and the user would have to log in
};

// `session` and `user` are null when absent. A session counts only if it is
// authenticated, live at `now`, its user still exists, and the user's
// credentials have not changed since it authenticated (S4).
RepromptOutcome decide_reprompt(const AuthorizationRequest& request, const BrokerSession* session,
                                const User* user, int64_t now);

const char* reprompt_outcome_name(RepromptOutcome outcome);

}  // namespace passerelle
