#include "dashboard/routes.h"

#include <algorithm>
#include <charconv>

#include "dashboard/admin_session.h"
#include "dashboard/logs_page.h"
#include "dashboard/pages.h"
#include "dashboard/script.h"
#include "http/responses.h"
#include "management/api_support.h"
#include "management/routes.h"

namespace passerelle::dashboard {
namespace {

// Scripts and API calls from this origin only; no inline code at all.
constexpr const char* kPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

using PageHandler = void (*)(Broker&, const Frame&, const httplib::Request&, httplib::Response&);

void send_page(httplib::Response& res, int status, const std::string& html) {
  res.set_header("Content-Security-Policy", kPolicy);
  send_html(res, status, html);
}

void send_unavailable(httplib::Response& res) {
  send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
}

// Runs `handler` for an administrator, with a fresh Management API token
// for the page's script.
auto admin_page(Broker& b, Section section, PageHandler handler) {
  return [&b, section, handler](const httplib::Request& req, httplib::Response& res) {
    auto admin = require_admin(b, req, res);
    if (!admin) return;
    TokenGrant grant;
    grant.client_id = kClientId;
    grant.user_id = admin->id;
    grant.scope = management::all_scopes();
    auto token = b.tokens().access_token(grant, {management::api_audience(b)}, b.tokens().plan_access_token());
    if (!token) return send_error_page(res, 500, "server_error", "the page's token could not be signed");
    handler(b, {section, admin->email, token->token}, req, res);
  };
}

void applications(Broker& b, const Frame& f, const httplib::Request&, httplib::Response& res) {
  auto clients = b.clients().list();
  if (!clients) return send_unavailable(res);
  send_page(res, 200, applications_page(f, *clients));
}

void application(Broker& b, const Frame& f, const httplib::Request& req, httplib::Response& res) {
  auto client = b.clients().find(std::string(req.matches[1]));
  if (!client) return send_unavailable(res);
  if (!*client) return send_error_page(res, 404, "not_found", "no such application");
  send_page(res, 200, application_page(f, **client, b.config().refresh_token_max_lifetime));
}

void users(Broker& b, const Frame& f, const httplib::Request& req, httplib::Response& res) {
  std::string query = param(req, "q");
  auto page = b.users().list(query, 0, management::kMaxPerPage);
  if (!page) return send_unavailable(res);
  send_page(res, 200, users_page(f, *page, query));
}

void user(Broker& b, const Frame& f, const httplib::Request& req, httplib::Response& res) {
  std::string id = req.matches[1];
  auto found = b.users().find_by_id(id);
  if (!found) return send_unavailable(res);
  if (!*found) return send_error_page(res, 404, "not_found", "no such user");
  auto sessions = b.sessions().list_for_user(id);
  auto tokens = b.refresh_tokens().list_for_user(id);
  if (!sessions || !tokens) return send_unavailable(res);
  send_page(res, 200, user_page(f, **found, *sessions, *tokens));
}

void connections(Broker& b, const Frame& f, const httplib::Request&, httplib::Response& res) {
  send_page(res, 200, connections_page(f, b.config().connections));
}

void logs(Broker& b, const Frame& f, const httplib::Request& req, httplib::Response& res) {
  LogFilterForm form{param(req, "user_id"), param(req, "client_id"), param(req, "type"), param(req, "from"),
                     param(req, "to"), 0};
  // A malformed page number (a hand-edited link) shows the first page.
  std::string page_text = param(req, "page");
  size_t page_number = 0;
  auto [end, ec] = std::from_chars(page_text.data(), page_text.data() + page_text.size(), page_number);
  if (ec == std::errc() && end == page_text.data() + page_text.size()) form.page = std::min<size_t>(page_number, 100000);
  auto filter = filter_of(form);
  if (!filter) return send_page(res, 400, logs_page(f, form, {}, filter.error().message));
  auto page = b.audit().search(*filter, false, form.page * kLogsPerPage, kLogsPerPage);
  if (!page) return send_unavailable(res);
  send_page(res, 200, logs_page(f, form, *page, ""));
}

}  // namespace

void add_routes(httplib::Server& server, Broker& b) {
  server.Get("/dashboard", [](const httplib::Request&, httplib::Response& res) {
    send_redirect(res, "/dashboard/applications");
  });
  server.Get("/dashboard/callback", [&b](const httplib::Request& req, httplib::Response& res) {
    handle_callback(b, req, res);
  });
  server.Get("/dashboard/app.js", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-cache");
    res.set_content(std::string(script()), "application/javascript; charset=utf-8");
  });
  server.Get("/dashboard/applications", admin_page(b, Section::kApplications, applications));
  server.Get(R"(/dashboard/applications/([^/]+))", admin_page(b, Section::kApplications, application));
  server.Get("/dashboard/users", admin_page(b, Section::kUsers, users));
  server.Get(R"(/dashboard/users/([^/]+))", admin_page(b, Section::kUsers, user));
  server.Get("/dashboard/connections", admin_page(b, Section::kConnections, connections));
  server.Get("/dashboard/logs", admin_page(b, Section::kLogs, logs));
}

}  // namespace passerelle::dashboard
