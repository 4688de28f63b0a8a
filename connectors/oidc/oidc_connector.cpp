#include "oidc/oidc_connector.h"

#include <openssl/rand.h>

#include "common/authorization_response.h"
#include "common/bearer_api.h"
#include "common/oauth_util.h"
#include "common/pkce.h"
#include "oidc/discovery.h"
#include "oidc/profile.h"

namespace passerelle::oidc {
namespace {

using connector_util::Params;
using connector_util::parse_json_object;
using connector_util::string_field;

Result<std::string> new_nonce() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail(Error::internal("no randomness for a nonce"));
  return connector_util::base64_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes), true);
}

// Sets `name` in `params`, replacing a value from the options.
void set_param(Params& params, const std::string& name, const std::string& value) {
  for (auto& [k, v] : params) {
    if (k == name) {
      v = value;
      return;
    }
  }
  params.emplace_back(name, value);
}

// A refresh answered without an ID token says nothing new about the IdP's
// session, nor (without userinfo) about the user: the login's facts stay.
void keep_login_facts(const Identity& before, bool profile_too, Identity& after) {
  after.upstream.auth_time = before.upstream.auth_time;
  after.upstream.amr = before.upstream.amr;
  after.upstream.acr = before.upstream.acr;
  after.upstream.sid = before.upstream.sid;
  if (!profile_too) return;
  after.email = before.email;
  after.email_verified = before.email_verified;
  after.name = before.name;
  after.given_name = before.given_name;
  after.family_name = before.family_name;
  after.picture = before.picture;
  after.raw_profile = before.raw_profile;
}

}  // namespace

Result<ProviderEndpoints> OidcConnector::endpoints() { return resolve_endpoints(config_, host_.json_cache); }

IdTokenExpectations OidcConnector::expectations(std::string nonce) const {
  return {config_.accepted_issuers, config_.client_id, std::move(nonce), host_.clock.now(), config_.clock_skew,
          std::nullopt};
}

Result<LoginStart> OidcConnector::begin_login(const LoginRequest& request) {
  auto found = endpoints();
  if (!found) return fail(found.error());
  auto nonce = new_nonce();
  if (!nonce) return fail(nonce.error());
  Params params = {{"response_type", "code"},
                   {"client_id", config_.client_id},
                   {"redirect_uri", request.callback_url},
                   {"scope", config_.scope},
                   {"state", request.state},
                   {"nonce", *nonce}};
  auto verifier = connector_util::add_pkce_challenge(params);
  if (!verifier) return fail(verifier.error());
  for (const auto& p : config_.authorization_params) params.push_back(p);
  // §3.1.2.1: prompt=login makes the IdP ask again even with a session.
  if (request.force_reauthentication) set_param(params, "prompt", "login");
  if (request.max_age) set_param(params, "max_age", std::to_string(*request.max_age));
  if (!request.login_hint.empty()) set_param(params, "login_hint", request.login_hint);
  nlohmann::json pending = {{"code_verifier", *verifier}, {"nonce", *nonce}};
  if (request.max_age) pending["max_age"] = *request.max_age;
  return LoginStart{connector_util::with_query(found->authorization_endpoint, params), pending.dump()};
}

Result<Identity> OidcConnector::finish_login(const CallbackRequest& request, const std::string& state_data) {
  const std::string& who = config_.provider;
  auto found = endpoints();
  if (!found) return fail(found.error());
  // RFC 9207 §2.4: an iss in the response must be our IdP's (mix-up
  // attacks), and must be there when the IdP says it always sends one.
  auto iss = request.params.find("iss");
  if (iss != request.params.end() ? iss->second != config_.issuer : found->authorization_response_iss) {
    return fail(Error::invalid_argument(who + ": the authorization response does not name this issuer"));
  }
  auto code = connector_util::authorization_code(request, who);
  if (!code) return fail(code.error());
  auto pending = parse_json_object(state_data);
  if (!pending || string_field(*pending, "code_verifier").empty() || string_field(*pending, "nonce").empty()) {
    return fail(Error::internal(who + ": the login state has no PKCE verifier or nonce"));
  }
  Params grant = {{"grant_type", "authorization_code"},
                  {"code", *code},
                  {"redirect_uri", request.callback_url},
                  {"code_verifier", string_field(*pending, "code_verifier")}};
  auto token = connector_util::request_token(host_.http, found->token_endpoint,
                                             {config_.client_id, config_.client_secret, config_.client_auth},
                                             std::move(grant), who);
  if (!token) return fail(token.error());
  if (token->id_token.empty()) return fail(Error::unavailable(who + ": the token endpoint returned no id_token"));
  IdTokenExpectations expected = expectations(string_field(*pending, "nonce"));
  if (auto it = pending->find("max_age"); it != pending->end() && it->is_number_integer()) {
    expected.max_age = it->get<int64_t>();
  }
  auto claims = verify_id_token(token->id_token, found->jwks_uri, keys_, config_.algorithms, expected);
  if (!claims) {
    host_.logger.log(LogLevel::kWarning, "oidc_id_token_refused",
                     {{"provider", who}, {"reason", claims.error().message}});
    return fail(Error{claims.error().code, who + ": " + claims.error().message});
  }
  return identity_for(*token, *claims, *found);
}

Result<Identity> OidcConnector::identity_for(const connector_util::TokenResponse& token, const nlohmann::json& claims,
                                             const ProviderEndpoints& found) {
  const std::string& who = config_.provider;
  nlohmann::json userinfo = nlohmann::json::object();
  if (!found.userinfo_endpoint.empty()) {
    auto fetched = connector_util::get_json_with_token(host_.http, found.userinfo_endpoint, token.access_token, {},
                                                       who, "the userinfo request");
    if (!fetched) return fail(fetched.error());
    // §5.3.2: the userinfo's sub must be the ID token's, or it is someone
    // else's profile and must not be used.
    if (!fetched->is_object() || string_field(*fetched, "sub") != string_field(claims, "sub")) {
      return fail(Error::unavailable(who + ": the userinfo response is not about the ID token's subject"));
    }
    userinfo = std::move(*fetched);
  }
  Identity id = identity_from_claims(claims, userinfo);
  id.provider = who;
  if (token.expires_in) id.upstream.token_expires_at = host_.clock.now() + *token.expires_in;
  nlohmann::json data = {{"id_token", token.id_token}};
  if (!token.refresh_token.empty()) data["refresh_token"] = token.refresh_token;
  id.connector_data = data.dump();
  return id;
}

Result<Identity> OidcConnector::refresh(const Identity& identity) {
  const std::string& who = config_.provider;
  auto data = parse_json_object(identity.connector_data);
  std::string refresh_token = data ? string_field(*data, "refresh_token") : "";
  if (refresh_token.empty()) {
    return fail(Error::permission_denied(who + ": the IdP issued no refresh token; log in again"));
  }
  auto found = endpoints();
  if (!found) return fail(found.error());
  auto token = connector_util::request_token(host_.http, found->token_endpoint,
                                             {config_.client_id, config_.client_secret, config_.client_auth},
                                             {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}}, who);
  if (!token) return fail(token.error());
  nlohmann::json claims = {{"sub", identity.user_id}};
  if (!token->id_token.empty()) {
    auto verified = verify_id_token(token->id_token, found->jwks_uri, keys_, config_.algorithms, expectations(""));
    if (!verified) return fail(Error{verified.error().code, who + ": " + verified.error().message});
    if (string_field(*verified, "sub") != identity.user_id) {
      return fail(Error::unavailable(who + ": the refreshed ID token is about another subject"));
    }
    claims = std::move(*verified);
  }
  auto id = identity_for(*token, claims, *found);
  if (!id) return fail(id.error());
  id->connection = identity.connection;
  nlohmann::json kept = nlohmann::json::parse(id->connector_data, nullptr, false);
  if (token->id_token.empty()) {
    keep_login_facts(identity, /*profile_too=*/found->userinfo_endpoint.empty(), *id);
    kept["id_token"] = string_field(*data, "id_token");  // still the logout hint
  }
  // §12.2 / RFC 6749 §6: without a new refresh token, the old one stays good.
  if (token->refresh_token.empty()) kept["refresh_token"] = refresh_token;
  id->connector_data = kept.dump();
  return id;
}

Result<std::string> OidcConnector::logout_url(const Identity& identity, const std::string& return_to) {
  auto found = endpoints();
  if (!found) return fail(found.error());
  if (found->end_session_endpoint.empty()) {
    return fail(Error::not_found(config_.provider + ": the IdP has no end_session_endpoint"));
  }
  Params params;
  // RP-Initiated Logout §2: the ID token tells the IdP whose session ends.
  auto data = parse_json_object(identity.connector_data);
  if (std::string hint = data ? string_field(*data, "id_token") : ""; !hint.empty()) {
    params.emplace_back("id_token_hint", hint);
  }
  if (!return_to.empty()) params.emplace_back("post_logout_redirect_uri", return_to);
  params.emplace_back("client_id", config_.client_id);
  return connector_util::with_query(found->end_session_endpoint, params);
}

Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host) {
  auto config = parse_oidc_config(settings.options, settings.strategy);
  if (!config) return fail(config.error());
  return std::unique_ptr<Connector>(new OidcConnector(std::move(*config), host));
}

}  // namespace passerelle::oidc
