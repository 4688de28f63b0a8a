#include "oidc/client_authentication.h"

#include "core/encoding.h"
#include "http/responses.h"

namespace passerelle {
namespace {

using Fail = tl::unexpected<ClientAuthError>;

struct Presented {
  std::string client_id;
  std::string secret;
  TokenEndpointAuthMethod method = TokenEndpointAuthMethod::kNone;
};

// RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64.
std::string form_decode(const std::string& s) { return httplib::detail::decode_url(s, true); }

tl::expected<Presented, ClientAuthError> presented_credentials(const httplib::Request& req) {
  std::string authorization = req.get_header_value("Authorization");
  bool has_post_secret = req.has_param("client_secret");
  if (authorization.rfind("Basic ", 0) == 0) {
    if (has_post_secret) {
      return Fail({400, "invalid_request", "use one client authentication method, not two", false});
    }
    auto decoded = base64_decode(authorization.substr(6));
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) return Fail({401, "invalid_client", "malformed Basic credentials", true});
    Presented p{form_decode(decoded->substr(0, colon)), form_decode(decoded->substr(colon + 1)),
                TokenEndpointAuthMethod::kClientSecretBasic};
    std::string body_id = param(req, "client_id");
    if (!body_id.empty() && body_id != p.client_id) {
      return Fail({400, "invalid_request", "client_id differs from the authenticated client", true});
    }
    return p;
  }
  Presented p{param(req, "client_id"), param(req, "client_secret"),
              has_post_secret ? TokenEndpointAuthMethod::kClientSecretPost : TokenEndpointAuthMethod::kNone};
  if (p.client_id.empty()) return Fail({401, "invalid_client", "client authentication is missing", false});
  return p;
}

}  // namespace

tl::expected<Client, ClientAuthError> authenticate_client(Broker& b, const httplib::Request& req) {
  auto presented = presented_credentials(req);
  if (!presented) return Fail(presented.error());
  bool basic = presented->method == TokenEndpointAuthMethod::kClientSecretBasic;
  auto found = b.clients().find(presented->client_id);
  if (!found) return Fail({503, "temporarily_unavailable", "storage is unavailable", false});
  // Unknown client, wrong secret and wrong method all read the same.
  ClientAuthError denied{401, "invalid_client", "client authentication failed", basic};
  if (!*found) return Fail(denied);
  const Client& client = **found;
  if (client.settings.token_endpoint_auth_method != presented->method) return Fail(denied);
  if (presented->method != TokenEndpointAuthMethod::kNone &&
      !ClientRegistry::secret_matches(client, presented->secret)) {
    return Fail(denied);
  }
  return client;
}

void send_client_auth_error(httplib::Response& res, const ClientAuthError& e) {
  if (e.used_basic) res.set_header("WWW-Authenticate", "Basic realm=\"passerelle\"");
  send_oauth_error(res, e.status, e.error, e.description);
}

}  // namespace passerelle
