#include "oidc/authorization_flow.h"

#include "core/secrets.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "mfa/remember_browser.h"
#include "oidc/authorization_response.h"
#include "oidc/upstream_login.h"
#include "session/reprompt.h"

namespace passerelle {
namespace {

// Everything decide_reprompt reads, owned here so the input's pointers stay valid.
struct Facts {
  std::optional<BrokerSession> session;
  std::optional<User> user;
  std::string enrolment_id;
  RepromptInput input;
};

ConnectionPolicy connection_policy(const Broker& b, const std::string& name) {
  ConnectionPolicy policy;
  for (const auto& c : b.config().connections) {
    if (c.name != name) continue;
    policy.upstream = c.strategy != "database";
    policy.trust_upstream_mfa = c.trust_upstream_mfa;
  }
  return policy;
}

Status gather_user_facts(Broker& b, const httplib::Request& req, Facts& f) {
  auto enrolment = b.mfa().find(f.user->id);
  if (!enrolment) return fail(enrolment.error());
  if (*enrolment && (*enrolment)->confirmed) {
    f.input.mfa_enrolled_at = (*enrolment)->confirmed_at;
    f.enrolment_id = (*enrolment)->id;
    auto remembered = find_cookie(req.get_header_value("Cookie"), kRememberBrowserCookie);
    f.input.browser_remembered = remembered && browser_remembered(b.secret_box(), *remembered, f.user->id,
                                                                  f.enrolment_id, b.clock().now());
  }
  if (!f.input.client.first_party) {
    auto granted = b.consents().covers(f.user->id, f.input.request->client_id, f.input.request->scope);
    if (!granted) return fail(granted.error());
    f.input.consent_granted = *granted;
  }
  return {};
}

Status gather(Broker& b, const httplib::Request& req, AuthorizationStep& step, Facts& f) {
  f.input.request = &step.tx.request;
  f.input.now = b.clock().now();
  f.input.logged_in_for_request = step.tx.logged_in;
  f.input.consented_for_request = step.tx.consented;
  auto session = b.sessions().find(step.cookie);
  if (!session) return fail(session.error());
  if (!*session) step.cookie.clear();
  f.session = std::move(*session);
  auto client = b.clients().find(step.tx.request.client_id);
  if (!client) return fail(client.error());
  if (*client) f.input.client = {(*client)->settings.require_mfa, (*client)->settings.is_first_party};
  if (f.session && f.session->authenticated) {
    auto user = b.users().find_by_id(f.session->user_id);
    if (!user) return fail(user.error());
    f.user = std::move(*user);
    f.input.connection = connection_policy(b, f.session->connection);
    auto upstream = b.upstream_sessions().find(f.session->upstream_session_id);
    if (!upstream) return fail(upstream.error());
    if (*upstream) f.input.upstream_amr = (*upstream)->amr;
  }
  if (f.user) {
    if (auto st = gather_user_facts(b, req, f); !st) return st;
  }
  f.input.session = f.session ? &*f.session : nullptr;
  f.input.user = f.user ? &*f.user : nullptr;
  return {};
}

// A remembered browser stands for the MFA it remembers: the session records
// it, so the tokens' amr and acr say so.
Status apply_remembered_browser(Broker& b, const std::string& cookie, Facts& f) {
  if (!f.input.browser_remembered || !f.session || !f.session->authenticated) return {};
  if (f.session->mfa_time > 0 && f.session->mfa_time >= f.input.mfa_enrolled_at) return {};
  if (auto st = b.sessions().record_mfa(cookie, "remembered_browser", {"mfa"}, kAcrMultiFactor); !st) {
    return st.error().is(ErrorCode::kNotFound) ? Status{} : st;
  }
  auto reloaded = b.sessions().find(cookie);
  if (!reloaded) return fail(reloaded.error());
  f.session = std::move(*reloaded);
  f.input.session = f.session ? &*f.session : nullptr;
  return {};
}

void end_transaction(Broker& b, const AuthorizationStep& step) {
  if (!step.tx_id.empty()) (void)b.login_transactions().remove(step.tx_id);
}

// Saves the transaction, bound to the current session, and sends the
// browser to the prompt at `path`.
void prompt(Broker& b, AuthorizationStep& step, const char* path, httplib::Response& res) {
  if (!save_step(b, step, res)) return;
  send_redirect(res, with_query(b.url(path), {{"tx", step.tx_id}}));
}

// A new interactive login starts a new transaction: nothing answered for
// the old one carries over.
AuthorizationStep fresh_login(Broker& b, const AuthorizationStep& step) {
  end_transaction(b, step);
  AuthorizationStep fresh;
  fresh.tx.request = step.tx.request;
  fresh.cookie = step.cookie;
  return fresh;
}

void prompt_login(Broker& b, AuthorizationStep& step, httplib::Response& res) {
  AuthorizationStep fresh = fresh_login(b, step);
  const std::string& wanted = step.tx.request.connection;
  const ConnectionConfig* database = b.database_connection(step.tx.request.client_id);
  if (wanted.empty() || (database && database->name == wanted)) return prompt(b, fresh, "/login", res);
  // `connection=<name>` goes straight to that IdP, if the client may use it.
  for (const OpenConnection* c : b.connections().enabled_for(step.tx.request.client_id)) {
    if (c->config.name == wanted) return begin_upstream_login(b, fresh, *c, false, res);
  }
  respond_with_error(b, step.tx.request, "invalid_request", "the connection is not enabled for this client", res);
}

// A federated session is renewed at its own IdP, asked to authenticate the
// user again (prompt=login, max_age); the login page when that connection
// is no longer open to this client.
void renew_upstream(Broker& b, AuthorizationStep& step, const BrokerSession& session, httplib::Response& res) {
  for (const OpenConnection* c : b.connections().enabled_for(step.tx.request.client_id)) {
    if (c->config.name != session.connection) continue;
    AuthorizationStep fresh = fresh_login(b, step);
    return begin_upstream_login(b, fresh, *c, true, res);
  }
  prompt_login(b, step, res);
}

}  // namespace

void continue_authorization(Broker& b, const httplib::Request& req, AuthorizationStep step, httplib::Response& res) {
  const AuthorizationRequest& request = step.tx.request;
  Facts f;
  Status st = gather(b, req, step, f);
  if (st) st = apply_remembered_browser(b, step.cookie, f);
  if (!st) return respond_with_error(b, request, "temporarily_unavailable", "storage is unavailable", res);
  switch (decide_reprompt(f.input)) {
    case RepromptOutcome::kIssueCode:
      end_transaction(b, step);
      return respond_with_code(b, request, step.cookie, *f.session, res);
    case RepromptOutcome::kLogin: return prompt_login(b, step, res);
    case RepromptOutcome::kUpstream: return renew_upstream(b, step, *f.session, res);
    case RepromptOutcome::kMfa: return prompt(b, step, "/mfa", res);
    case RepromptOutcome::kMfaEnroll: return prompt(b, step, "/mfa/enroll", res);
    case RepromptOutcome::kConsent: return prompt(b, step, "/consent", res);
    case RepromptOutcome::kLoginRequired:
      end_transaction(b, step);
      return respond_with_error(b, request, "login_required", "the user must log in", res);
    case RepromptOutcome::kInteractionRequired:
      end_transaction(b, step);
      return respond_with_error(b, request, "interaction_required", "the user must complete multi-factor authentication",
                                res);
    case RepromptOutcome::kConsentRequired:
      end_transaction(b, step);
      return respond_with_error(b, request, "consent_required", "the user must consent to this application", res);
  }
}

bool save_step(Broker& b, AuthorizationStep& step, httplib::Response& res) {
  if (step.cookie.empty()) {
    auto opened = b.sessions().create_anonymous();
    if (!opened) {
      send_error_page(res, 503, "temporarily_unavailable", "the session could not be created");
      return false;
    }
    step.cookie = opened->cookie;
    set_session_cookie(b, res, step.cookie);
  }
  step.tx.session_key = SessionStore::storage_key(step.cookie);
  if (step.tx_id.empty()) {
    auto id = b.login_transactions().create(step.tx);
    if (!id) {
      send_error_page(res, 503, "temporarily_unavailable", "the login could not be started");
      return false;
    }
    step.tx_id = *id;
  } else if (auto st = b.login_transactions().save(step.tx_id, step.tx); !st) {
    send_error_page(res, 503, "temporarily_unavailable", "the login could not be saved");
    return false;
  }
  return true;
}

std::optional<AuthorizationStep> load_step(Broker& b, const httplib::Request& req, httplib::Response& res) {
  return load_step(b, req, param(req, "tx"), res);
}

std::optional<AuthorizationStep> load_step(Broker& b, const httplib::Request& req, const std::string& id,
                                           httplib::Response& res) {
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
  return AuthorizationStep{id, std::move(**tx), cookie};
}

bool check_csrf(const httplib::Request& req, const AuthorizationStep& step, httplib::Response& res) {
  if (constant_time_equals(param(req, "csrf_token"), step.tx.csrf_token)) return true;
  send_error_page(res, 403, "access_denied", "the form expired; go back to the application and try again");
  return false;
}

std::optional<SignedIn> load_signed_in(Broker& b, const AuthorizationStep& step, httplib::Response& res) {
  auto session = b.sessions().find(step.cookie);
  std::optional<User> user;
  if (session && *session && (*session)->authenticated) {
    auto found = b.users().find_by_id((*session)->user_id);
    if (!found) session = fail(found.error());
    else user = std::move(*found);
  }
  if (!session) {
    send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    return std::nullopt;
  }
  if (!user) {
    send_error_page(res, 400, "invalid_request", "your session has ended; go back to the application and log in again");
    return std::nullopt;
  }
  return SignedIn{std::move(**session), std::move(*user)};
}

std::string client_display_name(Broker& b, const std::string& client_id) {
  auto client = b.clients().find(client_id);
  return client && *client && !(*client)->settings.name.empty() ? (*client)->settings.name : client_id;
}

}  // namespace passerelle
