// Registers the dashboard (/dashboard/...) on the broker's HTTP server.
#pragma once

#include <httplib.h>

#include "app/broker.h"

namespace passerelle::dashboard {

void add_routes(httplib::Server& server, Broker& b);

}  // namespace passerelle::dashboard
