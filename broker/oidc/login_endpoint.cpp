// GET /login and POST /login: the database connection's login prompt (S6).
// The form carries the login transaction id and a CSRF token; both must
// belong to the browser's current broker session, which defeats login CSRF.
#include "core/secrets.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "oidc/authorization_response.h"
#include "oidc/endpoints.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

struct ActiveLogin {
  std::string id;
  std::string cookie;
  LoginTransaction tx;
};

// The transaction named by the request, if it is live and was started by
// this browser; otherwise an error page has been sent.
std::optional<ActiveLogin> load_login(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string id = param(req, "tx");
  std::string cookie = find_cookie(req.get_header_value("Cookie"), kSessionCookie).value_or("");
  auto tx = id.empty() ? Result<std::optional<LoginTransaction>>() : b.login_transactions().find(id);
  if (!tx) {
    send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    return std::nullopt;
  }
  if (!*tx || cookie.empty() ||
      !constant_time_equals((*tx)->session_key, SessionStore::storage_key(cookie))) {
    send_error_page(res, 400, "invalid_request",
                    "this login has expired or was started in another browser; go back to the application");
    return std::nullopt;
  }
  return ActiveLogin{id, cookie, std::move(**tx)};
}

void render_form(Broker& b, const ActiveLogin& login, int status, const std::string& email,
                 const std::string& alert, httplib::Response& res) {
  auto client = b.clients().find(login.tx.request.client_id);
  LoginPageModel model;
  model.action = "/login";
  model.transaction = login.id;
  model.csrf_token = login.tx.csrf_token;
  model.client_name = client && *client && !(*client)->settings.name.empty() ? (*client)->settings.name
                                                                              : login.tx.request.client_id;
  model.email = email;
  model.alert = alert;
  send_html(res, status, login_page(model));
}

}  // namespace

void handle_login_form(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto login = load_login(b, req, res);
  if (!login) return;
  render_form(b, *login, 200, login->tx.request.login_hint, "", res);
}

void handle_login_submit(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto login = load_login(b, req, res);
  if (!login) return;
  if (!constant_time_equals(param(req, "csrf_token"), login->tx.csrf_token)) {
    return send_error_page(res, 403, "access_denied", "the form expired; go back to the application and try again");
  }
  const ConnectionConfig* database = b.database_connection(login->tx.request.client_id);
  if (!database) {
    return respond_with_error(b, login->tx.request, "access_denied",
                              "password login is not enabled for this application", res);
  }
  std::string email = param(req, "username");
  auto user = b.users().authenticate(email, param(req, "password"));
  if (!user && user.error().is(ErrorCode::kExpired)) {
    return render_form(b, *login, 403, email, "This account is blocked. Contact your administrator.", res);
  }
  if (!user) {
    if (!user.error().is(ErrorCode::kPermissionDenied)) {
      return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    }
    login->tx.failed_attempts++;
    if (login->tx.failed_attempts >= LoginTransactionStore::kMaxFailedAttempts) {
      (void)b.login_transactions().remove(login->id);
      return respond_with_error(b, login->tx.request, "access_denied", "too many failed login attempts", res);
    }
    (void)b.login_transactions().save(login->id, login->tx);
    // One message for an unknown e-mail and a wrong password alike.
    return render_form(b, *login, 401, email, "Wrong email or password.", res);
  }
  // S3: a new session with a new id and new timers replaces the old one.
  auto opened = b.sessions().login(login->cookie, {user->id, {"pwd"}, "", database->name});
  if (!opened) return send_error_page(res, 503, "temporarily_unavailable", "the session could not be created");
  (void)b.login_transactions().remove(login->id);
  set_session_cookie(b, res, opened->cookie);
  respond_with_code(b, login->tx.request, opened->cookie, opened->session, res);
}

}  // namespace passerelle
