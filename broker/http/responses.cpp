#include "http/responses.h"

#include "core/encoding.h"
#include "http/request_id.h"
#include "ui/pages.h"

namespace passerelle {

void apply_security_headers(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_json(httplib::Response& res, int status, JsonObjectWriter& body) {
  auto text = body.take();
  if (!text) return send_oauth_error(res, 500, "server_error", "the answer could not be encoded");
  res.status = status;
  res.set_content(*std::move(text), "application/json");
}

void send_oauth_error(httplib::Response& res, int status, const std::string& error, const std::string& description) {
  res.set_header("Cache-Control", "no-store");
  send_json(res, status, {{"error", error}, {"error_description", description}});
}

void send_html(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(html, "text/html; charset=utf-8");
}

void send_error_page(httplib::Response& res, int status, const std::string& error, const std::string& description) {
  // The server's pre-routing handler has already put the request id on
  // `res`, so it is read from there rather than passed through every
  // handler's signature.
  send_html(res, status, error_page(error, description, request_id_of(res)));
}

void send_redirect(httplib::Response& res, const std::string& location) {
  res.status = 302;
  res.set_header("Location", location);
  res.set_header("Cache-Control", "no-store");
}

std::string with_query(const std::string& base, const QueryParams& params) {
  std::string url = base;
  char sep = base.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [k, v] : params) {
    url += sep;
    url += url_encode(k) + "=" + url_encode(v);
    sep = '&';
  }
  return url;
}

std::string param(const httplib::Request& req, const char* name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? std::string() : it->second;
}

bool has_repeated_param(const httplib::Request& req) {
  for (auto it = req.params.begin(); it != req.params.end(); ++it) {
    auto next = std::next(it);
    if (next != req.params.end() && next->first == it->first) return true;
  }
  return false;
}

}  // namespace passerelle
