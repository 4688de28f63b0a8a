// The HttpClient lent to connector plugins: cpp-httplib underneath, one
// connection per request, bounded connect and read timeouts, a bound on the
// whole exchange and on the answer's size (an IdP that dribbles its answer
// byte by byte, or sends megabytes, must not hold a broker thread), TLS
// peer verification on. Thread-safe: no state is shared between requests.
#pragma once

#include <cstddef>
#include <cstdint>

#include "passerelle/host.h"

namespace passerelle {

struct HttpClientOptions {
  // Upstreams answer in well under a second; a stuck one must not hold a
  // broker thread (and the user) for long.
  int64_t connect_timeout_ms = 5000;
  int64_t read_timeout_ms = 10000;
  // The whole exchange, however the bytes trickle in.
  int64_t total_timeout_ms = 15000;
  // Discovery documents, JWKS and token answers are a few KiB.
  size_t max_response_bytes = 1 << 20;
};

class UpstreamHttpClient final : public HttpClient {
 public:
  explicit UpstreamHttpClient(HttpClientOptions options = {}) : options_(options) {}
  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClientOptions options_;
};

}  // namespace passerelle
