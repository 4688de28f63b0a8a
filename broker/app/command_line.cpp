#include "app/command_line.h"

#include <iostream>

namespace passerelle {

std::optional<std::string> flag_value(const std::vector<std::string>& args, std::string_view flag) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == flag) return args[i + 1];
  }
  return std::nullopt;
}

std::optional<int> answer_help(const std::vector<std::string>& args, std::string_view usage) {
  if (!args.empty() && args[0] != "--help" && args[0] != "-h") return std::nullopt;
  std::cerr << usage;
  return args.empty() ? 2 : 0;
}

int die(std::string_view program, std::string_view message) {
  std::cerr << program << ": " << message << "\n";
  return 1;
}

}  // namespace passerelle
