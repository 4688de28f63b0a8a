#include "oauth2/oauth2_connector.h"

#include "common/authorization_response.h"
#include "common/bearer_api.h"
#include "common/oauth_util.h"
#include "common/pkce.h"

namespace passerelle::oauth2 {
namespace {

using connector_util::parse_json_object;
using connector_util::string_field;

// state_data and connector_data are small JSON objects; a member that is
// missing reads as "".
std::string member(const std::string& data, const char* key) {
  auto doc = parse_json_object(data);
  return doc ? string_field(*doc, key) : "";
}

}  // namespace

connector_util::ClientCredentials OAuth2Connector::credentials() const {
  return {config_.client_id, config_.client_secret, config_.client_auth};
}

Result<LoginStart> OAuth2Connector::begin_login(const LoginRequest& request) {
  connector_util::Params params = {{"response_type", "code"},
                                   {"client_id", config_.client_id},
                                   {"redirect_uri", request.callback_url},
                                   {"state", request.state}};
  if (!config_.scope.empty()) params.emplace_back("scope", config_.scope);
  nlohmann::json pending = nlohmann::json::object();
  if (config_.use_pkce) {
    auto verifier = connector_util::add_pkce_challenge(params);
    if (!verifier) return fail(verifier.error());
    pending["code_verifier"] = *verifier;
  }
  for (const auto& p : config_.authorization_params) params.push_back(p);
  return LoginStart{connector_util::with_query(config_.authorization_endpoint, params), pending.dump()};
}

Result<Identity> OAuth2Connector::finish_login(const CallbackRequest& request, const std::string& state_data) {
  auto code = connector_util::authorization_code(request, config_.provider);
  if (!code) return fail(code.error());
  // §4.1.3: redirect_uri again, exactly as in the authorization request.
  connector_util::Params grant = {
      {"grant_type", "authorization_code"}, {"code", *code}, {"redirect_uri", request.callback_url}};
  if (config_.use_pkce) {
    std::string verifier = member(state_data, "code_verifier");
    if (verifier.empty()) return fail(Error::internal(config_.provider + ": the login state has no PKCE verifier"));
    grant.emplace_back("code_verifier", verifier);
  }
  auto token = connector_util::request_token(host_.http, config_.token_endpoint, credentials(), std::move(grant),
                                             config_.provider);
  if (!token) return fail(token.error());
  return identity_for(*token, "");
}

Result<Identity> OAuth2Connector::refresh(const Identity& identity) {
  std::string refresh_token = member(identity.connector_data, "refresh_token");
  if (refresh_token.empty()) {
    return fail(Error::permission_denied(config_.provider + ": the IdP issued no refresh token; log in again"));
  }
  // RFC 6749 §6; scope omitted: the grant's original scope is kept.
  auto token = connector_util::request_token(host_.http, config_.token_endpoint, credentials(),
                                             {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}},
                                             config_.provider);
  if (!token) return fail(token.error());
  auto refreshed = identity_for(*token, refresh_token);
  if (refreshed) refreshed->connection = identity.connection;
  return refreshed;
}

Result<Identity> OAuth2Connector::identity_for(const connector_util::TokenResponse& token,
                                               const std::string& previous_refresh_token) {
  auto userinfo = connector_util::get_json_with_token(host_.http, config_.userinfo_endpoint, token.access_token, {},
                                                      config_.provider, "the userinfo request");
  if (!userinfo) return fail(userinfo.error());
  if (!userinfo->is_object()) {
    return fail(Error::unavailable(config_.provider + ": the userinfo response is not a JSON object"));
  }
  auto id = map_claims(config_.claims, *userinfo, config_.provider);
  if (!id) return fail(id.error());
  id->provider = config_.provider;
  if (token.expires_in) id->upstream.token_expires_at = host_.clock.now() + *token.expires_in;
  // §6: the IdP may issue a new refresh token, else the old one stays good.
  std::string refresh_token = token.refresh_token.empty() ? previous_refresh_token : token.refresh_token;
  if (!refresh_token.empty()) id->connector_data = nlohmann::json{{"refresh_token", refresh_token}}.dump();
  return id;
}

Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host) {
  auto config = parse_oauth2_config(settings.options, settings.strategy);
  if (!config) return fail(config.error());
  return std::unique_ptr<Connector>(new OAuth2Connector(std::move(*config), host));
}

}  // namespace passerelle::oauth2
