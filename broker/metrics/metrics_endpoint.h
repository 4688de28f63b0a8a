// GET /metrics: the broker's metrics in the Prometheus text format 0.0.4.
// With "metrics": {"bearer_token_sha256"} in the config, a scrape must carry
// "Authorization: Bearer <token>" whose SHA-256 matches (401 otherwise);
// without it the endpoint is open, and should be reachable only by the
// monitoring network. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <httplib.h>

#include "app/broker.h"

namespace passerelle {

// True when `expected_sha256_hex` is empty (no protection), or when
// `authorization` is "Bearer <token>" (scheme in any case) and the token's
// SHA-256 equals it. Compares digests in constant time.
bool metrics_access_allowed(std::string_view expected_sha256_hex, std::string_view authorization);

void handle_metrics(Broker& b, const httplib::Request& req, httplib::Response& res);

}  // namespace passerelle
