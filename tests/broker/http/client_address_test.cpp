// The client's address behind trusted proxies (X-Forwarded-For).

#include <doctest/doctest.h>

#include "http/client_address.h"

namespace passerelle {
namespace {

TEST_CASE("client address: X-Forwarded-For only from trusted proxies") {
  struct Row {
    const char* name;
    const char* peer;
    std::vector<const char*> forwarded_for;  // one element per header line
    std::vector<const char*> trusted;
    const char* expected;
  };
  const Row rows[] = {
      {"no proxies configured: the header is ignored", "203.0.113.7", {"198.51.100.1"}, {}, "203.0.113.7"},
      {"an untrusted peer cannot choose its address", "203.0.113.7", {"198.51.100.1"}, {"10.0.0.0/8"}, "203.0.113.7"},
      {"a trusted proxy names the client", "10.0.0.5", {"198.51.100.1"}, {"10.0.0.0/8"}, "198.51.100.1"},
      {"a spoofed left part is not believed", "10.0.0.5", {"1.2.3.4, 198.51.100.1"}, {"10.0.0.0/8"},
       "198.51.100.1"},
      {"a chain of trusted proxies is skipped", "10.0.0.5", {"198.51.100.1, 10.0.0.9, 10.0.0.8"}, {"10.0.0.0/8"},
       "198.51.100.1"},
      {"repeated headers are one list, in order", "10.0.0.5", {"1.2.3.4", "198.51.100.1, 10.0.0.9"},
       {"10.0.0.0/8"}, "198.51.100.1"},
      {"only trusted hops: the leftmost", "10.0.0.5", {"10.0.0.7, 10.0.0.9"}, {"10.0.0.0/8"}, "10.0.0.7"},
      {"no header from a trusted proxy: the proxy", "10.0.0.5", {}, {"10.0.0.0/8"}, "10.0.0.5"},
      {"garbage stops the walk at the last good hop", "10.0.0.5", {"198.51.100.1, not-an-ip, 10.0.0.9"},
       {"10.0.0.0/8"}, "10.0.0.9"},
      {"an entry with a port is not an address", "10.0.0.5", {"198.51.100.1:4711"}, {"10.0.0.0/8"}, "10.0.0.5"},
      {"IPv6 clients and proxies", "fd00::1", {"2001:db8::42"}, {"fd00::/8"}, "2001:db8::42"},
      {"blank entries are skipped as garbage", "10.0.0.5", {" , "}, {"10.0.0.0/8"}, "10.0.0.5"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    httplib::Request req;
    req.remote_addr = row.peer;
    for (const char* value : row.forwarded_for) req.headers.emplace("X-Forwarded-For", value);
    std::vector<IpRange> trusted;
    for (const char* text : row.trusted) trusted.push_back(*IpRange::parse(text));
    CHECK(client_address(req, trusted) == row.expected);
  }
}

}  // namespace
}  // namespace passerelle
