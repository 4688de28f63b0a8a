// GET /metrics on a real broker: the scrape moves with logins, code
// exchanges and refreshes; routes are patterns; the bearer protection and
// its config key.

#include "metrics/metrics_endpoint.h"

#include <cctype>
#include <map>
#include <sstream>

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

using testing::RunningBroker;

constexpr const char* kDatabase = "Username-Password-Authentication";

// A scrape, parsed: each sample line's series ("name{labels}") and value.
struct Scrape {
  std::map<std::string, double> samples;
  std::string text;

  double operator[](const std::string& series) const {
    auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
  }
  bool has(const std::string& series) const { return samples.contains(series); }
};

Scrape parse_scrape(const std::string& text) {
  Scrape scrape;
  scrape.text = text;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    REQUIRE_MESSAGE(space != std::string::npos, line);
    std::string value = line.substr(space + 1);
    scrape.samples[line.substr(0, space)] = value == "+Inf" ? 1e308 : std::stod(value);
  }
  return scrape;
}

Scrape scrape(RunningBroker& rb, const httplib::Headers& headers = {}) {
  auto r = rb.client.Get("/metrics", headers);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  return parse_scrape(r->body);
}

std::string logins(const std::string& connection, const std::string& outcome) {
  return "passerelle_logins_total{connection=\"" + connection + "\",outcome=\"" + outcome + "\"}";
}

std::string tokens(const std::string& grant) { return "passerelle_tokens_issued_total{grant_type=\"" + grant + "\"}"; }

std::string requests(const std::string& method, const std::string& route, int status) {
  return "passerelle_http_requests_total{method=\"" + method + "\",route=\"" + route + "\",status=\"" +
         std::to_string(status) + "\"}";
}

httplib::Result refresh(RunningBroker& rb, const std::string& token) {
  return rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                        httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
}

// The code a silent authorization answers with and the session's renewal
// are one transaction: one durable commit, not two.
TEST_CASE("metrics endpoint: a silent authorization commits once") {
  RunningBroker rb;
  auto login = testing::log_in(rb);
  REQUIRE_FALSE(login.cookie.empty());
  const std::string commits = "passerelle_storage_commit_duration_seconds_count{outcome=\"ok\"}";
  double before = scrape(rb)[commits];
  auto silent = rb.client.Get(testing::authorize_path("&prompt=none").c_str(), rb.with_cookie(login.cookie));
  REQUIRE(silent);
  REQUIRE(silent->status == 302);
  REQUIRE(silent->get_header_value("Location").find("code=") != std::string::npos);
  CHECK(scrape(rb)[commits] - before == 1);
}

TEST_CASE("metrics endpoint: a password login, a code exchange and a refresh move their counters") {
  RunningBroker rb;
  Scrape before = scrape(rb);
  CHECK(before[logins(kDatabase, "success")] == 0);
  CHECK(before.has(tokens("authorization_code")));  // grant types are there at 0 from the start
  CHECK(before[tokens("authorization_code")] == 0);
  CHECK(before["passerelle_broker_sessions_authenticated"] == 0);

  auto wrong = testing::log_in(rb, "not-the-password");
  CHECK(wrong.location.empty());
  auto t = testing::log_in_and_exchange(rb, "openid%20email%20offline_access");
  std::string refresh_token = t.body["refresh_token"];
  auto refreshed = refresh(rb, refresh_token);
  REQUIRE(refreshed->status == 200);

  Scrape after = scrape(rb);
  CHECK(after[logins(kDatabase, "success")] == 1);
  CHECK(after[logins(kDatabase, "failure")] == 1);
  CHECK(after[tokens("authorization_code")] == 1);
  CHECK(after[tokens("refresh_token")] == 1);
  CHECK(after[tokens("client_credentials")] == 0);
  CHECK(after["passerelle_refresh_token_reuse_total"] == 0);
  // Two sessions were stored (the failed login's anonymous one and the
  // logged-in one); one of them is logged in.
  CHECK(after["passerelle_broker_sessions"] == 2);
  CHECK(after["passerelle_broker_sessions_authenticated"] == 1);
  // Every login, code and refresh wrote to storage.
  CHECK(after["passerelle_storage_commit_duration_seconds_count{outcome=\"ok\"}"] >
        before["passerelle_storage_commit_duration_seconds_count{outcome=\"ok\"}"]);
  // Requests by route pattern: the query string of /authorize is not in it.
  CHECK(after[requests("GET", "/authorize", 302)] == 2);
  CHECK(after[requests("POST", "/login", 401)] == 1);
  CHECK(after[requests("POST", "/oauth/token", 200)] == 2);
  CHECK(after["passerelle_http_request_duration_seconds_count{method=\"POST\",route=\"/oauth/token\",status=\"200\"}"] ==
        2);
  CHECK(after["passerelle_http_request_duration_seconds_bucket{method=\"POST\",route=\"/oauth/token\",status=\"200\","
              "le=\"+Inf\"}"] == 2);
  CHECK(after[requests("GET", "/metrics", 200)] == 1);  // the first scrape
  CHECK(after.text.find("code=") == std::string::npos);
  CHECK(after.text.find(refresh_token) == std::string::npos);
}

TEST_CASE("metrics endpoint: a rotated refresh token presented again counts as reuse") {
  Config config = testing::test_config();
  for (ClientConfig& c : config.clients) {
    if (c.client_id != "web") continue;
    c.refresh_token.rotating = true;  // R6: rotation needs an expiring policy
    c.refresh_token.expiring = true;
    c.refresh_token.infinite_token_lifetime = false;
  }
  RunningBroker rb(config);
  auto t = testing::log_in_and_exchange(rb, "openid%20email%20offline_access");
  std::string first = t.body["refresh_token"];
  REQUIRE(refresh(rb, first)->status == 200);
  CHECK(refresh(rb, first)->status == 400);
  Scrape after = scrape(rb);
  CHECK(after["passerelle_refresh_token_reuse_total"] == 1);
  CHECK(after[tokens("refresh_token")] == 1);
  CHECK(after[requests("POST", "/oauth/token", 400)] == 1);
}

TEST_CASE("metrics endpoint: routes are patterns, unknown paths one value") {
  RunningBroker rb;
  CHECK(rb.client.Get("/api/v2/users/auth0%7Cabc123/sessions")->status == 401);
  CHECK(rb.client.Get("/api/v2/clients/web")->status == 401);
  CHECK(rb.client.Get("/api/v2/clients/spa")->status == 401);
  CHECK(rb.client.Get("/no/such/page/4711")->status == 404);
  CHECK(rb.client.Get("/another/unknown?x=1")->status == 404);
  CHECK(rb.client.Get("/healthz")->status == 200);
  Scrape s = scrape(rb);
  CHECK(s[requests("GET", "/api/v2/users/{id}/sessions", 401)] == 1);
  CHECK(s[requests("GET", "/api/v2/clients/{id}", 401)] == 2);
  CHECK(s[requests("GET", "other", 404)] == 2);
  CHECK(s[requests("GET", "/healthz", 200)] == 1);
  for (const char* raw : {"abc123", "4711", "unknown", "/api/v2/clients/web"}) {
    CAPTURE(raw);
    CHECK(s.text.find(raw) == std::string::npos);
  }
}

constexpr const char* kScrapeToken = "scrape-token-fixture";

TEST_CASE("metrics endpoint: bearer protection when a token digest is configured") {
  Config config = testing::test_config();
  config.metrics_bearer_token_sha256 = sha256_hex(kScrapeToken);
  RunningBroker rb(config);
  struct Row {
    const char* name;
    httplib::Headers headers;
    int status;
  };
  const Row rows[] = {
      {"no token", {}, 401},
      {"wrong token", {{"Authorization", "Bearer not-the-token"}}, 401},
      {"the digest itself", {{"Authorization", "Bearer " + sha256_hex(kScrapeToken)}}, 401},
      {"Basic scheme", {{"Authorization", "Basic " + std::string(kScrapeToken)}}, 401},
      {"empty bearer", {{"Authorization", "Bearer "}}, 401},
      {"right token", {{"Authorization", "Bearer " + std::string(kScrapeToken)}}, 200},
      {"scheme in lower case", {{"Authorization", "bearer " + std::string(kScrapeToken)}}, 200},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto r = rb.client.Get("/metrics", row.headers);
    REQUIRE(r);
    CHECK(r->status == row.status);
    if (row.status == 401) {
      CHECK(r->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
      CHECK(r->body.find("passerelle_") == std::string::npos);
    } else {
      CHECK(r->body.find("# TYPE passerelle_logins_total counter") != std::string::npos);
    }
  }
}

TEST_CASE("metrics endpoint: open when no digest is configured") {
  CHECK(metrics_access_allowed("", ""));
  CHECK(metrics_access_allowed("", "Bearer anything"));
  CHECK_FALSE(metrics_access_allowed(sha256_hex("t"), ""));
  CHECK(metrics_access_allowed(sha256_hex("t"), "BEARER t"));
}

TEST_CASE("config: metrics.bearer_token_sha256") {
  auto with = [](const std::string& metrics) {
    return parse_config(nlohmann::json::parse(R"({"issuer": "https://id.example.test", "metrics": )" + metrics + "}"));
  };
  std::string digest = sha256_hex(kScrapeToken);
  auto ok = with(R"({"bearer_token_sha256": ")" + digest + "\"}");
  REQUIRE(ok.has_value());
  CHECK(ok->metrics_bearer_token_sha256 == digest);
  std::string upper = digest;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto upper_ok = with(R"({"bearer_token_sha256": ")" + upper + "\"}");
  REQUIRE(upper_ok.has_value());
  CHECK(upper_ok->metrics_bearer_token_sha256 == digest);  // kept in lower case, as sha256_hex writes it
  CHECK(with("{}")->metrics_bearer_token_sha256.empty());

  struct Row {
    std::string metrics;
    std::string message;
  };
  const std::string kHexProblem = "config: metrics.bearer_token_sha256: must be the SHA-256 of the token, 64 hex digits";
  const Row rows[] = {
      {R"({"bearer_token_sha256": "my-plain-token"})", kHexProblem},
      {R"({"bearer_token_sha256": ")" + digest.substr(1) + "\"}", kHexProblem},
      {R"({"bearer_token_sha256": ")" + digest.substr(1) + "g\"}", kHexProblem},
      {R"({"bearer_token_sha256": 42})", "config: metrics.bearer_token_sha256: expected a string"},
      {R"({"bearer_token": "x"})", "config: metrics.bearer_token: unknown key"},
      {R"("open")", "config: metrics: expected an object"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.metrics);
    auto c = with(row.metrics);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().message == row.message);
    CHECK(c.error().message.find("my-plain-token") == std::string::npos);
  }
}

}  // namespace
}  // namespace passerelle
