// Who may use the dashboard: a user with the role "admin", logged in
// through the broker itself. The dashboard is a built-in public client that
// runs the authorization code flow with PKCE against /authorize like any
// application, so every login rule (MFA, blocking, lifetimes) applies.
// Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "app/broker.h"

namespace passerelle::dashboard {

inline constexpr const char* kClientId = "passerelle-dashboard";
inline constexpr const char* kAdminRole = "admin";

// The built-in client's settings; Broker::open stores it with the others.
ClientConfig client_settings(const std::string& issuer);

// The administrator behind this request. Otherwise answers for the caller
// and returns nullopt: a redirect to log in, or 403 for a user who is not
// an administrator.
std::optional<User> require_admin(Broker& b, const httplib::Request& req, httplib::Response& res);

// GET /dashboard/callback: redeems the code (state and PKCE checked) and
// goes to the dashboard.
void handle_callback(Broker& b, const httplib::Request& req, httplib::Response& res);

}  // namespace passerelle::dashboard
