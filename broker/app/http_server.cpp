#include "app/http_server.h"

#include <sys/socket.h>

#include <chrono>
#include <optional>

#include "app/elastic_thread_pool.h"
#include "app/plain_http_server.h"
#include "app/readiness.h"
#include "app/tls_context.h"
#include "app/request_log.h"
#include "http/request_id.h"
#include "http/cors.h"
#include "dashboard/routes.h"
#include "http/responses.h"
#include "management/routes.h"
#include "metrics/http_route.h"
#include "metrics/metrics_endpoint.h"
#include "oidc/endpoints.h"
#include "oidc/upstream_login.h"
#include "sdk/spa_sdk.h"
#include "ui/html.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

// cpp-httplib holds a worker per open connection: start with enough for a
// few browsers and clients, and grow (see elastic_thread_pool.h) so that
// connections that send nothing cannot take every worker.
constexpr size_t kInitialWorkers = 16;
constexpr size_t kMaxWorkers = 512;
// Connections waiting to be accepted. cpp-httplib 0.11 listens with 5 (built
// into Debian's library, so its macro cannot change it): a burst of new
// connections beyond that has its SYNs dropped and waits a second for the
// client's retry. The kernel caps this at net.core.somaxconn.
constexpr int kListenBacklog = 1024;
// Requests one connection may carry before the server closes it. The
// library's default is 5: a client sending many requests (a backend
// refreshing tokens, a load balancer's pooled connection) then reconnected
// after every fifth, paying an accept, a thread hand-off and a TCP
// handshake and teardown on both sides each time. Idle connections are
// still closed after the keep-alive timeout; a cap remains so that a
// connection cannot stay on one worker for ever.
constexpr size_t kKeepAliveMaxRequests = 1000;

// Adds the default security headers a handler did not set itself. A handler
// that allows framing (web_message) sets its own CSP frame-ancestors, and
// then X-Frame-Options, which cannot name an origin, is left out.
void add_missing_security_headers(httplib::Response& res) {
  httplib::Response defaults;
  apply_security_headers(defaults);
  bool framing_allowed = res.has_header("Content-Security-Policy") &&
                         res.get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") == std::string::npos;
  for (const auto& [name, value] : defaults.headers) {
    if (name == "X-Frame-Options" && framing_allowed) continue;
    if (!res.has_header(name.c_str())) res.set_header(name, value);
  }
}

// When the current request's handling began. cpp-httplib 0.11 runs a
// request from pre-routing to post-routing on one pool thread and has no
// per-request context, so a thread-local carries the start time across.
// Requests rejected before routing (413, 400) never set it: their latency
// is reported as 0.
thread_local std::optional<std::chrono::steady_clock::time_point> request_started;

double take_latency_ms() {
  if (!request_started) return 0;
  std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - *request_started;
  request_started.reset();
  return elapsed.count();
}

std::unique_ptr<httplib::Server> make_server(const Config& config, std::string& tls_problem) {
  if (config.tls_certificate_file.empty()) return std::make_unique<PlainHttpServer>();
  return std::make_unique<httplib::SSLServer>([&config, &tls_problem](SSL_CTX& ctx) {
    auto configured = configure_tls(ctx, config.tls_certificate_file, config.tls_private_key_file);
    if (!configured) tls_problem = configured.error().message;
    return configured.has_value();
  });
}

}  // namespace

HttpServer::HttpServer(Broker& broker) : broker_(broker), server_(make_server(broker.config(), tls_problem_)) {
  server_->new_task_queue = [] { return new ElasticThreadPool(kInitialWorkers, kMaxWorkers); };
  // Without it an answer written in pieces (the TLS server's headers then
  // body, a large page) waits for the client's delayed ACK between them
  // (about 40 ms on Linux).
  server_->set_tcp_nodelay(true);
  server_->set_keep_alive_max_count(kKeepAliveMaxRequests);
  // SO_REUSEADDR only (the library's default adds SO_REUSEPORT, which would
  // let a second broker bind the same port and share its connections).
  server_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
  server_->set_payload_max_length(64 * 1024);  // no endpoint takes more
  server_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    request_started = std::chrono::steady_clock::now();
    ensure_request_id(req, res);  // before any handler, so error pages can show it
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_->set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);  // requests refused before routing have none yet
    add_missing_security_headers(res);
    double latency_ms = take_latency_ms();
    log_request(req, res, latency_ms);
    broker_.metrics().count_request(method_label(req.method), route_label(req), res.status, latency_ms / 1000);
  });
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_oauth_error(res, 500, "server_error", "internal error");
  });
  server_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    ensure_request_id(req, res);
    if (res.status == 404 && res.body.empty()) send_error_page(res, 404, "not_found", "no such page");
  });
  add_routes();
}

void HttpServer::add_routes() {
  Broker& b = broker_;
  using Handler = void (*)(Broker&, const httplib::Request&, httplib::Response&);
  auto route = [&b](Handler handler) {
    return [&b, handler](const httplib::Request& req, httplib::Response& res) { handler(b, req, res); };
  };
  // Endpoints a single-page app calls cross-origin.
  auto browser_route = [&b](Handler handler) {
    return [&b, handler](const httplib::Request& req, httplib::Response& res) {
      add_cors_headers(b, req, res);
      handler(b, req, res);
    };
  };
  auto public_route = [&b](Handler handler) {
    return [&b, handler](const httplib::Request& req, httplib::Response& res) {
      add_public_cors_headers(res);
      handler(b, req, res);
    };
  };
  server_->Get("/.well-known/openid-configuration", public_route(handle_discovery));
  server_->Get("/.well-known/jwks.json", public_route(handle_jwks));
  server_->Get("/authorize", route(handle_authorize));
  server_->Get("/login", route(handle_login_form));
  server_->Post("/login", route(handle_login_submit));
  server_->Post("/login/upstream", route(handle_upstream_login));
  server_->Get("/login/callback", route(handle_login_callback));
  server_->Post("/login/callback", route(handle_login_callback));
  server_->Get("/mfa", route(handle_mfa_form));
  server_->Post("/mfa", route(handle_mfa_submit));
  server_->Post("/mfa/continue", route(handle_mfa_continue));
  server_->Get("/mfa/enroll", route(handle_mfa_enrol_form));
  server_->Post("/mfa/enroll", route(handle_mfa_enrol_submit));
  server_->Get("/consent", route(handle_consent_form));
  server_->Post("/consent", route(handle_consent_submit));
  server_->Post("/oauth/token", browser_route(handle_token));
  server_->Get("/userinfo", browser_route(handle_userinfo));
  server_->Post("/userinfo", browser_route(handle_userinfo));
  server_->Post("/oauth/revoke", browser_route(handle_revoke));
  for (const char* path : {"/oauth/token", "/userinfo", "/oauth/revoke"}) {
    server_->Options(path, route(handle_cors_preflight));
  }
  server_->Get("/oidc/logout", route(handle_oidc_logout));
  server_->Post("/oidc/logout", route(handle_oidc_logout));
  server_->Get("/v2/logout", route(handle_v2_logout));
  server_->Get("/samlp/metadata", route(handle_connection_metadata));
  management::add_routes(*server_, b);
  dashboard::add_routes(*server_, b);
  server_->Get(std::string(kStylesheetPath), [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "public, max-age=3600");
    res.set_content(std::string(stylesheet()), "text/css; charset=utf-8");
  });
  server_->Get(std::string(kSpaSdkPath), [](const httplib::Request&, httplib::Response& res) {
    add_public_cors_headers(res);
    res.set_header("Cache-Control", "public, max-age=300");
    res.set_content(std::string(spa_sdk_source()), "application/javascript; charset=utf-8");
  });
  server_->Get("/metrics", route(handle_metrics));
  // Liveness: answering at all is the signal.
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content("ok", "text/plain");
  });
  server_->Get("/readyz", [&b](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    if (auto problem = readiness_problem(b)) {
      res.status = 503;
      res.set_content("not ready: " + *problem, "text/plain");
      return;
    }
    res.set_content("ready", "text/plain");
  });
  server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    send_html(res, 200, message_page("Passerelle", "This identity broker is running."));
  });
}

Result<int> HttpServer::bind(const std::string& host, int port) {
  if (!server_->is_valid()) {
    return fail(Error::invalid_argument(tls_problem_.empty() ? "the TLS context could not be set up" : tls_problem_));
  }
  int bound = port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0) return fail(Error::unavailable("cannot listen on " + host + ":" + std::to_string(port)));
  // listen() again on a listening socket only changes its backlog.
  if (listen_socket_ >= 0) ::listen(listen_socket_, kListenBacklog);
  return bound;
}

bool HttpServer::run() { return server_->listen_after_bind(); }

void HttpServer::stop() { server_->stop(); }

}  // namespace passerelle
