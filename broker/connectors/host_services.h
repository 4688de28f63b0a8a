// The broker's implementations of the host services that connector plugins
// receive (passerelle/host.h), bundled with their lifetimes: a HostBundle
// must outlive every connector built with its services(). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "connectors/http_client.h"
#include "connectors/observed_http_client.h"
#include "passerelle/host.h"

namespace passerelle {

// Writes plugin events through log_event, tagged with the plugin's side.
class EventLogger final : public Logger {
 public:
  void log(LogLevel level, std::string_view event, const nlohmann::json& fields) override;
};

// A JsonCache over an HttpClient: entries live `max_age` seconds by `clock`.
class HttpJsonCache final : public JsonCache {
 public:
  HttpJsonCache(HttpClient& http, const Clock& clock) : http_(http), clock_(clock) {}
  Result<nlohmann::json> get(const std::string& url, int64_t max_age) override;
  void invalidate(const std::string& url) override;

 private:
  struct Entry {
    nlohmann::json document;
    int64_t fetched_at = 0;
  };
  HttpClient& http_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

class HostBundle {
 public:
  // With an `observer`, services_for() reports every upstream call to it.
  HostBundle(const Clock& clock, HttpClientOptions http_options = {}, UpstreamCallObserver observer = {})
      : clock_(clock), http_(http_options), json_cache_(http_, clock), observer_(std::move(observer)) {}
  HostBundle(const HostBundle&) = delete;
  HostBundle& operator=(const HostBundle&) = delete;

  HostServices services() { return HostServices{http_, clock_, logger_, json_cache_}; }

  // The services for the connection named `connection`: with an observer,
  // its HTTP calls (JSON cache fetches included) are reported under that
  // name; without one, the shared services(). Called at start-up; the
  // services live as long as the bundle.
  HostServices services_for(const std::string& connection);

 private:
  // One connection's observed client and its own cache over it.
  struct Observed {
    Observed(HttpClient& inner, const std::string& connection, const UpstreamCallObserver& observer, const Clock& clock)
        : http(inner, connection, observer), json_cache(http, clock) {}
    ObservedHttpClient http;
    HttpJsonCache json_cache;
  };

  const Clock& clock_;
  UpstreamHttpClient http_;
  EventLogger logger_;
  HttpJsonCache json_cache_;
  UpstreamCallObserver observer_;
  std::mutex observed_mutex_;
  std::map<std::string, std::unique_ptr<Observed>> observed_;
};

}  // namespace passerelle
