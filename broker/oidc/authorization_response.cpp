#include "oidc/authorization_response.h"

#include "core/secrets.h"
#include "http/cookies.h"
#include "http/responses.h"
#include "ui/pages.h"

namespace passerelle {
namespace {

// S10: the page posts the response to its parent, targeting exactly the
// redirect URI's origin (checked against allowed_web_origins when the request
// was parsed), never "*"; only that origin may frame it.
void deliver_web_message(const AuthorizationRequest& request, const QueryParams& params, httplib::Response& res) {
  nlohmann::json response = nlohmann::json::object();
  for (const auto& [k, v] : params) response[k] = v;
  std::string origin = url_origin(request.redirect_uri);
  std::string nonce = random_token();
  send_html(res, 200, web_message_page({{"type", "authorization_response"}, {"response", response}}, origin, nonce));
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'nonce-" + nonce +
                                                "'; frame-ancestors " + origin);
}

void deliver(Broker& b, const AuthorizationRequest& request, QueryParams params, httplib::Response& res) {
  if (!request.state.empty()) params.emplace_back("state", request.state);
  params.emplace_back("iss", b.config().issuer);  // RFC 9207 §2
  if (request.response_mode == "web_message") return deliver_web_message(request, params, res);
  if (request.response_mode == "form_post") return send_form_post(res, request.redirect_uri, params);
  send_redirect(res, with_query(request.redirect_uri, params));
}

}  // namespace

void send_form_post(httplib::Response& res, const std::string& action,
                    const QueryParams& fields) {
  std::string nonce = random_token();
  send_html(res, 200, form_post_page(action, fields, nonce));
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'self'; script-src 'nonce-" + nonce + "'; frame-ancestors 'none'");
}

void set_session_cookie(Broker& b, httplib::Response& res, const std::string& cookie) {
  CookieOptions options;
  options.secure = b.secure_cookies();
  // Over https the cookie must also reach the broker inside an SPA's hidden
  // iframe on another site (S10), which takes SameSite=None; forms stay
  // protected by their CSRF tokens. Plain http (loopback, demos) keeps Lax.
  if (options.secure) options.same_site = "None";
  if (cookie.empty()) options.max_age = 0;
  res.set_header("Set-Cookie", set_cookie_value(kSessionCookie, cookie, options));
}

void respond_with_code(Broker& b, const AuthorizationRequest& request, const std::string& cookie,
                       const BrokerSession& session, httplib::Response& res) {
  AuthorizationCode code;
  code.client_id = request.client_id;
  code.redirect_uri = request.redirect_uri;
  code.user_id = session.user_id;
  code.sid = session.sid;
  code.scope = request.scope;
  code.nonce = request.nonce;
  code.code_challenge = request.code_challenge;
  code.auth_time = session.auth_time;
  code.amr = session.amr;
  code.acr = session.acr;
  // One transaction, so one commit: the code and the session's renewal.
  std::string value;
  Status st = b.sessions().touch(cookie, request.client_id, [&](storage::WriteTxn& txn) -> Status {
    auto issued = b.codes().issue_in(txn, code);
    if (!issued) return fail(issued.error());
    value = std::move(*issued);
    return {};
  });
  if (!st) {
    return respond_with_error(b, request, "server_error",
                              st.error().is(ErrorCode::kNotFound) ? "the session could not be updated"
                                                                  : "could not issue a code",
                              res);
  }
  deliver(b, request, {{"code", value}}, res);
}

void respond_with_error(Broker& b, const AuthorizationRequest& request, const std::string& error,
                        const std::string& description, httplib::Response& res) {
  deliver(b, request, {{"error", error}, {"error_description", description}}, res);
}

}  // namespace passerelle
