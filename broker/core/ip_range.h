// IP address ranges in CIDR notation ("10.0.0.0/8", "2001:db8::/32", or a
// single address), for the trusted-proxy list. Value type; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace passerelle {

// An IPv4 or IPv6 address as 16 bytes; IPv4 is kept in its IPv4-mapped IPv6
// form (::ffff:a.b.c.d), so "10.0.0.1" and "::ffff:10.0.0.1" (how a dual-stack
// socket reports an IPv4 peer) are the same address.
using IpAddress = std::array<uint8_t, 16>;

// nullopt unless `text` is a plain numeric address (no port, no zone id).
std::optional<IpAddress> parse_ip_address(std::string_view text);

class IpRange {
 public:
  // "address" or "address/prefix" (0..32 for IPv4, 0..128 for IPv6); nullopt
  // for anything else, including host bits set below the prefix, which is
  // nearly always a typo ("10.0.0.1/8").
  static std::optional<IpRange> parse(std::string_view text);

  bool contains(const IpAddress& address) const;
  const std::string& text() const { return text_; }

 private:
  IpRange(IpAddress network, int prefix_bits, std::string text)
      : network_(network), prefix_bits_(prefix_bits), text_(std::move(text)) {}

  IpAddress network_;
  int prefix_bits_;  // over the 128-bit form
  std::string text_;
};

}  // namespace passerelle
