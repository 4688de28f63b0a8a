#include "connectors/host_services.h"

#include "core/event_log.h"

namespace passerelle {

void EventLogger::log(LogLevel level, std::string_view event, const nlohmann::json& fields) {
  nlohmann::json line = fields.is_object() ? fields : nlohmann::json{{"detail", fields}};
  line["source"] = "connector";
  log_event(event, line, level);
}

Result<nlohmann::json> HttpJsonCache::get(const std::string& url, int64_t max_age) {
  int64_t now = clock_.now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(url);
    if (it != entries_.end() && now - it->second.fetched_at < max_age) return it->second.document;
  }
  // Fetched outside the lock: a slow upstream must not stall other lookups.
  // Two threads may fetch the same document once; either result is fine.
  HttpRequest request;
  request.url = url;
  request.headers.push_back({"Accept", "application/json"});
  auto response = http_.send(request);
  if (!response) return fail(response.error());
  if (response->status < 200 || response->status > 299) {
    return fail(Error::unavailable("GET " + url + ": HTTP " + std::to_string(response->status)));
  }
  auto document = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return fail(Error::unavailable("GET " + url + ": not JSON"));
  std::lock_guard lock(mutex_);
  entries_[url] = Entry{document, now};
  return document;
}

HostServices HostBundle::services_for(const std::string& connection) {
  if (!observer_) return services();
  std::lock_guard lock(observed_mutex_);
  auto& slot = observed_[connection];
  if (!slot) slot = std::make_unique<Observed>(http_, connection, observer_, clock_);
  return HostServices{slot->http, clock_, logger_, slot->json_cache};
}

void HttpJsonCache::invalidate(const std::string& url) {
  std::lock_guard lock(mutex_);
  entries_.erase(url);
}

}  // namespace passerelle
