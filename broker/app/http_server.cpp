#include "app/http_server.h"

#include "http/responses.h"
#include "oidc/endpoints.h"
#include "ui/html.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

// cpp-httplib holds a pool thread per open keep-alive connection; 16 covers
// a browser's parallel connections plus a few clients without starving.
constexpr size_t kWorkerThreads = 16;

void add_missing_security_headers(httplib::Response& res) {
  httplib::Response defaults;
  apply_security_headers(defaults);
  for (const auto& [name, value] : defaults.headers) {
    if (!res.has_header(name.c_str())) res.set_header(name, value);
  }
}

}  // namespace

HttpServer::HttpServer(Broker& broker) : broker_(broker) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_.set_payload_max_length(64 * 1024);  // no endpoint takes more
  server_.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    add_missing_security_headers(res);
  });
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_oauth_error(res, 500, "server_error", "internal error");
  });
  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) send_error_page(res, 404, "not_found", "no such page");
  });
  add_routes();
}

void HttpServer::add_routes() {
  Broker& b = broker_;
  auto route = [&b](void (*handler)(Broker&, const httplib::Request&, httplib::Response&)) {
    return [&b, handler](const httplib::Request& req, httplib::Response& res) { handler(b, req, res); };
  };
  server_.Get("/.well-known/openid-configuration", route(handle_discovery));
  server_.Get("/.well-known/jwks.json", route(handle_jwks));
  server_.Get("/authorize", route(handle_authorize));
  server_.Get("/login", route(handle_login_form));
  server_.Post("/login", route(handle_login_submit));
  server_.Post("/oauth/token", route(handle_token));
  server_.Get("/userinfo", route(handle_userinfo));
  server_.Post("/userinfo", route(handle_userinfo));
  server_.Post("/oauth/revoke", route(handle_revoke));
  server_.Get("/oidc/logout", route(handle_oidc_logout));
  server_.Post("/oidc/logout", route(handle_oidc_logout));
  server_.Get("/v2/logout", route(handle_v2_logout));
  server_.Get(std::string(kStylesheetPath), [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(std::string(stylesheet()), "text/css; charset=utf-8");
  });
  server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
    send_html(res, 200, message_page("Passerelle", "This identity broker is running."));
  });
}

Result<int> HttpServer::bind(const std::string& host, int port) {
  int bound = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (bound < 0) return fail(Error::unavailable("cannot listen on " + host + ":" + std::to_string(port)));
  return bound;
}

bool HttpServer::run() { return server_.listen_after_bind(); }

void HttpServer::stop() { server_.stop(); }

}  // namespace passerelle
