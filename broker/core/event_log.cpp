#include "core/event_log.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

namespace passerelle {
namespace {

constexpr std::array<const char*, 4> kLevelNames = {"debug", "info", "warning", "error"};

struct LogState {
  std::mutex mu;                                  // guards the sink and each write
  std::atomic<LogLevel> level = LogLevel::kInfo;  // read on every request: no lock
  std::ostream* sink = nullptr;                   // nullptr: stderr
};

// Function-local static: safe to log from other statics' constructors.
LogState& state() {
  static LogState s;
  return s;
}

}  // namespace

const char* log_level_name(LogLevel level) {
  return kLevelNames[static_cast<size_t>(level)];
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i) {
    if (name == kLevelNames[i]) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

void set_log_level(LogLevel level) {
  state().level.store(level, std::memory_order_relaxed);
}

LogLevel log_level() {
  return state().level.load(std::memory_order_relaxed);
}

bool log_enabled(LogLevel level) {
  return level >= log_level();
}

void set_log_sink(std::ostream* sink) {
  std::lock_guard lock(state().mu);
  state().sink = sink;
}

void log_event(std::string_view type, const nlohmann::json& fields, LogLevel level) {
  if (!log_enabled(level)) return;
  nlohmann::json line = fields;
  line["event"] = type;
  line["level"] = log_level_name(level);
  line["time"] =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  // Invalid UTF-8 from a request (a path, a client_id) must not throw here.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(state().mu);
  if (state().sink) {
    state().sink->write(text.data(), static_cast<std::streamsize>(text.size()));
    state().sink->flush();
  } else {
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
}

}  // namespace passerelle
