// The broker's metrics, named once here: HTTP requests, logins, MFA, tokens,
// refresh-token reuse, broker sessions, storage commits and upstream calls.
// Callers count events with one call each and never name a metric. Label
// values are bounded: routes are patterns, outcomes and grant types come
// from fixed lists, connections from the config. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "metrics/registry.h"

namespace passerelle {

// How a login attempt ended, at the broker (password) or upstream.
enum class LoginOutcome {
  kSuccess,
  kFailure,      // wrong password; the IdP refused or the user cancelled there
  kBlocked,      // brute-force block, or a blocked account
  kRateLimited,  // too many attempts from the client's network
  kError,        // the upstream IdP unreachable or its answer unusable (storage
                 // failures show as 503s in the request metrics instead)
};

// How an MFA code check ended.
enum class MfaOutcome { kSuccess, kWrongCode, kBlocked };

const char* outcome_name(LoginOutcome outcome);
const char* outcome_name(MfaOutcome outcome);

class BrokerMetrics {
 public:
  BrokerMetrics();
  BrokerMetrics(const BrokerMetrics&) = delete;
  BrokerMetrics& operator=(const BrokerMetrics&) = delete;

  metrics::Registry& registry() { return registry_; }
  std::string render() const { return registry_.render(); }

  // One finished HTTP request. `route` is a pattern (see http_route.h).
  void count_request(std::string_view method, std::string_view route, int status, double seconds);
  void count_login(std::string_view connection, LoginOutcome outcome);
  void count_mfa(MfaOutcome outcome);
  // A successful token response; grant types outside RFC 6749's three
  // that the broker serves are counted as "other".
  void count_token(std::string_view grant_type);
  void count_refresh_reuse();
  // One call to an upstream IdP; `error` is "" when it got an answer below
  // 500, else a short fixed kind ("unavailable", "status_5xx", ...).
  void observe_upstream_call(std::string_view connection, double seconds, std::string_view error);

  // Registers the session gauges, read at each scrape through `read_all` and
  // `read_authenticated` (nullopt: the store failed, the sample is left out).
  // Call once, at start-up.
  void watch_sessions(std::function<std::optional<double>()> read_all,
                      std::function<std::optional<double>()> read_authenticated);

  // The histogram a TimedKvStore feeds.
  metrics::Histogram& storage_commits() { return storage_commits_; }

  // For tests: current values.
  const metrics::Counter& logins() const { return logins_; }
  const metrics::Counter& tokens_issued() const { return tokens_; }
  const metrics::Counter& mfa_challenges() const { return mfa_; }

 private:
  metrics::Registry registry_;
  metrics::Counter& requests_;
  metrics::Histogram& request_seconds_;
  metrics::Counter& logins_;
  metrics::Counter& mfa_;
  metrics::Counter& tokens_;
  metrics::Counter& refresh_reuse_;
  metrics::Histogram& storage_commits_;
  metrics::Histogram& upstream_seconds_;
  metrics::Counter& upstream_errors_;
};

}  // namespace passerelle
