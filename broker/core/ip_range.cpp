#include "core/ip_range.h"

#include <arpa/inet.h>

#include <charconv>

namespace passerelle {
namespace {

constexpr int kMappedIpv4PrefixBits = 96;  // ::ffff:0:0/96

bool has_bits_below(const IpAddress& address, int prefix_bits) {
  for (int bit = prefix_bits; bit < 128; ++bit) {
    if (address[bit / 8] & (0x80 >> (bit % 8))) return true;
  }
  return false;
}

bool same_prefix(const IpAddress& a, const IpAddress& b, int prefix_bits) {
  for (int bit = 0; bit < prefix_bits; ++bit) {
    uint8_t mask = 0x80 >> (bit % 8);
    if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  std::string buffer(text);  // inet_pton needs a terminated string
  IpAddress address{};
  in_addr v4{};
  if (inet_pton(AF_INET, buffer.c_str(), &v4) == 1) {
    address[10] = 0xff;
    address[11] = 0xff;
    const auto* bytes = reinterpret_cast<const uint8_t*>(&v4.s_addr);
    std::copy(bytes, bytes + 4, address.begin() + 12);
    return address;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buffer.c_str(), &v6) == 1) {
    std::copy(v6.s6_addr, v6.s6_addr + 16, address.begin());
    return address;
  }
  return std::nullopt;
}

std::optional<IpRange> IpRange::parse(std::string_view text) {
  size_t slash = text.find('/');
  auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  bool ipv4 = text.substr(0, slash).find(':') == std::string_view::npos;
  int max_bits = ipv4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits < 0 || bits > max_bits) {
      return std::nullopt;
    }
  }
  int prefix_bits = ipv4 ? kMappedIpv4PrefixBits + bits : bits;
  if (has_bits_below(*address, prefix_bits)) return std::nullopt;
  return IpRange(*address, prefix_bits, std::string(text));
}

bool IpRange::contains(const IpAddress& address) const { return same_prefix(network_, address, prefix_bits_); }

}  // namespace passerelle
