// Response helpers shared by the endpoints: security headers, OAuth JSON
// errors (RFC 6749 §5.2), HTML pages, and URLs with added query parameters.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/json_writer.h"

namespace passerelle {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Headers for every response: no sniffing, no referrer leaks, no framing
// (clickjacking, RFC 9700 §4.16) unless a handler says otherwise.
void apply_security_headers(httplib::Response& res);

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
// The object `body` holds; a 500 server_error instead when one of its
// strings was not valid UTF-8.
void send_json(httplib::Response& res, int status, JsonObjectWriter& body);
// {"error", "error_description"} with Cache-Control: no-store.
void send_oauth_error(httplib::Response& res, int status, const std::string& error, const std::string& description);
void send_html(httplib::Response& res, int status, const std::string& html);
void send_error_page(httplib::Response& res, int status, const std::string& error, const std::string& description);
void send_redirect(httplib::Response& res, const std::string& location);

// `base` with `params` appended to its query (RFC 6749 §3.1.2: keep the
// registered URI's own query).
std::string with_query(const std::string& base, const QueryParams& params);

// The single value of a parameter, "" when absent.
std::string param(const httplib::Request& req, const char* name);
// True when any parameter appears more than once (RFC 6749 §3.1, §3.2).
bool has_repeated_param(const httplib::Request& req);

}  // namespace passerelle
