#include "app/plain_http_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "app/connection_stream.h"

namespace passerelle {
namespace {

std::chrono::milliseconds as_duration(time_t seconds, time_t microseconds) {
  return std::chrono::seconds(seconds) + std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::microseconds(microseconds));
}

}  // namespace

bool PlainHttpServer::process_and_close_socket(socket_t sock) {
  ConnectionStream stream(sock, as_duration(read_timeout_sec_, read_timeout_usec_),
                          as_duration(write_timeout_sec_, write_timeout_usec_));
  const auto idle = as_duration(keep_alive_timeout_sec_, 0);
  bool served = false;
  for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    if (!stream.wait_for_request(idle)) break;
    bool connection_closed = false;
    served = process_request(stream, left == 1, connection_closed, nullptr);
    served = stream.flush() && served;
    if (!served || connection_closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return served;
}

}  // namespace passerelle
