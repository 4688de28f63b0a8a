// IP addresses and CIDR ranges for the trusted-proxy list.

#include <doctest/doctest.h>

#include "core/ip_range.h"

namespace passerelle {
namespace {

TEST_CASE("ip range: parsing") {
  struct Row {
    const char* text;
    bool valid;
  };
  const Row rows[] = {
      {"10.0.0.0/8", true},      {"10.1.2.3", true},       {"0.0.0.0/0", true},       {"::1", true},
      {"fd00::/8", true},        {"2001:db8::/32", true},  {"::/0", true},            {"192.168.1.0/24", true},
      {"10.0.0.1/8", false},     {"10.0.0.0/33", false},   {"fd00::/129", false},     {"10.0.0.0/", false},
      {"10.0.0.0/-1", false},    {"10.0.0.0/8x", false},   {"10.0.0", false},         {"localhost", false},
      {"", false},               {"10.0.0.1:80", false},   {"fe80::1%eth0", false},   {"10.0.0.0/08 ", false},
  };
  for (const auto& row : rows) {
    CAPTURE(row.text);
    CHECK(IpRange::parse(row.text).has_value() == row.valid);
  }
}

TEST_CASE("ip range: membership") {
  struct Row {
    const char* range;
    const char* address;
    bool inside;
  };
  const Row rows[] = {
      {"10.0.0.0/8", "10.255.1.2", true},
      {"10.0.0.0/8", "11.0.0.1", false},
      {"10.0.0.0/8", "::ffff:10.9.9.9", true},  // an IPv4 peer on a dual-stack socket
      {"192.168.1.0/24", "192.168.1.200", true},
      {"192.168.1.0/24", "192.168.2.1", false},
      {"127.0.0.1", "127.0.0.1", true},
      {"127.0.0.1", "127.0.0.2", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::1", false},  // the IPv4 world only
      {"fd00::/8", "fd12:3456::1", true},
      {"fd00::/8", "fe80::1", false},
      {"::1", "::1", true},
      {"::/0", "10.0.0.1", true},  // every address, IPv4 included
  };
  for (const auto& row : rows) {
    CAPTURE(row.range);
    CAPTURE(row.address);
    auto range = IpRange::parse(row.range);
    REQUIRE(range.has_value());
    auto address = parse_ip_address(row.address);
    REQUIRE(address.has_value());
    CHECK(range->contains(*address) == row.inside);
  }
}

}  // namespace
}  // namespace passerelle
