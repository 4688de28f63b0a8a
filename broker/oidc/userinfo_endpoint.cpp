// GET|POST /userinfo (OIDC Core §5.3).
#include "core/encoding.h"
#include "http/responses.h"
#include "oidc/access_token_verifier.h"
#include "oidc/endpoints.h"

namespace passerelle {

void handle_userinfo(Broker& b, const httplib::Request& req, httplib::Response& res) {
  auto token = bearer_token(req);
  if (!token) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"passerelle\"");
    return send_oauth_error(res, 401, "invalid_request", "a bearer access token is required");
  }
  auto claims = verify_access_token(b, *token, b.tokens().userinfo_audience());
  if (!claims) {
    if (claims.error().is(ErrorCode::kUnavailable)) {
      return send_oauth_error(res, 503, "temporarily_unavailable", claims.error().message);
    }
    return send_invalid_token(res, claims.error().message);
  }
  auto scopes = split_words(claims->value("scope", ""));
  if (std::find(scopes.begin(), scopes.end(), "openid") == scopes.end()) {
    res.set_header("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"openid\"");
    return send_oauth_error(res, 403, "insufficient_scope", "the openid scope is required");
  }
  auto user = b.users().find_by_id(claims->value("sub", ""));
  if (!user) return send_oauth_error(res, 503, "temporarily_unavailable", "storage is unavailable");
  if (!*user) return send_invalid_token(res, "the user no longer exists");
  res.set_header("Cache-Control", "no-store");
  JsonObjectWriter released;
  add_user_claims(released, **user, scopes);
  send_json(res, 200, released);
}

}  // namespace passerelle
