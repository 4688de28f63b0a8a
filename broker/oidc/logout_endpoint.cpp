// GET|POST /oidc/logout (OpenID Connect RP-Initiated Logout 1.0) and
// GET /v2/logout (Auth0's form). Both end the broker session; the browser
// goes back only to a URL the client registered in allowed_logout_urls.
#include <algorithm>

#include "core/event_log.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "jose/jwt.h"
#include "oidc/authorization_response.h"
#include "oidc/endpoints.h"
#include "oidc/login_audit.h"
#include "oidc/upstream_login.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

bool logout_url_allowed(Broker& b, const std::string& client_id, const std::string& url) {
  auto client = b.clients().find(client_id);
  if (!client || !*client) return false;
  const auto& allowed = (*client)->settings.allowed_logout_urls;
  return std::find(allowed.begin(), allowed.end(), url) != allowed.end();
}

// `/v2/logout?federated`: where to log out at the IdP of the browser's
// session, coming back to `return_to`; "" when the session is not federated
// or its connector cannot end the IdP's session.
std::string federated_logout_url(Broker& b, const std::string& cookie, const std::string& return_to) {
  auto session = b.sessions().find(cookie);
  if (!session || !*session) return "";
  auto upstream = b.upstream_sessions().find((*session)->upstream_session_id);
  if (!upstream || !*upstream) return "";
  const OpenConnection* connection = b.connections().find((*upstream)->connection);
  LogoutCapability* logout = connection ? connection->connector->logout() : nullptr;
  if (!logout) return "";
  auto url = logout->logout_url(upstream_identity(b, **upstream), return_to);
  if (!url) {
    log_event("federated_logout_failed", {{"connection", (*upstream)->connection}, {"reason", url.error().message}});
    return "";
  }
  return *url;
}

// Ends the browser's broker session and then sends it to `return_to`, or
// shows a page when there is none; with `federated`, through the IdP first.
void end_session(Broker& b, const httplib::Request& req, httplib::Response& res, std::string return_to,
                 const QueryParams& params, bool federated = false) {
  std::string cookie = find_cookie(req.get_header_value("Cookie"), kSessionCookie).value_or("");
  if (federated && !cookie.empty()) {
    // The IdP sends the browser back here when the application named no
    // return URL, to the "Logged out" page.
    std::string back = return_to.empty() ? b.url("/v2/logout") : with_query(return_to, params);
    std::string upstream = federated_logout_url(b, cookie, back);
    if (!upstream.empty()) return_to = upstream;
  }
  if (!cookie.empty()) {
    auto event = logout_event(b, cookie, param(req, "client_id"));
    if (auto st = b.session_revoker().end_by_cookie(cookie); !st) {
      return send_error_page(res, 503, "temporarily_unavailable", "the session could not be ended");
    }
    if (event) b.audit().record(req, std::move(*event));
  }
  set_session_cookie(b, res, "");
  if (return_to.empty()) return send_html(res, 200, message_page("Logged out", "You are now logged out."));
  send_redirect(res, with_query(return_to, params));
}

// The client an id_token_hint was issued to, if it is one of our ID tokens.
// Its expiry does not matter here (RP-Initiated Logout §2).
std::optional<std::string> hinted_client(Broker& b, const std::string& hint) {
  auto jwt = verify_jwt(hint, b.keys().jwks(), b.keys().algorithms());
  if (!jwt || jwt->claims.value("iss", "") != b.config().issuer) return std::nullopt;
  const auto& aud = jwt->claims.value("aud", nlohmann::json());
  if (aud.is_string()) return aud.get<std::string>();
  if (aud.is_array() && aud.size() == 1 && aud[0].is_string()) return aud[0].get<std::string>();
  return std::nullopt;
}

}  // namespace

void handle_oidc_logout(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string hint = param(req, "id_token_hint");
  std::string client_id = param(req, "client_id");
  std::string redirect = param(req, "post_logout_redirect_uri");
  if (!hint.empty()) {
    auto from_hint = hinted_client(b, hint);
    if (!from_hint) return send_error_page(res, 400, "invalid_request", "id_token_hint is not a valid ID token");
    if (!client_id.empty() && client_id != *from_hint) {
      return send_error_page(res, 400, "invalid_request", "client_id does not match id_token_hint");
    }
    client_id = *from_hint;
  }
  if (!redirect.empty()) {
    if (client_id.empty()) {
      return send_error_page(res, 400, "invalid_request",
                             "post_logout_redirect_uri needs id_token_hint or client_id");
    }
    if (!logout_url_allowed(b, client_id, redirect)) {
      return send_error_page(res, 400, "invalid_request", "post_logout_redirect_uri is not registered");
    }
  }
  QueryParams params;
  if (std::string state = param(req, "state"); !state.empty() && !redirect.empty()) params.emplace_back("state", state);
  end_session(b, req, res, redirect, params);
}

void handle_v2_logout(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string client_id = param(req, "client_id");
  std::string return_to = param(req, "returnTo");
  if (!return_to.empty() && (client_id.empty() || !logout_url_allowed(b, client_id, return_to))) {
    return send_error_page(res, 400, "invalid_request", "returnTo is not in the client's allowed_logout_urls");
  }
  end_session(b, req, res, return_to, {}, req.has_param("federated"));
}

}  // namespace passerelle
