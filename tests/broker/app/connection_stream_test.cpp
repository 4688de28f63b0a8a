// The server's per-connection stream: one send per answer, bytes past a
// request kept for the next, an interim answer sent before the body is read,
// timeouts and the peer's address as cpp-httplib gives them.

#include "app/connection_stream.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <doctest/doctest.h>

#include "broker/support/loopback_connection.h"

namespace passerelle {
namespace {

using namespace std::chrono_literals;

// Two connected sockets that keep message boundaries: each send on one end
// is one recv on the other, so a test sees how many sends a stream made.
struct SocketPair {
  int server = -1, client = -1;
  SocketPair() {
    int ends[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ends) == 0);
    server = ends[0];
    client = ends[1];
  }
  ~SocketPair() {
    close(server);
    if (client >= 0) close(client);
  }
  void close_client() {
    close(client);
    client = -1;
  }
  // The next message the client end received, or "" when none is waiting.
  std::string next_message(int flags = MSG_DONTWAIT) const {
    char buffer[4096];
    ssize_t n = recv(client, buffer, sizeof buffer, flags);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
  }
  void send_from_client(const std::string& bytes) const {
    REQUIRE(send(client, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
  }
};

std::string read_some(ConnectionStream& stream, size_t size) {
  std::string out(size, '\0');
  ssize_t n = stream.read(out.data(), size);
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

TEST_CASE("connection stream: what one request writes leaves in one send, at flush") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 1000ms, 1000ms);
  CHECK(stream.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", 38) == 38);
  CHECK(stream.write("ok", 2) == 2);
  CHECK(pair.next_message().empty());  // nothing sent before the flush
  REQUIRE(stream.flush());
  CHECK(pair.next_message() == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  CHECK(pair.next_message().empty());
  CHECK(stream.flush());  // nothing more to send
  CHECK(pair.next_message().empty());
}

TEST_CASE("connection stream: a large answer starts leaving before the flush") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 1000ms, 1000ms);
  const std::string page(70 * 1024, 'p');  // past the stream's 64 KiB buffer
  REQUIRE(stream.write(page.data(), page.size()) == static_cast<ssize_t>(page.size()));
  std::string received(page.size() + 1, '\0');
  ssize_t n = recv(pair.client, received.data(), received.size(), MSG_DONTWAIT);
  CHECK(n == static_cast<ssize_t>(page.size()));  // sent by the write itself
  CHECK(stream.flush());
  CHECK(pair.next_message().empty());  // nothing was held back
}

TEST_CASE("connection stream: bytes read past one request wait for the next") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 1000ms, 1000ms);
  pair.send_from_client("first|second");
  CHECK(read_some(stream, 6) == "first|");
  // The rest is already here: no wait, however short the idle time.
  CHECK(stream.wait_for_request(0ms));
  CHECK(stream.is_readable());
  CHECK(read_some(stream, 100) == "second");
  CHECK_FALSE(stream.wait_for_request(0ms));
}

TEST_CASE("connection stream: an interim answer reaches the client before the body is read") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 2000ms, 1000ms);
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  // The client sends its body only once it has the interim answer, as a
  // client sending "Expect: 100-continue" does.
  std::thread client([&pair, &interim] {
    if (pair.next_message(0) == interim) pair.send_from_client("body");
  });
  REQUIRE(stream.write(interim.data(), interim.size()) == static_cast<ssize_t>(interim.size()));
  CHECK(read_some(stream, 100) == "body");
  client.join();
}

TEST_CASE("connection stream: the wait for a request is its first read") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 50ms, 50ms);
  pair.send_from_client("GET / HTTP/1.1\r\n");
  REQUIRE(stream.wait_for_request(1000ms));
  // The bytes left the socket in the wait, not in a read after it.
  char peek;
  CHECK(recv(pair.server, &peek, 1, MSG_PEEK | MSG_DONTWAIT) == -1);
  CHECK(read_some(stream, 100) == "GET / HTTP/1.1\r\n");
}

TEST_CASE("connection stream: a socket handed over non-blocking still waits for its request") {
  SocketPair pair;
  REQUIRE(fcntl(pair.server, F_SETFL, fcntl(pair.server, F_GETFL) | O_NONBLOCK) == 0);
  ConnectionStream stream(pair.server, 50ms, 50ms);
  std::thread client([&pair] {
    std::this_thread::sleep_for(20ms);
    pair.send_from_client("GET");
  });
  CHECK(stream.wait_for_request(5000ms));
  client.join();
  CHECK(read_some(stream, 100) == "GET");
}

TEST_CASE("connection stream: silence, then a closed peer") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 50ms, 50ms);
  CHECK_FALSE(stream.wait_for_request(20ms));
  CHECK_FALSE(stream.is_readable());
  char byte;
  CHECK(stream.read(&byte, 1) == -1);  // the read timeout passed
  pair.close_client();
  CHECK_FALSE(stream.wait_for_request(20ms));  // no request will come
  CHECK(stream.read(&byte, 1) == 0);          // the end of the stream
}

TEST_CASE("connection stream: a peer that takes nothing stops the sending after the write timeout") {
  SocketPair pair;
  ConnectionStream stream(pair.server, 50ms, 50ms);
  // Once the socket's buffer is full, a flush waits the write timeout, gives
  // up, and the stream sends nothing more.
  const std::string chunk(16 * 1024, 'x');
  bool flushed = true;
  for (int i = 0; i < 1000 && flushed; ++i) {
    flushed = stream.write(chunk.data(), chunk.size()) == static_cast<ssize_t>(chunk.size()) && stream.flush();
  }
  CHECK_FALSE(flushed);
  CHECK(stream.write("x", 1) == -1);
  CHECK_FALSE(stream.flush());
  CHECK_FALSE(stream.is_writable());
}

TEST_CASE("connection stream: the peer's and its own address and port, numeric") {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(listener, 1) == 0);
  REQUIRE(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  int server_port = ntohs(address.sin_port);

  testing::LoopbackConnection client(server_port);
  REQUIRE(client.connected());
  int accepted = accept(listener, nullptr, nullptr);
  REQUIRE(accepted >= 0);
  sockaddr_in client_address{};
  length = sizeof client_address;
  REQUIRE(getsockname(client.fd(), reinterpret_cast<sockaddr*>(&client_address), &length) == 0);

  {
    ConnectionStream stream(accepted, 1000ms, 1000ms);
    std::string ip;
    int port = 0;
    stream.get_remote_ip_and_port(ip, port);
    CHECK(ip == "127.0.0.1");
    CHECK(port == ntohs(client_address.sin_port));
    stream.get_local_ip_and_port(ip, port);
    CHECK(ip == "127.0.0.1");
    CHECK(port == server_port);
    CHECK(stream.socket() == accepted);
  }
  close(accepted);
  close(listener);
}

}  // namespace
}  // namespace passerelle
