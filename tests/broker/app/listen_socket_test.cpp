// The listening socket: a burst of new connections is queued by the kernel
// until the server takes them, instead of having its SYNs dropped past
// cpp-httplib's backlog of 5 (each dropped client would wait a second for its
// retry); and a second broker cannot bind the port of a running one.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include <doctest/doctest.h>

#include "app/http_server.h"
#include "broker/support/broker_fixture.h"

namespace passerelle {
namespace {

// Starts a non-blocking connect to 127.0.0.1:port; returns the socket.
int start_connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  return fd;
}

TEST_CASE("http server: a burst of 64 connections completes its handshakes before any is accepted") {
  testing::BrokerFixture fixture;
  HttpServer server(*fixture.broker);
  auto port = server.bind("127.0.0.1", 0);  // listening, but run() never accepts
  REQUIRE(port.has_value());
  constexpr int kBurst = 64;
  std::vector<pollfd> sockets;
  for (int i = 0; i < kBurst; ++i) sockets.push_back({start_connect(*port), POLLOUT, 0});
  // On loopback a queued handshake completes at once; a dropped SYN is only
  // retried after a second, so this bound separates the two cases widely.
  int ready = 0;
  for (int waited_ms = 0; waited_ms < 500 && ready < kBurst; waited_ms += 10) {
    poll(sockets.data(), sockets.size(), 10);
    ready = 0;
    for (const pollfd& s : sockets) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if ((s.revents & POLLOUT) && error == 0) ++ready;
    }
  }
  CHECK(ready == kBurst);
  for (const pollfd& s : sockets) close(s.fd);
}

TEST_CASE("http server: a second server cannot bind the port of the first") {
  testing::BrokerFixture fixture;
  HttpServer first(*fixture.broker);
  auto port = first.bind("127.0.0.1", 0);
  REQUIRE(port.has_value());
  HttpServer second(*fixture.broker);
  auto again = second.bind("127.0.0.1", *port);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace passerelle
