// Client authentication at the token and revocation endpoints (RFC 6749
// §2.3, OIDC Core §9): client_secret_basic, client_secret_post, or none for
// public clients, and only the method the client registered. Thread-safe.
#pragma once

#include <string>

#include <httplib.h>
#include <tl/expected.hpp>

#include "app/broker.h"

namespace passerelle {

struct ClientAuthError {
  int status;            // 400 or 401
  std::string error;     // invalid_client | invalid_request
  std::string description;
  bool used_basic;       // answer with WWW-Authenticate: Basic (RFC 6749 §5.2)
};

tl::expected<Client, ClientAuthError> authenticate_client(Broker& b, const httplib::Request& req);

// Sends the error as RFC 6749 §5.2 says.
void send_client_auth_error(httplib::Response& res, const ClientAuthError& e);

}  // namespace passerelle
