// Notable events (security events first) and one line per HTTP request, as
// one JSON line each on stderr, where the service manager collects them.
// Callers pass only identifiers, never a secret, token, code or password.
// Lines below the configured level are dropped. Thread-safe: the level is
// atomic, the sink guarded, and each line is written in one call.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "passerelle/host.h"  // LogLevel: one scale for the broker and its connectors

namespace passerelle {

// "debug", "info", "warning", "error".
const char* log_level_name(LogLevel level);
std::optional<LogLevel> parse_log_level(std::string_view name);

// Lines of a lower level than `level` are dropped (default: kInfo).
void set_log_level(LogLevel level);
LogLevel log_level();

// Whether a line of `level` would be written: lets a caller skip building
// the fields of a line that would be dropped (the request line, every request).
bool log_enabled(LogLevel level);

// Sends lines to `sink` instead of stderr; nullptr restores stderr. For
// tests; the stream must outlive its use as the sink.
void set_log_sink(std::ostream* sink);

// Writes {"time", "level", "event": type, ...fields} when `level` passes.
void log_event(std::string_view type, const nlohmann::json& fields, LogLevel level = LogLevel::kInfo);

}  // namespace passerelle
