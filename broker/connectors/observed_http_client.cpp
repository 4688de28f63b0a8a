#include "connectors/observed_http_client.h"

#include <chrono>

namespace passerelle {
namespace {

std::string_view error_kind(const Result<HttpResponse>& r) {
  if (r) return r->status >= 500 ? "status_5xx" : "";
  switch (r.error().code) {
    case ErrorCode::kInvalidArgument: return "invalid_request";
    case ErrorCode::kUnavailable: return "unavailable";
    default: return "other";
  }
}

}  // namespace

Result<HttpResponse> ObservedHttpClient::send(const HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  auto response = inner_.send(request);
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  if (observer_) observer_(connection_, elapsed.count(), error_kind(response));
  return response;
}

}  // namespace passerelle
