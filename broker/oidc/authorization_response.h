// Ending an authorization request: a code or an error sent back to the
// client's redirect URI in the response mode it asked for, with `iss`
// (RFC 9207) so a client can tell which server answered. Thread-safe.
#pragma once

#include <string>

#include <httplib.h>

#include "app/broker.h"
#include "http/responses.h"
#include "oidc/authorization_request.h"

namespace passerelle {

// Issues a code for the authenticated session behind `cookie` and answers
// the client; the client joins the session (for SSO and logout).
void respond_with_code(Broker& b, const AuthorizationRequest& request, const std::string& cookie,
                       const BrokerSession& session, httplib::Response& res);

// Sends `error` to the client's (already verified) redirect URI.
void respond_with_error(Broker& b, const AuthorizationRequest& request, const std::string& error,
                        const std::string& description, httplib::Response& res);

// An auto-submitting form posting `fields` to `action` (form_post_page)
// under a CSP that lets only its own script run.
void send_form_post(httplib::Response& res, const std::string& action,
                    const QueryParams& fields);

// Sets (or, with an empty value, clears) the broker session cookie.
void set_session_cookie(Broker& b, httplib::Response& res, const std::string& cookie);

}  // namespace passerelle
