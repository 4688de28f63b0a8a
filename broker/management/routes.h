// Registers the Management API (/api/v2) on the broker's HTTP server: each
// route names the scope its token must grant (Auth0's scope names).
#pragma once

#include <string>

#include <httplib.h>

#include "app/broker.h"

namespace passerelle::management {

void add_routes(httplib::Server& server, Broker& b);

// Every scope some route asks for, space-separated (the dashboard's grant).
std::string all_scopes();

}  // namespace passerelle::management
