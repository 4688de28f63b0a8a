// GET /authorize (RFC 6749 §4.1.1, OIDC Core §3.1.2).
#include <algorithm>

#include "http/cookies.h"
#include "http/responses.h"
#include "oidc/authorization_flow.h"
#include "oidc/authorization_response.h"
#include "oidc/endpoints.h"

namespace passerelle {
namespace {

// Where an error about a request whose redirect URI matched goes: only the
// redirect URI, state and response mode are needed to answer. A web_message
// answer needs a registered web origin too, else the error gets a page.
std::optional<AuthorizationRequest> error_target(const httplib::Request& req, const Client& client) {
  AuthorizationRequest target;
  target.redirect_uri = param(req, "redirect_uri");
  target.state = param(req, "state");
  std::string mode = param(req, "response_mode");
  if (mode == "form_post") target.response_mode = mode;
  if (mode == "web_message") {
    const auto& origins = client.settings.allowed_web_origins;
    if (std::find(origins.begin(), origins.end(), url_origin(target.redirect_uri)) == origins.end()) {
      return std::nullopt;
    }
    target.response_mode = mode;
  }
  return target;
}

}  // namespace

void handle_authorize(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto client_id = requested_client_id(req.params);
  if (!client_id) return send_error_page(res, 400, client_id.error().error, client_id.error().description);
  auto client = b.clients().find(*client_id);
  if (!client) return send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
  if (!*client) return send_error_page(res, 400, "invalid_request", "unknown client_id");

  auto request = parse_authorization_request(req.params, **client);
  if (!request) {
    const auto& e = request.error();
    if (!e.redirectable) return send_error_page(res, 400, e.error, e.description);
    auto target = error_target(req, **client);
    if (!target) return send_error_page(res, 400, e.error, e.description);
    return respond_with_error(b, *target, e.error, e.description, res);
  }

  // decide_reprompt says what comes next: a code, an error, or a prompt.
  AuthorizationStep step;
  step.tx.request = std::move(*request);
  step.cookie = find_cookie(req.get_header_value("Cookie"), kSessionCookie).value_or("");
  continue_authorization(b, req, std::move(step), res);
}

}  // namespace passerelle
