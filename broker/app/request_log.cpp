#include "app/request_log.h"

#include "core/encoding.h"
#include "core/event_log.h"
#include "http/request_id.h"
#include "http/responses.h"

namespace passerelle {
namespace {

// Basic credentials are "client_id:secret", form-urlencoded then base64
// (RFC 6749 §2.3.1); only the part before the colon is kept.
std::string basic_user(const httplib::Request& req) {
  std::string authorization = req.get_header_value("Authorization");
  if (authorization.rfind("Basic ", 0) != 0) return "";
  auto decoded = base64_decode(authorization.substr(6));
  if (!decoded) return "";
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return "";
  return httplib::detail::decode_url(decoded->substr(0, colon), true);
}

// A client id or connection name is an identifier, not free text: cap it
// so a hostile request cannot make one log line arbitrarily long.
std::string capped(std::string value) {
  constexpr size_t kMax = 256;
  if (value.size() > kMax) value.resize(kMax);
  return value;
}

}  // namespace

std::string named_client_id(const httplib::Request& req) {
  std::string id = param(req, "client_id");
  return id.empty() ? basic_user(req) : id;
}

nlohmann::json request_log_fields(const httplib::Request& req, const httplib::Response& res,
                                  double latency_ms) {
  nlohmann::json fields = {{"request_id", request_id_of(res)},
                           {"method", req.method},
                           {"route", capped(req.path)},
                           {"status", res.status},
                           {"latency_ms", latency_ms}};
  if (std::string client = named_client_id(req); !client.empty()) fields["client_id"] = capped(client);
  if (std::string connection = param(req, "connection"); !connection.empty()) {
    fields["connection"] = capped(connection);
  }
  return fields;
}

void log_request(const httplib::Request& req, const httplib::Response& res, double latency_ms) {
  if (!log_enabled(LogLevel::kInfo)) return;
  log_event("request", request_log_fields(req, res, latency_ms), LogLevel::kInfo);
}

}  // namespace passerelle
