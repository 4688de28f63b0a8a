#include "common/bearer_api.h"

namespace passerelle::connector_util {

Result<nlohmann::json> get_json_with_token(HttpClient& http, const std::string& url, const std::string& access_token,
                                           std::vector<HttpHeader> headers, std::string_view who,
                                           std::string_view what) {
  std::string prefix = std::string(who) + ": " + std::string(what);
  HttpRequest request;
  request.url = url;
  request.headers = std::move(headers);
  bool has_accept = false;
  for (const HttpHeader& h : request.headers) has_accept = has_accept || h.name == "Accept";
  if (!has_accept) request.headers.push_back({"Accept", "application/json"});
  request.headers.push_back({"Authorization", "Bearer " + access_token});
  auto response = http.send(request);
  if (!response) return fail(Error::unavailable(prefix + " failed: " + response.error().message));
  int status = response->status;
  if (status != 200) {
    std::string message = prefix + " answered HTTP " + std::to_string(status);
    // A rate limit is the IdP being busy, not refusing this user: GitHub
    // answers 403 or 429 with X-RateLimit-Remaining: 0.
    bool limited = status == 429 || (status == 403 && response->header("X-RateLimit-Remaining") == "0");
    if (status >= 500 || limited) return fail(Error::unavailable(message));
    return fail(Error::permission_denied(message));
  }
  auto body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !(body.is_object() || body.is_array())) {
    return fail(Error::unavailable(prefix + " answered without JSON"));
  }
  return body;
}

}  // namespace passerelle::connector_util
