// Notable events (security events first) as one JSON line each on stderr,
// where the service manager collects them. Callers pass only identifiers,
// never a secret, token, code or password. Thread-safe (one write per line).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace passerelle {

void log_event(std::string_view type, const nlohmann::json& fields);

}  // namespace passerelle
