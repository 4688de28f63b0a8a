#include "core/event_log.h"

#include <chrono>
#include <cstdio>

namespace passerelle {

void log_event(std::string_view type, const nlohmann::json& fields) {
  nlohmann::json line = fields;
  line["event"] = type;
  line["time"] = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count();
  std::string text = line.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace passerelle
