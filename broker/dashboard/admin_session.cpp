#include "dashboard/admin_session.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"
#include "http/cookies.h"
#include "http/responses.h"

namespace passerelle::dashboard {
namespace {

// Holds "state.verifier" between the redirect to /authorize and the callback.
constexpr const char* kLoginCookie = "passerelle_dashboard_login";
constexpr const char* kHome = "/dashboard/applications";

std::string callback_url(const Broker& b) { return b.url("/dashboard/callback"); }

CookieOptions login_cookie_options(const Broker& b, int64_t max_age) {
  CookieOptions options;
  options.secure = b.secure_cookies();
  options.path = "/dashboard";
  options.max_age = max_age;
  return options;
}

void start_login(Broker& b, httplib::Response& res) {
  std::string state = random_token();
  std::string verifier = random_token();
  res.set_header("Set-Cookie", set_cookie_value(kLoginCookie, state + "." + verifier, login_cookie_options(b, 600)));
  send_redirect(res, with_query(b.url("/authorize"), {{"client_id", kClientId},
                                                      {"redirect_uri", callback_url(b)},
                                                      {"response_type", "code"},
                                                      {"scope", "openid"},
                                                      {"state", state},
                                                      {"code_challenge", base64url_encode(sha256(verifier))},
                                                      {"code_challenge_method", "S256"}}));
}

bool is_admin(const User& user) {
  return !user.blocked && std::ranges::find(user.roles, kAdminRole) != user.roles.end();
}

}  // namespace

ClientConfig client_settings(const std::string& issuer) {
  ClientConfig c;
  c.client_id = kClientId;
  c.name = "Passerelle Dashboard";
  c.app_type = AppType::kSpa;
  c.token_endpoint_auth_method = TokenEndpointAuthMethod::kNone;
  c.grant_types = {"authorization_code"};
  c.redirect_uris = {issuer + "/dashboard/callback"};
  return c;
}

std::optional<User> require_admin(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string cookie = find_cookie(req.get_header_value("Cookie"), kSessionCookie).value_or("");
  auto session = b.sessions().find(cookie);
  if (!session) {
    send_error_page(res, 503, "temporarily_unavailable", "storage is unavailable");
    return std::nullopt;
  }
  if (!*session || !(*session)->authenticated) {
    start_login(b, res);
    return std::nullopt;
  }
  auto user = b.users().find_by_id((*session)->user_id);
  if (!user || !*user || (*user)->credentials_changed_at > (*session)->auth_time) {
    start_login(b, res);
    return std::nullopt;
  }
  if (!is_admin(**user)) {
    send_error_page(res, 403, "access_denied", "the dashboard is for administrators");
    return std::nullopt;
  }
  return std::move(**user);
}

void handle_callback(Broker& b, const httplib::Request& req, httplib::Response& res) {
  std::string pending = find_cookie(req.get_header_value("Cookie"), kLoginCookie).value_or("");
  res.set_header("Set-Cookie", set_cookie_value(kLoginCookie, "", login_cookie_options(b, 0)));
  size_t dot = pending.find('.');
  if (dot == std::string::npos || !constant_time_equals(pending.substr(0, dot), param(req, "state"))) {
    return send_error_page(res, 400, "invalid_request", "the login did not start here; open the dashboard again");
  }
  if (std::string error = param(req, "error"); !error.empty()) {
    return send_error_page(res, 403, error, param(req, "error_description"));
  }
  IssuedAccessToken plan = b.tokens().plan_access_token();
  auto code = b.codes().redeem({param(req, "code"), kClientId, callback_url(b), pending.substr(dot + 1), plan.jti,
                                plan.expires_at});
  if (!code) return send_error_page(res, 400, "invalid_grant", code.error().message);
  send_redirect(res, kHome);
}

}  // namespace passerelle::dashboard
