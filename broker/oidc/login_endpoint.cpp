// GET /login and POST /login: the database connection's login prompt (S6).
// The form carries the login transaction id and a CSRF token; both must
// belong to the browser's current broker session, which defeats login CSRF.
#include "core/event_log.h"
#include "core/secrets.h"
#include "http/client_address.h"
#include "http/responses.h"
#include "oidc/authorization_flow.h"
#include "oidc/authorization_response.h"
#include "oidc/endpoints.h"
#include "oidc/login_audit.h"
#include "oidc/upstream_login.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

void render_form(Broker& b, const AuthorizationStep& login, int status, const std::string& email,
                 const std::string& alert, httplib::Response& res) {
  LoginPageModel model;
  model.action = "/login";
  model.transaction = login.tx_id;
  model.csrf_token = login.tx.csrf_token;
  model.client_name = client_display_name(b, login.tx.request.client_id);
  model.email = email;
  model.alert = alert;
  model.password_login = b.database_connection(login.tx.request.client_id) != nullptr;
  model.connections_action = "/login/upstream";
  for (const OpenConnection* c : b.connections().enabled_for(login.tx.request.client_id)) {
    model.connections.push_back({c->config.name, connection_label(c->config)});
  }
  send_html(res, status, login_page(model));
}

std::string blocked_message(int64_t seconds) {
  int64_t minutes = (seconds + 59) / 60;
  return "Too many failed attempts for this account from your network: it is blocked here for " +
         std::to_string(minutes) + " minute(s). Try again later, or ask an administrator to unblock it.";
}

}  // namespace

void handle_login_form(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto login = load_step(b, req, res);
  if (!login) return;
  render_form(b, *login, 200, login->tx.request.login_hint, "", res);
}

void handle_login_submit(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto login = load_step(b, req, res);
  if (!login || !check_csrf(req, *login, res)) return;
  const ConnectionConfig* database = b.database_connection(login->tx.request.client_id);
  if (!database) {
    return respond_with_error(b, login->tx.request, "access_denied",
                              "password login is not enabled for this application", res);
  }
  std::string email = param(req, "username");
  std::string ip = client_address(req, b.config().trusted_proxies);
  if (int64_t wait = b.login_limiter().take(ip); wait > 0) {
    b.metrics().count_login(database->name, LoginOutcome::kRateLimited);
    res.set_header("Retry-After", std::to_string(wait));
    return render_form(b, *login, 429, email, "Too many login attempts from your network. Wait a moment and try again.",
                       res);
  }
  auto blocked = b.login_blocks().blocked_for(email, ip);
  if (!blocked) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  if (*blocked > 0) {
    b.metrics().count_login(database->name, LoginOutcome::kBlocked);
    res.set_header("Retry-After", std::to_string(*blocked));
    return render_form(b, *login, 429, email, blocked_message(*blocked), res);
  }
  auto user = b.users().authenticate(email, param(req, "password"));
  if (!user && user.error().is(ErrorCode::kExpired)) {
    b.audit().record(req, login_attempt_event(audit::kLoginFailed, email, *login, *database, "Blocked user"));
    b.metrics().count_login(database->name, LoginOutcome::kBlocked);
    return render_form(b, *login, 403, email, "This account is blocked. Contact your administrator.", res);
  }
  if (!user) {
    if (!user.error().is(ErrorCode::kPermissionDenied)) {
      return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    }
    b.audit().record(req, password_refused_event(b, email, *login, *database));
    auto started = b.login_blocks().record_failure(email, ip);
    if (!started) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    if (*started) {
      log_event("login_blocked", {{"ip", ip}}, LogLevel::kWarning);
      b.audit().record(req,
                       login_attempt_event(audit::kAccountBlocked, email, *login, *database, kBlockedForIp));
      b.metrics().count_login(database->name, LoginOutcome::kBlocked);
      return render_form(b, *login, 429, email, blocked_message(b.config().brute_force_block_seconds), res);
    }
    b.metrics().count_login(database->name, LoginOutcome::kFailure);
    login->tx.failed_attempts++;
    if (login->tx.failed_attempts >= LoginTransactionStore::kMaxFailedAttempts) {
      (void)b.login_transactions().remove(login->tx_id);
      return respond_with_error(b, login->tx.request, "access_denied", "too many failed login attempts", res);
    }
    (void)b.login_transactions().save(login->tx_id, login->tx);
    // One message for an unknown e-mail and a wrong password alike.
    return render_form(b, *login, 401, email, "Wrong email or password.", res);
  }
  if (auto st = b.login_blocks().record_success(email, ip); !st) {
    return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  // S3: a new session with a new id and new timers replaces the old one.
  auto opened = b.sessions().login(login->cookie, {user->id, {"pwd"}, "", database->name, ""});
  if (!opened) return send_error_page(res, 503, "temporarily_unavailable", "the session could not be created");
  b.audit().record(req, login_event(*user, *login, *database, opened->session));
  b.metrics().count_login(database->name, LoginOutcome::kSuccess);
  set_session_cookie(b, res, opened->cookie);
  // The password is in; decide_reprompt says whether an OTP, an enrolment
  // or consent comes before the code.
  login->cookie = opened->cookie;
  login->tx.logged_in = true;
  continue_authorization(b, req, std::move(*login), res);
}

}  // namespace passerelle
