#include "http/cors.h"

namespace passerelle {

void add_cors_headers(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string origin = req.get_header_value("Origin");
  res.set_header("Vary", "Origin");
  if (origin.empty()) return;
  auto registered = b.clients().web_origin_registered(origin);
  if (registered && *registered) res.set_header("Access-Control-Allow-Origin", origin);
}

void handle_cors_preflight(Broker& b, const httplib::Request& req, httplib::Response& res) {
  add_cors_headers(b, req, res);
  if (!res.has_header("Access-Control-Allow-Origin")) {
    res.status = 403;
    return;
  }
  res.status = 204;
  res.set_header("Access-Control-Allow-Methods", "GET, POST");
  res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  res.set_header("Access-Control-Max-Age", "600");
}

void add_public_cors_headers(httplib::Response& res) { res.set_header("Access-Control-Allow-Origin", "*"); }

}  // namespace passerelle
