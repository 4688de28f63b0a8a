// The command-line helpers the broker's executable and its tools share.
#include "app/command_line.h"

#include <doctest/doctest.h>

namespace passerelle {
namespace {

TEST_CASE("flag_value gives the value after its flag, and nothing when the flag is absent or last") {
  std::vector<std::string> args{"export", "--config", "broker.json", "--out"};
  CHECK(flag_value(args, "--config") == std::optional<std::string>("broker.json"));
  CHECK(flag_value(args, "--out") == std::nullopt);
  CHECK(flag_value(args, "--in") == std::nullopt);
}

TEST_CASE("answer_help answers empty arguments and --help, and lets a command through") {
  CHECK(answer_help({}, "") == std::optional<int>(2));
  CHECK(answer_help({"--help"}, "") == std::optional<int>(0));
  CHECK(answer_help({"-h"}, "") == std::optional<int>(0));
  CHECK(answer_help({"serve", "--help"}, "") == std::nullopt);
}

}  // namespace
}  // namespace passerelle
