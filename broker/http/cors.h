// Cross-origin access for the endpoints a single-page app calls from the
// browser (token, userinfo, revocation): allowed for origins that a client
// registered in allowed_web_origins, never with credentials (cookies), since
// these endpoints authenticate with their own parameters and bearer tokens.
// Thread-safe.
#pragma once

#include <httplib.h>

#include "app/broker.h"

namespace passerelle {

// Adds Access-Control-Allow-Origin for a registered Origin (and Vary: Origin).
void add_cors_headers(Broker& b, const httplib::Request& req, httplib::Response& res);

// Answers a CORS preflight (OPTIONS) for a registered Origin: POST/GET with
// the Authorization and Content-Type headers.
void handle_cors_preflight(Broker& b, const httplib::Request& req, httplib::Response& res);

// Discovery and JWKS are public documents: any origin may read them.
void add_public_cors_headers(httplib::Response& res);

}  // namespace passerelle
