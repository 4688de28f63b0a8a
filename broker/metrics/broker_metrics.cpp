#include "metrics/broker_metrics.h"

#include <vector>

namespace passerelle {
namespace {

// Seconds. Broker requests take milliseconds; the top buckets catch those
// that wait on an upstream IdP (up to its 15 s bound).
const std::vector<double> kRequestBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};
// A durable LMDB commit is one or two fsyncs: sub-millisecond on SSDs,
// tens of milliseconds on a busy disk.
const std::vector<double> kCommitBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
const std::vector<double> kUpstreamBuckets = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};

std::string status_label(int status) { return status >= 100 && status <= 599 ? std::to_string(status) : "other"; }

}  // namespace

const char* outcome_name(LoginOutcome outcome) {
  switch (outcome) {
    case LoginOutcome::kSuccess: return "success";
    case LoginOutcome::kFailure: return "failure";
    case LoginOutcome::kBlocked: return "blocked";
    case LoginOutcome::kRateLimited: return "rate_limited";
    case LoginOutcome::kError: return "error";
  }
  return "error";
}

const char* outcome_name(MfaOutcome outcome) {
  switch (outcome) {
    case MfaOutcome::kSuccess: return "success";
    case MfaOutcome::kWrongCode: return "wrong_code";
    case MfaOutcome::kBlocked: return "blocked";
  }
  return "blocked";
}

BrokerMetrics::BrokerMetrics()
    : requests_(registry_.counter("passerelle_http_requests_total", "HTTP requests answered, by route pattern and status.",
                                  {"method", "route", "status"})),
      request_seconds_(registry_.histogram("passerelle_http_request_duration_seconds",
                                           "Time from routing to the answer, by route pattern and status.",
                                           {"method", "route", "status"}, kRequestBuckets)),
      logins_(registry_.counter("passerelle_logins_total",
                                "Login attempts by connection and outcome (password and upstream logins).",
                                {"connection", "outcome"})),
      mfa_(registry_.counter("passerelle_mfa_challenges_total", "MFA codes checked, by outcome.", {"outcome"})),
      tokens_(registry_.counter("passerelle_tokens_issued_total", "Token responses sent by POST /oauth/token, by grant type.",
                                {"grant_type"})),
      refresh_reuse_(registry_.counter("passerelle_refresh_token_reuse_total",
                                       "Rotated refresh tokens presented again (each revoked its family).")),
      storage_commits_(registry_.histogram("passerelle_storage_commit_duration_seconds",
                                           "Write transactions, from begin to durable commit, by outcome.", {"outcome"},
                                           kCommitBuckets)),
      upstream_seconds_(registry_.histogram("passerelle_upstream_request_duration_seconds",
                                            "HTTP calls to upstream identity providers, by connection.", {"connection"},
                                            kUpstreamBuckets)),
      upstream_errors_(registry_.counter("passerelle_upstream_request_errors_total",
                                         "Upstream calls that failed or got a 5xx answer, by connection and kind.",
                                         {"connection", "kind"})) {
  for (const char* grant : {"authorization_code", "refresh_token", "client_credentials"}) tokens_.inc({grant}, 0);
}

void BrokerMetrics::count_request(std::string_view method, std::string_view route, int status, double seconds) {
  metrics::LabelValues labels{std::string(method), std::string(route), status_label(status)};
  requests_.inc(labels);
  request_seconds_.observe(labels, seconds);
}

void BrokerMetrics::count_login(std::string_view connection, LoginOutcome outcome) {
  logins_.inc({std::string(connection), outcome_name(outcome)});
}

void BrokerMetrics::count_mfa(MfaOutcome outcome) { mfa_.inc({outcome_name(outcome)}); }

void BrokerMetrics::count_token(std::string_view grant_type) {
  bool known = grant_type == "authorization_code" || grant_type == "refresh_token" || grant_type == "client_credentials";
  tokens_.inc({known ? std::string(grant_type) : "other"});
}

void BrokerMetrics::count_refresh_reuse() { refresh_reuse_.inc(); }

void BrokerMetrics::observe_upstream_call(std::string_view connection, double seconds, std::string_view error) {
  upstream_seconds_.observe({std::string(connection)}, seconds);
  if (!error.empty()) upstream_errors_.inc({std::string(connection), std::string(error)});
}

void BrokerMetrics::watch_sessions(std::function<std::optional<double>()> read_all,
                                   std::function<std::optional<double>()> read_authenticated) {
  registry_.callback_gauge("passerelle_broker_sessions",
                           "Broker sessions in storage, anonymous ones included; an expired session counts "
                           "until the sweeper removes it.",
                           std::move(read_all));
  registry_.callback_gauge("passerelle_broker_sessions_authenticated",
                           "Logged-in broker sessions; one that ended idle counts until its absolute lifetime "
                           "passes and the sweeper removes it.",
                           std::move(read_authenticated));
}

}  // namespace passerelle
