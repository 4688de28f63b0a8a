// GET /.well-known/openid-configuration (OIDC Discovery §3, RFC 8414) and
// GET /.well-known/jwks.json.
#include "http/responses.h"
#include "oidc/endpoints.h"

namespace passerelle {

void handle_discovery(Broker& b, const httplib::Request&, httplib::Response& res) {
  nlohmann::json algs = nlohmann::json::array();
  for (JwsAlg a : b.keys().algorithms()) algs.push_back(jws_alg_name(a));
  nlohmann::json doc = {
      {"issuer", b.config().issuer},
      {"authorization_endpoint", b.url("/authorize")},
      {"token_endpoint", b.url("/oauth/token")},
      {"userinfo_endpoint", b.url("/userinfo")},
      {"jwks_uri", b.url("/.well-known/jwks.json")},
      {"revocation_endpoint", b.url("/oauth/revoke")},
      {"end_session_endpoint", b.url("/oidc/logout")},
      {"scopes_supported", {"openid", "profile", "email", "phone", "offline_access"}},
      {"response_types_supported", {"code"}},
      {"response_modes_supported", {"query", "form_post"}},
      {"grant_types_supported", {"authorization_code", "refresh_token", "client_credentials"}},
      {"subject_types_supported", {"public"}},
      {"id_token_signing_alg_values_supported", algs},
      {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post", "none"}},
      {"revocation_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post", "none"}},
      {"code_challenge_methods_supported", {"S256"}},
      {"claims_supported",
       {"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "sid", "email", "email_verified",
        "name", "phone_number"}},
      {"prompt_values_supported", {"none", "login", "consent", "select_account"}},
      {"authorization_response_iss_parameter_supported", true},
      {"request_parameter_supported", false},
      {"frontchannel_logout_supported", false},
      {"backchannel_logout_supported", false},
  };
  res.set_header("Cache-Control", "public, max-age=300");
  send_json(res, 200, doc);
}

void handle_jwks(Broker& b, const httplib::Request&, httplib::Response& res) {
  res.set_header("Cache-Control", "public, max-age=300");
  res.status = 200;
  res.set_content(b.keys().jwks().dump(), "application/jwk-set+json");
}

}  // namespace passerelle
