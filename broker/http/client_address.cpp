#include "http/client_address.h"

#include <algorithm>
#include <string_view>

namespace passerelle {
namespace {

bool is_trusted(std::string_view address, const std::vector<IpRange>& trusted_proxies) {
  auto parsed = parse_ip_address(address);
  if (!parsed) return false;
  return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                     [&](const IpRange& range) { return range.contains(*parsed); });
}

std::string_view trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// Every X-Forwarded-For entry, left to right, across repeated headers.
std::vector<std::string> forwarded_for_chain(const httplib::Request& req) {
  std::vector<std::string> chain;
  auto [first, last] = req.headers.equal_range("X-Forwarded-For");
  for (auto it = first; it != last; ++it) {
    std::string_view list = it->second;
    while (!list.empty()) {
      size_t comma = list.find(',');
      chain.emplace_back(trim(list.substr(0, comma)));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return chain;
}

}  // namespace

std::string client_address(const httplib::Request& req, const std::vector<IpRange>& trusted_proxies) {
  std::string hop = req.remote_addr;
  if (trusted_proxies.empty() || !is_trusted(hop, trusted_proxies)) return hop;
  std::vector<std::string> chain = forwarded_for_chain(req);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!parse_ip_address(*it)) break;
    hop = *it;
    if (!is_trusted(hop, trusted_proxies)) break;
  }
  return hop;
}

}  // namespace passerelle
