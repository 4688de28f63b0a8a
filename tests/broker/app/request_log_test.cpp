// One JSON line per request through the event log, without the query
// string or any secret, and the level filter.

#include <sstream>
#include <vector>

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"
#include "core/event_log.h"

namespace passerelle {
namespace {

// Sends the event log to a string for the life of the object.
struct CapturedLog {
  std::ostringstream out;
  LogLevel saved_level = log_level();
  CapturedLog() { set_log_sink(&out); }
  ~CapturedLog() {
    set_log_sink(nullptr);
    set_log_level(saved_level);
  }
  // Every line, parsed; a line that is not JSON fails the test.
  std::vector<nlohmann::json> lines() const {
    std::vector<nlohmann::json> parsed;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) {
      auto json = nlohmann::json::parse(line, nullptr, false);
      REQUIRE_MESSAGE(!json.is_discarded(), line);
      parsed.push_back(json);
    }
    return parsed;
  }
  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> found;
    for (const auto& line : lines()) {
      if (line.value("event", "") == "request") found.push_back(line);
    }
    return found;
  }
};

TEST_CASE("request log: one line per request with its fields") {
  CapturedLog log;
  testing::RunningBroker rb;
  auto r = rb.client.Get("/healthz", {{"X-Request-Id", "log-check-1"}});
  REQUIRE(r);
  auto lines = log.requests();
  REQUIRE(lines.size() == 1);
  const auto& line = lines[0];
  CHECK(line["time"].is_number_integer());
  CHECK(line["level"] == "info");
  CHECK(line["request_id"] == "log-check-1");
  CHECK(line["method"] == "GET");
  CHECK(line["route"] == "/healthz");
  CHECK(line["status"] == 200);
  REQUIRE(line["latency_ms"].is_number());
  CHECK(line["latency_ms"].get<double>() >= 0);
  CHECK_FALSE(line.contains("client_id"));
  CHECK_FALSE(line.contains("connection"));
}

TEST_CASE("request log: a password login and a code exchange leave no secret in the log") {
  CapturedLog log;
  std::string code;
  std::string tokens;
  {
    testing::RunningBroker rb;
    auto login = testing::log_in(rb);
    code = testing::query_value(login.location, "code");
    REQUIRE_FALSE(code.empty());
    httplib::Headers basic = {httplib::make_basic_authentication_header("web", "web-secret-fixture")};
    auto token = rb.client.Post("/oauth/token", basic,
                                httplib::Params{{"grant_type", "authorization_code"},
                                                {"code", code},
                                                {"redirect_uri", "https://app.test/cb"},
                                                {"code_verifier", testing::kVerifier}});
    REQUIRE(token);
    REQUIRE(token->status == 200);
    tokens = token->body;
  }
  std::string text = log.out.str();
  auto body = nlohmann::json::parse(tokens);
  for (const std::string& secret : {std::string("alice-password"), std::string("web-secret-fixture"), code,
                                    body["access_token"].get<std::string>(),
                                    body["id_token"].get<std::string>(), std::string(testing::kVerifier)}) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
  auto lines = log.requests();
  REQUIRE(lines.size() == 4);  // authorize, login page, login post, token
  for (const auto& line : lines) CHECK(line["route"].get<std::string>().find('?') == std::string::npos);
  CHECK(lines[0]["route"] == "/authorize");
  CHECK(lines[0]["client_id"] == "web");
  CHECK(lines[0]["status"] == 302);
  CHECK(lines[2]["method"] == "POST");
  CHECK(lines[2]["route"] == "/login");
  CHECK(lines[3]["route"] == "/oauth/token");
  CHECK(lines[3]["client_id"] == "web");  // from the Basic credentials
  CHECK(lines[3]["status"] == 200);
}

TEST_CASE("request log: the level filter") {
  CapturedLog log;
  set_log_level(LogLevel::kWarning);
  CHECK_FALSE(log_enabled(LogLevel::kInfo));
  CHECK(log_enabled(LogLevel::kWarning));
  log_event("probe_info", {{"n", 1}});
  log_event("probe_warning", {{"n", 2}}, LogLevel::kWarning);
  log_event("probe_error", {{"n", 3}}, LogLevel::kError);
  {
    testing::RunningBroker rb;
    REQUIRE(rb.client.Get("/healthz"));
  }
  auto lines = log.lines();
  REQUIRE(lines.size() == 2);  // neither the info event nor the request line
  CHECK(lines[0]["event"] == "probe_warning");
  CHECK(lines[0]["level"] == "warning");
  CHECK(lines[1]["event"] == "probe_error");
  set_log_level(LogLevel::kDebug);
  log_event("probe_debug", {}, LogLevel::kDebug);
  CHECK(log.lines().back()["event"] == "probe_debug");
}

TEST_CASE("log levels: names") {
  CHECK(parse_log_level("debug") == LogLevel::kDebug);
  CHECK(parse_log_level("warning") == LogLevel::kWarning);
  CHECK_FALSE(parse_log_level("verbose").has_value());
  CHECK(std::string(log_level_name(LogLevel::kError)) == "error");
}

}  // namespace
}  // namespace passerelle
