// Registers the Management API (/api/v2) on the broker's HTTP server: each
// route names the scope its token must grant (Auth0's scope names).
#pragma once

#include <httplib.h>

#include "app/broker.h"

namespace passerelle::management {

void add_routes(httplib::Server& server, Broker& b);

}  // namespace passerelle::management
