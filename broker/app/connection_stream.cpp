#include "app/connection_stream.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace passerelle {
namespace {

constexpr size_t kInputBufferBytes = 8 * 1024;
// An answer larger than this (a page, the JWKS) goes out in pieces of about
// this size rather than being held whole.
constexpr size_t kOutputBufferBytes = 64 * 1024;

using AddressOf = int (*)(int, sockaddr*, socklen_t*);

// The numeric address and port of one end of the socket, as cpp-httplib
// gives them (IPv4 or IPv6 only); empty and -1 otherwise.
void describe(socket_t sock, AddressOf address_of, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (address_of(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  if (address.ss_family == AF_INET) {
    port = ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  } else if (address.ss_family == AF_INET6) {
    port = ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  } else {
    return;
  }
  char host[NI_MAXHOST] = {};
  if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, nullptr, 0, NI_NUMERICHOST) != 0) {
    port = -1;
    return;
  }
  ip = host;
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

ConnectionStream::ConnectionStream(socket_t sock, std::chrono::milliseconds read_timeout,
                                   std::chrono::milliseconds write_timeout)
    : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout), in_(kInputBufferBytes) {
  describe(sock, getpeername, remote_ip_, remote_port_);
  describe(sock, getsockname, local_ip_, local_port_);
  // Reads block, bounded by the socket's receive timeout (sends never block:
  // they pass MSG_DONTWAIT).
  if (int flags = ::fcntl(sock, F_GETFL); flags != -1 && (flags & O_NONBLOCK) != 0) {
    ::fcntl(sock, F_SETFL, flags & ~O_NONBLOCK);
  }
}

bool ConnectionStream::wait(short events, std::chrono::milliseconds timeout) const {
  pollfd entry{sock_, events, 0};
  for (;;) {
    int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
    if (ready >= 0) return ready > 0;
    if (errno != EINTR) return false;
  }
}

bool ConnectionStream::wait_for_request(std::chrono::milliseconds idle) {
  return buffered() > 0 || fill(idle) > 0;
}

bool ConnectionStream::set_receive_timeout(std::chrono::milliseconds timeout) {
  if (timeout == receive_timeout_) return true;
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  // A zero timeval means no limit to the kernel; the shortest wait instead.
  if (timeout.count() <= 0) limit.tv_usec = 1;
  if (::setsockopt(sock_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0) return false;
  receive_timeout_ = timeout;
  return true;
}

ssize_t ConnectionStream::fill(std::chrono::milliseconds timeout) {
  in_begin_ = in_end_ = 0;
  if (!set_receive_timeout(timeout)) return -1;
  // One blocking recv, where a poll and then a recv would take two calls
  // into the kernel for every request.
  for (;;) {
    ssize_t n = ::recv(sock_, in_.data(), in_.size(), 0);
    if (n >= 0) {
      in_end_ = static_cast<size_t>(n);
      return n;
    }
    if (errno != EINTR) return -1;  // EAGAIN: the timeout passed
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (buffered() == 0) {
    // An interim answer (100 Continue) must reach the client before it
    // sends the body this read waits for.
    if (!out_.empty() && !flush()) return -1;
    if (ssize_t filled = fill(read_timeout_); filled <= 0) return filled;
  }
  size_t n = std::min(size, buffered());
  std::memcpy(ptr, in_.data() + in_begin_, n);
  in_begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (broken_) return -1;
  out_.append(ptr, size);
  if (out_.size() >= kOutputBufferBytes && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::flush() {
  size_t sent = 0;
  while (!broken_ && sent < out_.size()) {
    ssize_t n = ::send(sock_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
    } else if (errno != EINTR && !(would_block(errno) && wait(POLLOUT, write_timeout_))) {
      broken_ = true;
    }
  }
  out_.clear();
  return !broken_;
}

bool ConnectionStream::is_readable() const { return buffered() > 0 || wait(POLLIN, read_timeout_); }

bool ConnectionStream::is_writable() const { return !broken_ && wait(POLLOUT, write_timeout_); }

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_ip_;
  port = remote_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = local_ip_;
  port = local_port_;
}

}  // namespace passerelle
