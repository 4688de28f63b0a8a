// One accepted plain-HTTP connection as cpp-httplib's Stream, kept for the
// whole connection. cpp-httplib 0.11's own stream is made anew for each
// request and, on every request, asks the kernel for the peer's and its own
// address, polls before each read and twice before each write, and sends an
// answer's headers and body in two writes. This one learns the addresses
// once, waits for a request in the read itself (a blocking read bounded by
// the socket's receive timeout), and sends what a request wrote in one write
// when flush() is called. Bytes read past a request stay buffered for the
// next one, so pipelined requests are served. One thread uses a stream at a
// time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <httplib.h>

namespace passerelle {

class ConnectionStream final : public httplib::Stream {
 public:
  // `read_timeout` bounds each wait for request bytes, `write_timeout` each
  // wait for the peer to take answer bytes.
  ConnectionStream(socket_t sock, std::chrono::milliseconds read_timeout, std::chrono::milliseconds write_timeout);

  // Waits up to `idle` for the next request's first byte; false when none
  // came, or the peer closed or failed.
  bool wait_for_request(std::chrono::milliseconds idle);
  // Sends everything written since the last flush; false when the peer is
  // gone or took longer than the write timeout (the bytes are dropped).
  bool flush();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  // Buffers; sends once the buffer is large, otherwise at flush().
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  bool wait(short events, std::chrono::milliseconds timeout) const;
  // Reads what the socket has into the input buffer, waiting up to
  // `timeout` for it: the bytes read, 0 when the peer closed, -1 on failure
  // or when none came in time.
  ssize_t fill(std::chrono::milliseconds timeout);
  // The socket's receive timeout, changed only when it differs.
  bool set_receive_timeout(std::chrono::milliseconds timeout);
  size_t buffered() const { return in_end_ - in_begin_; }

  socket_t sock_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
  std::chrono::milliseconds receive_timeout_{-1};  // not set on the socket yet
  std::string remote_ip_, local_ip_;
  int remote_port_ = -1, local_port_ = -1;
  std::vector<char> in_;
  size_t in_begin_ = 0, in_end_ = 0;
  std::string out_;
  bool broken_ = false;  // a send failed: nothing more is sent
};

}  // namespace passerelle
