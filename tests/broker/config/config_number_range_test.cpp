// A number no double can hold (1e400) is a mistake in the file, reported
// like any other: invalid_argument, one line, without quoting the text.
// The first row is the input the config fuzz target found
// (tests/fuzz/corpus/config/crash_number_overflow).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"
#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {

TEST_CASE("load_config_file: a number out of range is invalid_argument, not internal") {
  struct Row {
    const char* name;
    std::string text;
  };
  const Row rows[] = {
      {"fuzz input: overflow before a syntax error",
       "1e400uer\": \"h;tp://255.0.0.1:8p80\"storage\"\",\n \"listen\": }"},
      {"overflow in a lifetime", R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": 1e400}})"},
      {"negative overflow", R"({"issuer": "https://id.example.com", "brute_force": {"block_seconds": -1e999}})"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto path = std::filesystem::temp_directory_path() /
                  ("passerelle-config-" + hex_encode(random_bytes(8)) + ".json");
      std::ofstream(path) << row.text;
      Result<Config> c = load_config_file(path.string());
      std::filesystem::remove(path);
      REQUIRE_FALSE(c.has_value());
      CHECK(c.error().code == ErrorCode::kInvalidArgument);
      CHECK(c.error().message == "config: " + path.string() + ": a number is out of range");
    }
  }
}

}  // namespace passerelle
