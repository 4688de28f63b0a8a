#include "oidc/oidc_config.h"

#include <algorithm>
#include <sstream>

#include "common/jws.h"

namespace passerelle::oidc {
namespace {

// Parameters begin_login sets; letting options override them would break
// the flow or its protections (state, nonce, PKCE). prompt, max_age and
// login_hint may be set here: the broker's own values win per login.
const std::vector<std::string> kReservedParams = {"response_type", "client_id",      "redirect_uri",
                                                  "state",         "scope",          "nonce",
                                                  "code_challenge", "code_challenge_method"};

// https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken
constexpr const char* kGoogleIssuer = "https://accounts.google.com";
constexpr const char* kGoogleLegacyIssuer = "accounts.google.com";

bool has_openid_scope(const std::string& scope) {
  std::istringstream words(scope);
  std::string word;
  while (words >> word) {
    if (word == "openid") return true;
  }
  return false;
}

}  // namespace

Result<OidcConfig> parse_oidc_config(const nlohmann::json& options, const std::string& strategy) {
  connector_util::OptionsReader r(
      options, {"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                "end_session_endpoint", "client_id", "client_secret", "scope", "token_endpoint_auth_method",
                "id_token_signed_response_algs", "clock_skew", "authorization_params"});
  const bool google = strategy == "google";
  OidcConfig c;
  c.provider = strategy;
  c.issuer = r.url("issuer", google ? kGoogleIssuer : "");
  // Discovery §4.3 compares issuers as strings; a trailing slash would make
  // every ID token's iss differ from the configured one.
  if (!c.issuer.empty() && c.issuer.back() == '/') r.set_error("issuer", "must not end with /");
  c.accepted_issuers = {c.issuer};
  if (google && c.issuer == kGoogleIssuer) c.accepted_issuers.push_back(kGoogleLegacyIssuer);
  c.endpoints.authorization_endpoint = r.optional_url("authorization_endpoint");
  c.endpoints.token_endpoint = r.optional_url("token_endpoint");
  c.endpoints.userinfo_endpoint = r.optional_url("userinfo_endpoint");
  c.endpoints.jwks_uri = r.optional_url("jwks_uri");
  c.endpoints.end_session_endpoint = r.optional_url("end_session_endpoint");
  c.client_id = r.required("client_id");
  c.client_secret = r.required("client_secret");
  c.scope = r.optional("scope", google ? "openid email profile" : "openid profile email");
  if (!has_openid_scope(c.scope)) r.set_error("scope", "must contain openid");
  // OIDC Core §9: client_secret_basic is the default method.
  std::string method = r.one_of("token_endpoint_auth_method", {"client_secret_basic", "client_secret_post"});
  c.client_auth =
      method == "client_secret_post" ? connector_util::ClientAuth::kPost : connector_util::ClientAuth::kBasic;
  c.algorithms = r.string_list("id_token_signed_response_algs", {"RS256", "ES256"});
  const auto& supported = connector_util::supported_jws_algorithms();
  for (const std::string& alg : c.algorithms) {
    if (std::find(supported.begin(), supported.end(), alg) == supported.end()) {
      r.set_error("id_token_signed_response_algs", "each must be one of RS256, PS256, ES256");
    }
  }
  c.clock_skew = r.integer("clock_skew", 60, 0, 600);
  c.authorization_params = r.string_map("authorization_params");
  for (const auto& [name, value] : c.authorization_params) {
    if (std::find(kReservedParams.begin(), kReservedParams.end(), name) != kReservedParams.end()) {
      r.set_error("authorization_params." + name, "is set by the connector");
    }
  }
  if (!r.status()) return fail(r.status().error());
  return c;
}

}  // namespace passerelle::oidc
