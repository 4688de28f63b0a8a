#include "management/api_support.h"

#include <charconv>
#include <ctime>

#include "config/json_reader.h"
#include "core/encoding.h"
#include "http/responses.h"
#include "oidc/access_token_verifier.h"

namespace passerelle::management {
namespace {

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

std::optional<size_t> read_count(const httplib::Request& req, const char* name, size_t fallback, size_t min,
                                 size_t max, httplib::Response& res) {
  if (!req.has_param(name)) return fallback;
  std::string text = req.get_param_value(name);
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    send_api_error(res, 400,
                   std::string(name) + ": must be an integer from " + std::to_string(min) + " to " + std::to_string(max),
                   "invalid_query_string");
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string api_audience(const Broker& b) { return b.url("/api/v2/"); }

void send_api_error(httplib::Response& res, int status, const std::string& message, const std::string& error_code) {
  res.set_header("Cache-Control", "no-store");
  send_json(res, status,
            {{"statusCode", status}, {"error", reason_phrase(status)}, {"message", message}, {"errorCode", error_code}});
}

void send_api_failure(httplib::Response& res, const Error& error, const std::string& not_found_code) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument: return send_api_error(res, 400, error.message, "invalid_body");
    case ErrorCode::kNotFound: return send_api_error(res, 404, error.message, not_found_code);
    case ErrorCode::kAlreadyExists: return send_api_error(res, 409, error.message, "already_exists");
    default: return send_api_error(res, 503, "storage is unavailable", "temporarily_unavailable");
  }
}

bool authorize_api(Broker& b, const httplib::Request& req, httplib::Response& res, std::string_view scope) {
  auto token = bearer_token(req);
  if (!token) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_api_error(res, 401, "Missing authentication", "missing_token");
    return false;
  }
  auto claims = verify_access_token(b, *token, api_audience(b));
  if (!claims) {
    if (claims.error().is(ErrorCode::kUnavailable)) {
      send_api_error(res, 503, "storage is unavailable", "temporarily_unavailable");
      return false;
    }
    res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    send_api_error(res, 401, "Invalid token: " + claims.error().message, "invalid_token");
    return false;
  }
  for (const auto& granted : split_words(claims->value("scope", ""))) {
    if (granted == scope) return true;
  }
  send_api_error(res, 403, "Insufficient scope, expected: " + std::string(scope), "insufficient_scope");
  return false;
}

std::optional<nlohmann::json> json_object_body(const httplib::Request& req, httplib::Response& res) {
  try {
    nlohmann::json body = parse_json_strict(req.body);
    if (body.is_object()) return body;
    send_api_error(res, 400, "the body must be a JSON object", "invalid_body");
  } catch (const nlohmann::json::exception&) {
    send_api_error(res, 400, "the body is not valid JSON", "invalid_body");
  } catch (const JsonReadError& e) {
    send_api_error(res, 400, e.what(), "invalid_body");
  }
  return std::nullopt;
}

std::optional<Paging> read_paging(const httplib::Request& req, httplib::Response& res) {
  Paging p;
  auto page = read_count(req, "page", 0, 0, 1000000, res);
  if (!page) return std::nullopt;
  auto per_page = read_count(req, "per_page", 50, 1, kMaxPerPage, res);
  if (!per_page) return std::nullopt;
  p.page = *page;
  p.per_page = *per_page;
  std::string totals = req.has_param("include_totals") ? req.get_param_value("include_totals") : "false";
  if (totals != "true" && totals != "false") {
    send_api_error(res, 400, "include_totals: must be true or false", "invalid_query_string");
    return std::nullopt;
  }
  p.include_totals = totals == "true";
  return p;
}

nlohmann::json paged(const Paging& paging, const char* name, nlohmann::json items, size_t total) {
  if (!paging.include_totals) return items;
  size_t length = items.size();
  return {{"start", paging.page * paging.per_page},
          {"limit", paging.per_page},
          {"length", length},
          {"total", total},
          {name, std::move(items)}};
}

}  // namespace passerelle::management
