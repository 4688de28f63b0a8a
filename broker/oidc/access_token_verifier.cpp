#include "oidc/access_token_verifier.h"

#include "http/responses.h"
#include "jose/jwt.h"
#include "tokens/revocation.h"

namespace passerelle {
namespace {

bool audience_includes(const nlohmann::json& aud, std::string_view wanted) {
  if (aud.is_string()) return aud.get<std::string>() == wanted;
  if (!aud.is_array()) return false;
  for (const auto& a : aud) {
    if (a.is_string() && a.get<std::string>() == wanted) return true;
  }
  return false;
}

}  // namespace

Result<nlohmann::json> verify_access_token(Broker& b, std::string_view token, std::string_view audience) {
  auto algs = b.keys().algorithms();
  auto jwt = verify_jwt(token, b.keys().jwks(), algs);
  if (!jwt) return fail(Error::permission_denied("the access token is invalid"));
  const auto& h = jwt->header;
  const auto& c = jwt->claims;
  // RFC 9068 §4: typ must be at+jwt, so an ID token is never taken for one.
  std::string typ = h.value("typ", "");
  if (typ != "at+jwt" && typ != "application/at+jwt") return fail(Error::permission_denied("not an access token"));
  if (c.value("iss", "") != b.config().issuer) return fail(Error::permission_denied("wrong issuer"));
  if (!c.contains("exp") || !c["exp"].is_number_integer() || c["exp"].get<int64_t>() <= b.clock().now()) {
    return fail(Error::permission_denied("the access token has expired"));
  }
  if (!audience_includes(c.value("aud", nlohmann::json()), audience)) {
    return fail(Error::permission_denied("the access token is not meant for this resource"));
  }
  auto revoked = is_access_token_revoked(b.store(), c.value("jti", ""));
  if (!revoked) return fail(Error::unavailable("storage is unavailable"));
  if (*revoked) return fail(Error::permission_denied("the access token was revoked"));
  return c;
}

std::optional<std::string> bearer_token(const httplib::Request& req) {
  std::string authorization = req.get_header_value("Authorization");
  if (authorization.size() > 7 && (authorization.rfind("Bearer ", 0) == 0 || authorization.rfind("bearer ", 0) == 0)) {
    return authorization.substr(7);
  }
  if (req.method == "POST" && req.has_param("access_token")) return param(req, "access_token");
  return std::nullopt;
}

void send_invalid_token(httplib::Response& res, const std::string& description) {
  res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"" + description + "\"");
  send_oauth_error(res, 401, "invalid_token", description);
}

}  // namespace passerelle
