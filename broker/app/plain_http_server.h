// cpp-httplib's plain-HTTP server with its per-connection loop replaced, so
// that a connection is served through one ConnectionStream (see
// connection_stream.h) instead of the library's per-request stream: about
// half the system calls per request, one write per answer, and pipelined
// requests served. Parsing, routing and answering stay the library's
// (Server::process_request). What the loop keeps from the library: at most
// keep_alive_max_count requests per connection, the last one answered with
// "Connection: close"; an idle connection closed after the keep-alive
// timeout; no wait for a further request once the server is stopping (a
// request that comes during a wait begun before is still answered).
#pragma once

#include <httplib.h>

namespace passerelle {

class PlainHttpServer final : public httplib::Server {
 private:
  // The library's listener calls this (a virtual) on a worker for each
  // accepted connection; it closes the socket before returning.
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace passerelle
