#include "github/github_connector.h"

#include "common/authorization_response.h"
#include "common/bearer_api.h"
#include "common/oauth_util.h"
#include "common/pkce.h"
#include "common/token_endpoint.h"

namespace passerelle::github {
namespace {

using connector_util::string_field;

// REST API conventions (docs.github.com/rest/using-the-rest-api): the media
// type, a pinned API version, and a User-Agent, without which GitHub
// answers 403.
std::vector<HttpHeader> api_headers() {
  return {{"Accept", "application/vnd.github+json"},
          {"X-GitHub-Api-Version", "2022-11-28"},
          {"User-Agent", "Passerelle"}};
}

// GitHub's user id is a JSON number; it is kept as its decimal digits.
std::string user_id_of(const nlohmann::json& user) {
  auto it = user.find("id");
  if (it == user.end()) return "";
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer() && it->get<int64_t>() > 0) return std::to_string(it->get<int64_t>());
  return "";
}

}  // namespace

Result<LoginStart> GithubConnector::begin_login(const LoginRequest& request) {
  connector_util::Params params = {{"client_id", config_.client_id},
                                   {"redirect_uri", request.callback_url},
                                   {"scope", config_.scope},
                                   {"state", request.state}};
  // "login" suggests the account to sign in with, like OIDC's login_hint.
  if (!request.login_hint.empty()) params.emplace_back("login", request.login_hint);
  // The most GitHub offers towards a new login: the user confirms or
  // switches the account, though a session there still skips the password.
  if (request.force_reauthentication) params.emplace_back("prompt", "select_account");
  // GitHub accepts PKCE (S256 only) since July 2025, and recommends it.
  auto verifier = connector_util::add_pkce_challenge(params);
  if (!verifier) return fail(verifier.error());
  nlohmann::json pending = {{"code_verifier", *verifier}};
  return LoginStart{connector_util::with_query(config_.authorization_endpoint, params), pending.dump()};
}

Result<std::pair<std::string, bool>> GithubConnector::primary_email(const std::string& access_token) {
  auto emails = connector_util::get_json_with_token(host_.http, config_.emails_endpoint, access_token, api_headers(),
                                                    "github", "the emails request");
  if (!emails) {
    // Without the user:email scope (a narrower "scope" option) GitHub
    // refuses the list: the login goes on without an address.
    if (!emails.error().is(ErrorCode::kPermissionDenied)) return fail(emails.error());
    host_.logger.log(LogLevel::kWarning, "github.emails_refused", {{"reason", emails.error().message}});
    return std::pair<std::string, bool>{"", false};
  }
  if (!emails->is_array()) return fail(Error::unavailable("github: the emails response is not a JSON array"));
  // Only the primary address, and only once verified: an unverified or
  // secondary address must not let its claimant link to an account.
  for (const auto& e : *emails) {
    if (!e.is_object()) continue;
    auto is_true = [&e](const char* key) {
      auto it = e.find(key);
      return it != e.end() && it->is_boolean() && it->get<bool>();
    };
    bool primary = is_true("primary");
    bool verified = is_true("verified");
    std::string email = string_field(e, "email");
    if (primary && verified && !email.empty()) return std::pair<std::string, bool>{email, true};
  }
  return std::pair<std::string, bool>{"", false};
}

Result<Identity> GithubConnector::finish_login(const CallbackRequest& request, const std::string& state_data) {
  // A cancel comes back as error=access_denied; a redirect_uri GitHub does
  // not know, as error=redirect_uri_mismatch at the registered callback.
  auto code = connector_util::authorization_code(request, "github");
  if (!code) return fail(code.error());
  auto pending = connector_util::parse_json_object(state_data);
  std::string verifier = pending ? string_field(*pending, "code_verifier") : "";
  if (verifier.empty()) return fail(Error::internal("github: the login state has no PKCE verifier"));
  // GitHub answers form-encoded unless asked for JSON (request_token asks),
  // and reports a bad code as 200 {"error": "bad_verification_code"}.
  connector_util::ClientCredentials client{config_.client_id, config_.client_secret,
                                           connector_util::ClientAuth::kPost};
  auto token = connector_util::request_token(
      host_.http, config_.token_endpoint, client,
      {{"code", *code}, {"redirect_uri", request.callback_url}, {"code_verifier", verifier}}, "github");
  if (!token) return fail(token.error());
  auto user = connector_util::get_json_with_token(host_.http, config_.userinfo_endpoint, token->access_token,
                                                  api_headers(), "github", "the profile request");
  if (!user) return fail(user.error());
  if (!user->is_object() || user_id_of(*user).empty()) return fail(Error::unavailable("github: the profile has no id"));
  auto email = primary_email(token->access_token);
  if (!email) return fail(email.error());

  Identity id;
  id.provider = "github";
  id.user_id = user_id_of(*user);  // stable; the login can be renamed
  id.email = email->first;
  id.email_verified = email->second;
  // Many accounts have no display name: the login is what GitHub shows then.
  id.name = string_field(*user, "name");
  if (id.name.empty()) id.name = string_field(*user, "login");
  id.picture = string_field(*user, "avatar_url");
  id.raw_profile = *user;
  // Only GitHub Apps with expiring user tokens say when the token ends.
  if (token->expires_in) id.upstream.token_expires_at = host_.clock.now() + *token->expires_in;
  return id;
}

Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host) {
  auto config = parse_github_config(settings.options);
  if (!config) return fail(config.error());
  return std::unique_ptr<Connector>(new GithubConnector(std::move(*config), host));
}

}  // namespace passerelle::github
