// An HttpClient that forwards each call to another and reports it to an
// observer with the connection that made it, how long it took and, when it
// failed, a short fixed kind. Lets the broker measure upstream IdP calls per
// connection without the connectors knowing. Thread-safe when the wrapped
// client and the observer are.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "passerelle/host.h"

namespace passerelle {

// (connection, seconds, error kind) where the kind is "" for an answer
// below 500, "status_5xx" for a server error, "unavailable" when no answer
// came (connection, timeout, size bound), "invalid_request" for a bad URL.
using UpstreamCallObserver = std::function<void(std::string_view connection, double seconds, std::string_view error)>;

class ObservedHttpClient final : public HttpClient {
 public:
  // REQUIRES: `inner` outlives this client.
  ObservedHttpClient(HttpClient& inner, std::string connection, UpstreamCallObserver observer)
      : inner_(inner), connection_(std::move(connection)), observer_(std::move(observer)) {}

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpClient& inner_;
  std::string connection_;
  UpstreamCallObserver observer_;
};

}  // namespace passerelle
