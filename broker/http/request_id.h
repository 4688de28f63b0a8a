// The request id: one per HTTP request, returned in the X-Request-Id
// response header, shown on error pages and written in the request's log
// line, so a user's report can be matched with the broker's logs. A caller
// (a proxy in front of the broker) may choose it; ids that could smuggle
// markup or break a log line are replaced. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <httplib.h>

namespace passerelle {

inline constexpr const char* kRequestIdHeader = "X-Request-Id";
inline constexpr size_t kMaxRequestIdLength = 64;

// 1..64 characters of [A-Za-z0-9._-].
bool is_safe_request_id(std::string_view id);

// The incoming X-Request-Id when it is safe, else a new random id.
std::string choose_request_id(const httplib::Request& req);

// Puts the request id on `res` unless it already carries one; returns it.
// The response is where the id lives for the rest of the request: cpp-httplib
// 0.11 has no per-request context, but every handler gets this `res`.
std::string ensure_request_id(const httplib::Request& req, httplib::Response& res);

// The id `res` carries, "" when none was set yet.
std::string request_id_of(const httplib::Response& res);

}  // namespace passerelle
