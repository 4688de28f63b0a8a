// The small parts of a command-line program shared by the broker's
// executable and its tools: flags, the help answer, fatal errors.
// Stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

// The value after `flag` (such as "--config"), or nullopt when the flag is
// absent or last.
std::optional<std::string> flag_value(const std::vector<std::string>& args, std::string_view flag);

// When `args` are empty or ask for help, prints `usage` to stderr and gives
// the exit status (2 with no arguments, 0 for --help / -h); nullopt otherwise.
std::optional<int> answer_help(const std::vector<std::string>& args, std::string_view usage);

// Prints "<program>: <message>" to stderr; returns the exit status 1.
int die(std::string_view program, std::string_view message);

}  // namespace passerelle
