// The HTTP endpoints of the OpenID provider (paths in ARCHITECTURE §6).
// Each handler turns one request into one response using the Broker's
// services; none throws. Thread-safe: handlers keep no state of their own.
#pragma once

#include <httplib.h>

#include "app/broker.h"

namespace passerelle {

void handle_discovery(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_jwks(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_authorize(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_login_form(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_login_submit(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_mfa_form(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_mfa_submit(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_mfa_continue(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_mfa_enrol_form(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_mfa_enrol_submit(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_consent_form(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_consent_submit(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_token(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_userinfo(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_revoke(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_oidc_logout(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_v2_logout(Broker& b, const httplib::Request& req, httplib::Response& res);
void handle_connection_metadata(Broker& b, const httplib::Request& req, httplib::Response& res);

}  // namespace passerelle
