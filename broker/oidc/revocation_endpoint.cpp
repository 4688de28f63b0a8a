// POST /oauth/revoke (RFC 7009). A refresh token revokes its whole family;
// an access token issued by the broker goes on the revocation list. Per RFC 7009
// §2.2 an unknown or invalid token is not an error.
#include "http/responses.h"
#include "jose/jwt.h"
#include "oidc/client_authentication.h"
#include "oidc/endpoints.h"
#include "tokens/revocation.h"

namespace passerelle {

void handle_revoke(Broker& b, const httplib::Request& req, httplib::Response& res) {
  if (has_repeated_param(req)) return send_oauth_error(res, 400, "invalid_request", "a parameter is repeated");
  auto client = authenticate_client(b, req);
  if (!client) return send_client_auth_error(res, client.error());
  std::string token = param(req, "token");
  if (token.empty()) return send_oauth_error(res, 400, "invalid_request", "token is missing");
  // Refresh tokens are opaque; access tokens are JWTs (they contain dots).
  if (token.find('.') == std::string::npos) {
    auto st = b.refresh_tokens().revoke(token, client->id(), "revoked by the client");
    if (!st) return send_oauth_error(res, 503, "temporarily_unavailable", "storage is unavailable");
    res.status = 200;
    return;
  }
  auto jwt = verify_jwt(token, b.keys().jwks(), b.keys().algorithms());
  if (jwt && jwt->claims.value("client_id", "") == client->id() && jwt->claims.contains("jti")) {
    int64_t exp = jwt->claims.value("exp", int64_t(0));
    std::string jti = jwt->claims.value("jti", "");
    auto st = b.store().update([&](storage::WriteTxn& txn) { return revoke_access_token(txn, jti, exp); });
    if (!st) return send_oauth_error(res, 503, "temporarily_unavailable", "storage is unavailable");
  }
  res.status = 200;
}

}  // namespace passerelle
