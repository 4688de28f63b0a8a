// A keep-alive connection carries many requests: the server does not close
// it after cpp-httplib's default of five, which made busy clients reconnect
// after every fifth request; requests sent back to back on it (pipelined)
// are each answered, in order; a client expecting "100 Continue" gets it
// before sending its body.

#include <sys/socket.h>

#include <optional>
#include <string>

#include <doctest/doctest.h>

#include "broker/support/loopback_connection.h"
#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

// One TCP connection to 127.0.0.1:port, read one HTTP/1.1 answer at a time.
class RawConnection {
 public:
  explicit RawConnection(int port) : connection_(port) {
    timeval timeout{5, 0};  // a missing answer fails the test instead of hanging it
    setsockopt(connection_.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  bool connected() const { return connection_.connected(); }

  bool send_all(const std::string& bytes) {
    return ::send(connection_.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  // The status line and headers of the next answer (its body read past), or
  // nothing when the connection ends first.
  std::optional<std::string> read_answer_head() {
    size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos)
      if (!receive()) return std::nullopt;
    std::string head = pending_.substr(0, end + 2);
    pending_.erase(0, end + 4);
    size_t body_length = 0;
    if (size_t at = head.find("Content-Length: "); at != std::string::npos)
      body_length = std::stoul(head.substr(at + 16));
    while (pending_.size() < body_length)
      if (!receive()) return std::nullopt;
    pending_.erase(0, body_length);
    return head;
  }

 private:
  bool receive() {
    char buffer[4096];
    ssize_t n = ::recv(connection_.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<size_t>(n));
    return true;
  }

  testing::LoopbackConnection connection_;
  std::string pending_;
};

TEST_CASE("http server: one keep-alive connection carries fifty requests without being closed") {
  testing::RunningBroker rb;
  RawConnection connection(rb.port);
  REQUIRE(connection.connected());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
  for (int i = 1; i <= 50; ++i) {
    CAPTURE(i);
    REQUIRE(connection.send_all(request));
    auto head = connection.read_answer_head();
    REQUIRE(head.has_value());
    CHECK(head->rfind("HTTP/1.1 200", 0) == 0);
    // cpp-httplib announces the close it is about to make on the answer.
    CHECK(head->find("Connection: close") == std::string::npos);
  }
}

TEST_CASE("http server: pipelined requests on one connection are each answered, in order") {
  testing::RunningBroker rb;
  RawConnection connection(rb.port);
  REQUIRE(connection.connected());
  // Both requests in one send: the server reads the second with the first.
  REQUIRE(connection.send_all("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                              "GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto first = connection.read_answer_head();
  REQUIRE(first.has_value());
  CHECK(first->rfind("HTTP/1.1 200", 0) == 0);
  auto second = connection.read_answer_head();
  REQUIRE(second.has_value());
  CHECK(second->rfind("HTTP/1.1 404", 0) == 0);
}

TEST_CASE("http server: a client expecting 100 Continue gets it, then the answer to its body") {
  testing::RunningBroker rb;
  RawConnection connection(rb.port);
  REQUIRE(connection.connected());
  const std::string body = "grant_type=client_credentials";
  REQUIRE(connection.send_all("POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Content-Type: application/x-www-form-urlencoded\r\n"
                              "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  auto interim = connection.read_answer_head();
  REQUIRE(interim.has_value());
  CHECK(interim->rfind("HTTP/1.1 100", 0) == 0);
  REQUIRE(connection.send_all(body));
  auto answer = connection.read_answer_head();
  REQUIRE(answer.has_value());
  CHECK(answer->rfind("HTTP/1.1 401", 0) == 0);  // no client credentials
}

}  // namespace
}  // namespace passerelle
