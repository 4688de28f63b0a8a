// Host services: what the broker lends a connector plugin. A plugin keeps
// no global state and makes no network call of its own; it talks to its
// upstream through HttpClient and reads time from Clock, so tests point it
// at fixtures on 127.0.0.1 and drive time by hand.
// Every service is thread-safe and outlives the connectors given it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "passerelle/clock.h"
#include "passerelle/result.h"

namespace passerelle {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;             // absolute http(s) URL, query included
  std::vector<HttpHeader> headers;
  std::string body;  // POST only
  std::string content_type = "application/x-www-form-urlencoded";
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;

  // The first header named `name` (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// An HTTP(S) client with the host's timeouts and TLS verification. Redirects
// are not followed (an OAuth endpoint that redirects is misconfigured).
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a response, not an error. Errors: kInvalidArgument for
  // a malformed URL, kUnavailable when the connection fails or times out. The
  // message names scheme, host and path only: queries may carry secrets.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// Caches JSON documents fetched by GET (OIDC discovery, JWKS), so that
// connectors do not fetch them on every login.
class JsonCache {
 public:
  virtual ~JsonCache() = default;
  // The document at `url`, fetched at most once per `max_age` seconds. A
  // non-2xx answer or a body that is not JSON is kUnavailable.
  virtual Result<nlohmann::json> get(const std::string& url, int64_t max_age) = 0;
  // Forgets `url` (e.g. a JWKS that lacks a new key id).
  virtual void invalidate(const std::string& url) = 0;
};

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// Structured events, one line each. Never pass a secret, token or code.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view event, const nlohmann::json& fields) = 0;
};

struct HostServices {
  HttpClient& http;
  const Clock& clock;
  Logger& logger;
  JsonCache& json_cache;
};

inline std::string HttpResponse::header(std::string_view name) const {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  std::string wanted = lower(name);
  for (const HttpHeader& h : headers) {
    if (lower(h.name) == wanted) return h.value;
  }
  return "";
}

}  // namespace passerelle
