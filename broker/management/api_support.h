// What every Management API handler shares: bearer-token and scope checks,
// Auth0's error shape {statusCode, error, message, errorCode}, strict JSON
// bodies, paging, and time formatting. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/broker.h"

namespace passerelle::management {

// The audience of Management API tokens: "{issuer}/api/v2/".
std::string api_audience(const Broker& b);

void send_api_error(httplib::Response& res, int status, const std::string& message, const std::string& error_code);
// 503 for a storage failure, 400/404/409 for the caller's mistakes.
void send_api_failure(httplib::Response& res, const Error& error, const std::string& not_found_code);

// True when the request bears a valid Management API token granting
// `scope`; otherwise answers 401 (no or bad token) or 403 (missing scope).
bool authorize_api(Broker& b, const httplib::Request& req, httplib::Response& res, std::string_view scope);

// The request body as a JSON object; answers 400 otherwise.
std::optional<nlohmann::json> json_object_body(const httplib::Request& req, httplib::Response& res);

struct Paging {
  size_t page = 0;
  size_t per_page = 50;
  bool include_totals = false;
};
inline constexpr size_t kMaxPerPage = 100;

// page, per_page (1..100) and include_totals from the query; answers 400 on
// a malformed value.
std::optional<Paging> read_paging(const httplib::Request& req, httplib::Response& res);

// The list itself, or Auth0's {start, limit, length, total, <name>: [...]}
// when include_totals was asked for.
nlohmann::json paged(const Paging& paging, const char* name, nlohmann::json items, size_t total);

}  // namespace passerelle::management
