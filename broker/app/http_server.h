// The broker's HTTP server: routes every endpoint of ARCHITECTURE §6 to its
// handler on cpp-httplib, adds the security headers, and turns a stray
// exception into a 500 without details. Thread-safe per cpp-httplib: one
// thread binds and runs, any thread may call stop().
#pragma once

#include <memory>
#include <string>

#include <httplib.h>

#include "app/broker.h"

namespace passerelle {

class HttpServer {
 public:
  explicit HttpServer(Broker& broker);

  // Binds host:port (port 0: any free port); returns the bound port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(); returns false if the server failed.
  bool run();
  void stop();

 private:
  void add_routes();

  Broker& broker_;
  httplib::Server server_;
};

}  // namespace passerelle
