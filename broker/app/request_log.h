// The log line of one HTTP request: {"event": "request", "request_id",
// "method", "route", "status", "latency_ms", "client_id"?, "connection"?}.
// Only the path is logged, never the query string or the body: those carry
// codes, tokens, state and passwords. Stateless; thread-safe.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace passerelle {

// The client a request names: its client_id parameter (query or form), else
// the user part of Basic credentials (never the password). "" when none.
std::string named_client_id(const httplib::Request& req);

nlohmann::json request_log_fields(const httplib::Request& req, const httplib::Response& res,
                                  double latency_ms);

// Writes the line through log_event at info level.
void log_request(const httplib::Request& req, const httplib::Response& res, double latency_ms);

}  // namespace passerelle
