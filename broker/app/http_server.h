// The broker's HTTP server: routes every endpoint of ARCHITECTURE §6 to its
// handler on cpp-httplib, adds the security headers, and turns a stray
// exception into a 500 without details. Serves HTTPS when the config has
// "tls" (see tls_context.h), plain HTTP otherwise. Thread-safe per cpp-httplib: one
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

  // Binds host:port (port 0: any free port); returns the bound port. Fails
  // also when the TLS context could not be set up (the reason says why).
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(); returns false if the server failed. After stop(),
  // requests already being handled are answered before run() returns; a
  // keep-alive connection takes no further request.
  bool run();
  void stop();

 private:
  void add_routes();

  Broker& broker_;
  std::string tls_problem_;  // why the TLS context failed, if it did
  std::unique_ptr<httplib::Server> server_;
  int listen_socket_ = -1;  // recorded when the server creates it
};

}  // namespace passerelle
