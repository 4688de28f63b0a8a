// Logins through an upstream IdP (S9): the login page's "Continue with ..."
// buttons post to /login/upstream, which sends the browser to the
// connector's IdP with a fresh random `state`; the IdP sends it back to
// /login/callback, where the state finds the login (once), the browser must
// be the one that started it, the connector turns the callback into an
// identity, and the identity into a user, an upstream session record and a
// new broker session. Thread-safe: no state of its own.
#pragma once

#include <httplib.h>

#include "app/broker.h"
#include "oidc/authorization_flow.h"

namespace passerelle {

// Sends the browser to `connection`'s IdP for `step`. `renew` asks the IdP
// to authenticate the user again even when it has a session; prompt=login
// and max_age in the request ask for that too.
void begin_upstream_login(Broker& b, AuthorizationStep& step, const OpenConnection& connection, bool renew,
                          httplib::Response& res);

// POST /login/upstream (tx, csrf_token, connection).
void handle_upstream_login(Broker& b, const httplib::Request& req, httplib::Response& res);
// GET|POST /login/callback.
void handle_login_callback(Broker& b, const httplib::Request& req, httplib::Response& res);

// The identity an upstream session record stands for, as the connector
// returned it (connector_data unsealed), for its refresh and logout calls.
Identity upstream_identity(Broker& b, const UpstreamSession& upstream);

// The label of a connection's login button, "Continue with <label>".
std::string connection_label(const ConnectionConfig& connection);

}  // namespace passerelle
