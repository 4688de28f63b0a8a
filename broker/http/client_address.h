// The address a request comes from, for rate limits, brute-force blocks and
// logs. Behind a reverse proxy every request arrives from the proxy, which
// names the real client in X-Forwarded-For; anyone can write that header, so
// it is believed only when the peer is one of the configured trusted proxies.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <httplib.h>

#include "core/ip_range.h"

namespace passerelle {

// The peer's address when it is not a trusted proxy. Otherwise the
// X-Forwarded-For entries (every such header, in order) are walked from the
// right, skipping trusted proxies: the first other address is the client.
// The walk stops at an entry that is not a plain IP address (the hop before it
// is the answer), and a chain of trusted proxies only gives its leftmost entry.
std::string client_address(const httplib::Request& req, const std::vector<IpRange>& trusted_proxies);

}  // namespace passerelle
