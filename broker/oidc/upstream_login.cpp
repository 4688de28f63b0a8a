#include "oidc/upstream_login.h"

#include <map>

#include "core/encoding.h"
#include "core/event_log.h"
#include "core/secrets.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "oidc/authorization_response.h"
#include "oidc/login_audit.h"
#include "session/reprompt.h"

namespace passerelle {
namespace {

// Purposes of what the broker seals for a connector (SecretBox keys).
constexpr const char* kStateDataPurpose = "upstream-login-state";
constexpr const char* kConnectorDataPurpose = "upstream-connector-data";

std::string seal(Broker& b, const char* purpose, const std::string& data) {
  return data.empty() ? "" : base64url_encode(b.secret_box().seal(purpose, data));
}

Result<std::string> unseal(Broker& b, const char* purpose, const std::string& sealed) {
  if (sealed.empty()) return std::string();
  auto raw = base64url_decode(sealed);
  if (!raw) return fail(Error::corruption("sealed data is not base64url"));
  return b.secret_box().open(purpose, *raw);
}

// Marks a callback the broker posted to itself (see bounce_cross_site_post).
constexpr const char* kBouncedParam = "passerelle_bounced";

std::string callback_url(Broker& b) { return b.url("/login/callback"); }

// Query or form parameters, one value each (a repeated one was refused
// before), without the broker's own marker.
std::map<std::string, std::string> callback_params(const httplib::Request& req) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : req.params) {
    if (name != kBouncedParam) out.emplace(name, value);
  }
  return out;
}

// An IdP that answers with a form POST (SAML's HTTP-POST binding, OIDC's
// form_post) makes a cross-site request, which does not carry the
// SameSite=Lax session cookie. Such a callback is posted once more, by a
// page of the broker itself: that POST is same-site and carries it.
bool bounce_cross_site_post(const httplib::Request& req, httplib::Response& res) {
  if (req.method != "POST" || req.has_param(kBouncedParam) ||
      find_cookie(req.get_header_value("Cookie"), kSessionCookie)) {
    return false;
  }
  QueryParams fields(req.params.begin(), req.params.end());
  fields.emplace_back(kBouncedParam, "1");
  send_form_post(res, "/login/callback", fields);
  return true;
}

// The state the IdP returned: OAuth's `state`, or SAML's RelayState.
std::string returned_state(const std::map<std::string, std::string>& params) {
  for (const char* name : {"state", "RelayState"}) {
    if (auto it = params.find(name); it != params.end()) return it->second;
  }
  return "";
}

// kPermissionDenied is the IdP's refusal or the user's cancel; anything else
// is a failure of the exchange itself.
LoginOutcome upstream_outcome(const Error& error) {
  return error.is(ErrorCode::kPermissionDenied) ? LoginOutcome::kFailure : LoginOutcome::kError;
}

// What the user and the application see when the connector fails (the
// typing of connector.h).
void answer_connector_error(Broker& b, const httplib::Request& req, const AuthorizationStep& step,
                            const ConnectionConfig& connection, const Error& error, httplib::Response& res) {
  log_event("upstream_login_failed", {{"connection", connection.name}, {"reason", error.message}});
  b.audit().record(req, upstream_failed_event(step, connection, error));
  b.metrics().count_login(connection.name, upstream_outcome(error));
  std::string label = connection_label(connection);
  switch (error.code) {
    case ErrorCode::kPermissionDenied:
      // The user cancelled or the IdP refused: the application hears it.
      (void)b.login_transactions().remove(step.tx_id);
      return respond_with_error(b, step.tx.request, "access_denied", "the login at " + label + " was not completed",
                                res);
    case ErrorCode::kInvalidArgument:
      return send_error_page(res, 400, "invalid_request", "the answer from " + label + " was not valid: " + error.message);
    case ErrorCode::kUnavailable:
      return send_error_page(res, 502, "temporarily_unavailable",
                             label + " could not complete the login (" + error.message + "); try again in a moment");
    default:
      return send_error_page(res, 500, "server_error", "the login at " + label + " failed: " + error.message);
  }
}

// The upstream session record for what the IdP said.
UpstreamSession upstream_record(Broker& b, const Identity& identity, const std::string& user_id) {
  const int64_t now = b.clock().now();
  UpstreamSession u;
  u.connection = identity.connection;
  u.provider = identity.provider;
  u.upstream_user_id = identity.user_id;
  u.user_id = user_id;
  u.created_at = now;
  u.auth_time = identity.upstream.auth_time;
  u.amr = identity.upstream.amr;
  u.acr = identity.upstream.acr;
  u.sid = identity.upstream.sid;
  u.token_expires_at = identity.upstream.token_expires_at;
  u.connector_data = seal(b, kConnectorDataPurpose, identity.connector_data);
  u.expires_at = now + b.config().session_absolute_lifetime;  // no broker session outlives that
  return u;
}

// S3 and S9: the identity becomes a user, the IdP's facts an upstream
// session record, and the browser gets a new broker session linked to it.
void complete_login(Broker& b, const httplib::Request& req, AuthorizationStep step, const OpenConnection& connection,
                    Identity identity, httplib::Response& res) {
  identity.connection = connection.config.name;
  if (identity.provider.empty()) identity.provider = connection.config.strategy;
  if (identity.user_id.empty()) {
    return answer_connector_error(b, req, step, connection.config,
                                  Error::internal("the connector returned no user id"), res);
  }
  auto signed_in = b.federated_users().sign_in(identity, connection.config.link_by_verified_email);
  if (!signed_in && signed_in.error().is(ErrorCode::kExpired)) {
    b.audit().record(req,
                     login_attempt_event(audit::kLoginFailed, identity.email, step, connection.config, "Blocked user"));
    b.metrics().count_login(connection.config.name, LoginOutcome::kBlocked);
    (void)b.login_transactions().remove(step.tx_id);
    return respond_with_error(b, step.tx.request, "access_denied", "this account is blocked", res);
  }
  if (!signed_in) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  auto upstream_id = b.upstream_sessions().create(upstream_record(b, identity, signed_in->user.id));
  if (!upstream_id) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  // The IdP's second factor counts here only where the connection trusts it.
  const auto& amr = identity.upstream.amr;
  std::string acr = connection.config.trust_upstream_mfa && amr_shows_mfa(amr) ? kAcrMultiFactor : "";
  auto opened = b.sessions().login(step.cookie, {signed_in->user.id, amr, acr, connection.config.name, *upstream_id});
  if (!opened) return send_error_page(res, 503, "temporarily_unavailable", "the session could not be created");
  log_event("upstream_login", {{"connection", connection.config.name},
                               {"user_id", signed_in->user.id},
                               {"created", signed_in->created},
                               {"linked", signed_in->linked}});
  b.audit().record(req, login_event(signed_in->user, step, connection.config, opened->session));
  b.metrics().count_login(connection.config.name, LoginOutcome::kSuccess);
  set_session_cookie(b, res, opened->cookie);
  step.cookie = opened->cookie;
  step.tx.logged_in = true;
  continue_authorization(b, req, std::move(step), res);
}

}  // namespace

Identity upstream_identity(Broker& b, const UpstreamSession& upstream) {
  Identity id;
  id.connection = upstream.connection;
  id.provider = upstream.provider;
  id.user_id = upstream.upstream_user_id;
  id.upstream = {upstream.auth_time, upstream.amr, upstream.acr, upstream.sid, upstream.token_expires_at};
  id.connector_data = unseal(b, kConnectorDataPurpose, upstream.connector_data).value_or("");
  return id;
}

std::string connection_label(const ConnectionConfig& connection) {
  if (!connection.display_name.empty()) return connection.display_name;
  static const std::map<std::string, std::string> kKnown = {
      {"facebook", "Facebook"}, {"github", "GitHub"}, {"google", "Google"}};
  if (auto it = kKnown.find(connection.strategy); it != kKnown.end() && connection.name == connection.strategy) {
    return it->second;
  }
  return connection.name;
}

void begin_upstream_login(Broker& b, AuthorizationStep& step, const OpenConnection& connection, bool renew,
                          httplib::Response& res) {
  if (!save_step(b, step, res)) return;
  const AuthorizationRequest& request = step.tx.request;
  LoginRequest login;
  login.callback_url = callback_url(b);
  login.state = random_token();
  login.force_reauthentication = renew || request.has_prompt("login") || request.max_age >= 0;
  if (request.max_age >= 0) login.max_age = request.max_age;
  login.login_hint = request.login_hint;
  auto start = connection.connector->begin_login(login);
  if (!start) {
    log_event("upstream_login_failed", {{"connection", connection.config.name}, {"reason", start.error().message}});
    b.metrics().count_login(connection.config.name, LoginOutcome::kError);
    return send_error_page(res, 502, "temporarily_unavailable",
                           "the login at " + connection_label(connection.config) + " could not be started");
  }
  PendingUpstreamLogin pending{step.tx_id, connection.config.name, seal(b, kStateDataPurpose, start->state_data), 0};
  if (auto st = b.upstream_logins().put(login.state, std::move(pending)); !st) {
    return send_error_page(res, 503, "temporarily_unavailable", "the login could not be saved");
  }
  send_redirect(res, start->redirect_url);
}

void handle_upstream_login(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto step = load_step(b, req, res);
  if (!step || !check_csrf(req, *step, res)) return;
  std::string name = param(req, "connection");
  for (const OpenConnection* c : b.connections().enabled_for(step->tx.request.client_id)) {
    if (c->config.name == name) return begin_upstream_login(b, *step, *c, false, res);
  }
  send_error_page(res, 400, "invalid_request", "this application does not offer that way to log in");
}

void handle_login_callback(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (has_repeated_param(req)) {
    return send_error_page(res, 400, "invalid_request", "a parameter of the callback is repeated");
  }
  if (bounce_cross_site_post(req, res)) return;
  auto params = callback_params(req);
  auto pending = b.upstream_logins().take(returned_state(params));
  if (!pending) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  if (!*pending) {
    // Unknown, forged, replayed or too late: nothing to resume.
    return send_error_page(res, 400, "invalid_request",
                           "this login has expired or was already completed; go back to the application");
  }
  auto step = load_step(b, req, (*pending)->tx_id, res);
  if (!step) return;
  const OpenConnection* connection = b.connections().find((*pending)->connection);
  if (!connection) return send_error_page(res, 400, "invalid_request", "this way to log in is no longer offered");
  auto state_data = unseal(b, kStateDataPurpose, (*pending)->state_data);
  if (!state_data) return send_error_page(res, 500, "server_error", "the login's saved state cannot be read");
  auto identity = connection->connector->finish_login({req.method, callback_url(b), params}, *state_data);
  if (!identity) return answer_connector_error(b, req, *step, connection->config, identity.error(), res);
  complete_login(b, req, std::move(*step), *connection, std::move(*identity), res);
}

}  // namespace passerelle
