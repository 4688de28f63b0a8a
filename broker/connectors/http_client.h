// The HttpClient lent to connector plugins: cpp-httplib underneath, one
// connection per request, bounded connect and read timeouts, TLS peer
// verification on. Thread-safe: no state is shared between requests.
#pragma once

#include <cstdint>

#include "passerelle/host.h"

namespace passerelle {

struct HttpClientOptions {
  // Upstreams answer in well under a second; a stuck one must not hold a
  // broker thread (and the user) for long.
  int64_t connect_timeout_ms = 5000;
  int64_t read_timeout_ms = 10000;
};

class UpstreamHttpClient final : public HttpClient {
 public:
  explicit UpstreamHttpClient(HttpClientOptions options = {}) : options_(options) {}
  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClientOptions options_;
};

}  // namespace passerelle
