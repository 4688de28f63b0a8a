// The "log" section of the config.

#include <doctest/doctest.h>

#include "config/config.h"

namespace passerelle {
namespace {

Result<Config> parse(const char* text) {
  return parse_config(nlohmann::json::parse(text));
}

TEST_CASE("config: log level") {
  auto by_default = parse(R"({"issuer": "https://id.example.com"})");
  REQUIRE(by_default.has_value());
  CHECK(by_default->log_level == LogLevel::kInfo);
  auto debug = parse(R"({"issuer": "https://id.example.com", "log": {"level": "debug"}})");
  REQUIRE(debug.has_value());
  CHECK(debug->log_level == LogLevel::kDebug);
  auto error = parse(R"({"issuer": "https://id.example.com", "log": {"level": "error"}})");
  REQUIRE(error.has_value());
  CHECK(error->log_level == LogLevel::kError);
}

TEST_CASE("config errors: log") {
  struct Row {
    const char* name;
    const char* doc;
    const char* message;
  };
  const Row rows[] = {
      {"unknown level", R"({"issuer": "https://id.example.com", "log": {"level": "verbose"}})",
       "config: log.level: must be one of debug, info, warning, error"},
      {"level not a string", R"({"issuer": "https://id.example.com", "log": {"level": 3}})",
       "config: log.level: "},
      {"unknown key", R"({"issuer": "https://id.example.com", "log": {"level": "info", "format": "text"}})",
       "config: log.format: unknown key"},
      {"not an object", R"({"issuer": "https://id.example.com", "log": "debug"})", "config: log: "},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto config = parse(row.doc);
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().message.rfind(row.message, 0) == 0);
    CHECK(config.error().message.find('\n') == std::string::npos);
  }
}

}  // namespace
}  // namespace passerelle
