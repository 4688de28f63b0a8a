#include "metrics/metrics_endpoint.h"

#include <cctype>

#include "core/secrets.h"
#include "metrics/registry.h"

namespace passerelle {

bool metrics_access_allowed(std::string_view expected_sha256_hex, std::string_view authorization) {
  if (expected_sha256_hex.empty()) return true;
  // RFC 7235 §2.1: the scheme is case-insensitive.
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return false;
  }
  std::string_view token = authorization.substr(kScheme.size());
  // Digests of equal length: the comparison time says nothing of the token.
  return constant_time_equals(sha256_hex(token), expected_sha256_hex);
}

void handle_metrics(Broker& b, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  if (!metrics_access_allowed(b.config().metrics_bearer_token_sha256, req.get_header_value("Authorization"))) {
    // RFC 6750 §3.
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer realm=\"metrics\"");
    res.set_content("a bearer token is required\n", "text/plain; charset=utf-8");
    return;
  }
  res.set_content(b.metrics().render(), metrics::kExpositionContentType);
}

}  // namespace passerelle
