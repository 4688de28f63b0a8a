// The Management API's handlers (/api/v2, Auth0-compatible shapes). Each is
// called after routes.cpp has checked the bearer token and the route's
// scope; path parameters are in req.matches. None throws.
#pragma once

#include <httplib.h>

#include "app/broker.h"

namespace passerelle::management {

using Handler = void (*)(Broker&, const httplib::Request&, httplib::Response&);

// clients_api.cpp
void list_clients(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_client(Broker& b, const httplib::Request& req, httplib::Response& res);
void create_client(Broker& b, const httplib::Request& req, httplib::Response& res);
void patch_client(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_client(Broker& b, const httplib::Request& req, httplib::Response& res);
void rotate_client_secret(Broker& b, const httplib::Request& req, httplib::Response& res);

// users_api.cpp
void list_users(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_user(Broker& b, const httplib::Request& req, httplib::Response& res);
void create_user(Broker& b, const httplib::Request& req, httplib::Response& res);
void patch_user(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_user(Broker& b, const httplib::Request& req, httplib::Response& res);

// connections_api.cpp
void list_connections(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_connection(Broker& b, const httplib::Request& req, httplib::Response& res);

// grants_api.cpp: what a user holds — broker sessions and refresh tokens.
void list_user_sessions(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_user_sessions(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_session(Broker& b, const httplib::Request& req, httplib::Response& res);
void list_user_refresh_tokens(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_refresh_token(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_refresh_token(Broker& b, const httplib::Request& req, httplib::Response& res);

// blocks_api.cpp: brute-force blocks and MFA resets.
void get_user_blocks(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_user_blocks(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_blocks_by_identifier(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_blocks_by_identifier(Broker& b, const httplib::Request& req, httplib::Response& res);
void delete_authenticators(Broker& b, const httplib::Request& req, httplib::Response& res);

// logs_api.cpp: the audit trail.
void list_logs(Broker& b, const httplib::Request& req, httplib::Response& res);
void get_log(Broker& b, const httplib::Request& req, httplib::Response& res);
void list_user_logs(Broker& b, const httplib::Request& req, httplib::Response& res);

}  // namespace passerelle::management
