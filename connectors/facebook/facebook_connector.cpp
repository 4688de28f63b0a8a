#include "facebook/facebook_connector.h"

#include "common/oauth_util.h"

namespace passerelle::facebook {
namespace {

using connector_util::string_field;

// The profile fields the broker maps onto an Identity.
constexpr const char* kProfileFields = "id,name,email,first_name,last_name,picture";

// What one login keeps between begin_login and finish_login.
struct PendingLogin {
  bool reauthenticate = false;
  int64_t started_at = 0;
};

std::string encode_state(const PendingLogin& p) {
  return nlohmann::json{{"reauthenticate", p.reauthenticate}, {"started_at", p.started_at}}.dump();
}

PendingLogin decode_state(const std::string& data) {
  PendingLogin p;
  auto doc = connector_util::parse_json_object(data);
  if (!doc) return p;
  if (auto it = doc->find("reauthenticate"); it != doc->end() && it->is_boolean()) p.reauthenticate = it->get<bool>();
  if (auto it = doc->find("started_at"); it != doc->end() && it->is_number_integer()) p.started_at = it->get<int64_t>();
  return p;
}

std::string param(const CallbackRequest& r, const char* name) {
  auto it = r.params.find(name);
  return it == r.params.end() ? "" : it->second;
}

// A Graph API error body: {"error": {"message", "type", "code", ...}}.
std::string graph_error(const std::string& body) {
  auto doc = connector_util::parse_json_object(body);
  if (!doc || !doc->contains("error") || !(*doc)["error"].is_object()) return "no Graph error object";
  const auto& e = (*doc)["error"];
  std::string type = connector_util::safe_token(string_field(e, "type"));
  std::string code = e.contains("code") && e["code"].is_number_integer() ? std::to_string(e["code"].get<int>()) : "?";
  return type + " code " + code;
}

// 5xx, or anything but JSON, means Facebook failed; a 4xx means it refused.
Error graph_failure(const char* call, const HttpResponse& r) {
  std::string what = std::string("facebook: ") + call + " answered HTTP " + std::to_string(r.status);
  if (r.status >= 400 && r.status < 500 && connector_util::parse_json_object(r.body)) {
    return Error::permission_denied(what + " (" + graph_error(r.body) + ")");
  }
  return Error::unavailable(what);
}

}  // namespace

Result<LoginStart> FacebookConnector::begin_login(const LoginRequest& request) {
  connector_util::Params params = {{"client_id", config_.client_id},
                                   {"redirect_uri", request.callback_url},
                                   {"state", request.state},
                                   {"response_type", "code"},
                                   {"scope", config_.scope}};
  // Asks for the password even when Facebook has a session (prompt=login,
  // max_age exceeded): Facebook's "auth_type=reauthenticate".
  if (request.force_reauthentication) params.emplace_back("auth_type", "reauthenticate");
  PendingLogin pending{request.force_reauthentication, host_.clock.now()};
  return LoginStart{connector_util::with_query(config_.authorization_endpoint, params), encode_state(pending)};
}

Result<nlohmann::json> FacebookConnector::exchange_code(const std::string& code, const std::string& callback_url) {
  // Graph API oauth/access_token: redirect_uri must be the dialog's, exactly.
  HttpRequest request;
  request.url = connector_util::with_query(config_.token_endpoint, {{"client_id", config_.client_id},
                                                                    {"redirect_uri", callback_url},
                                                                    {"client_secret", config_.client_secret},
                                                                    {"code", code}});
  auto response = host_.http.send(request);
  if (!response) return fail(Error::unavailable("facebook: code exchange failed: " + response.error().message));
  if (response->status != 200) return fail(graph_failure("the code exchange", *response));
  auto token = connector_util::parse_json_object(response->body);
  if (!token || string_field(*token, "access_token").empty()) {
    return fail(Error::unavailable("facebook: the code exchange returned no access_token"));
  }
  return *token;
}

Result<nlohmann::json> FacebookConnector::read_profile(const std::string& access_token) {
  // appsecret_proof proves the call comes from the app's server, so a
  // leaked user token alone cannot call the Graph API as this app.
  HttpRequest request;
  request.url = connector_util::with_query(
      config_.userinfo_endpoint,
      {{"fields", kProfileFields},
       {"access_token", access_token},
       {"appsecret_proof", connector_util::hmac_sha256_hex(config_.client_secret, access_token)}});
  auto response = host_.http.send(request);
  if (!response) return fail(Error::unavailable("facebook: reading the profile failed: " + response.error().message));
  if (response->status != 200) return fail(graph_failure("the profile request", *response));
  auto profile = connector_util::parse_json_object(response->body);
  if (!profile || string_field(*profile, "id").empty()) {
    return fail(Error::unavailable("facebook: the profile has no id"));
  }
  return *profile;
}

Result<Identity> FacebookConnector::finish_login(const CallbackRequest& request, const std::string& state_data) {
  // A cancelled dialog returns error=access_denied&error_reason=user_denied.
  if (std::string error = param(request, "error"); !error.empty()) {
    std::string reason = connector_util::safe_token(param(request, "error_reason"));
    std::string message = "facebook: " + connector_util::safe_token(error) + (reason.empty() ? "" : " (" + reason + ")");
    if (error == "access_denied") return fail(Error::permission_denied(message));
    return fail(Error::unavailable(message));
  }
  std::string code = param(request, "code");
  if (code.empty()) return fail(Error::invalid_argument("facebook: the callback carries no code"));
  PendingLogin pending = decode_state(state_data);
  auto token = exchange_code(code, request.callback_url);
  if (!token) return fail(token.error());
  std::string access_token = string_field(*token, "access_token");
  auto profile = read_profile(access_token);
  if (!profile) return fail(profile.error());

  Identity id;
  id.provider = "facebook";
  id.user_id = string_field(*profile, "id");  // app-scoped: stable for this app only
  // Absent when the user declined the email permission or has no confirmed
  // address. Facebook does not say whether the address was verified, so it
  // is not claimed to be: linking by email must not trust it.
  id.email = string_field(*profile, "email");
  id.email_verified = false;
  id.name = string_field(*profile, "name");
  id.given_name = string_field(*profile, "first_name");
  id.family_name = string_field(*profile, "last_name");
  if (auto pic = profile->find("picture"); pic != profile->end() && pic->is_object() && pic->contains("data")) {
    if ((*pic)["data"].is_object()) id.picture = string_field((*pic)["data"], "url");
  }
  id.raw_profile = *profile;
  int64_t now = host_.clock.now();
  // Facebook does not report when its user last typed a password; only a
  // reauthenticate dialog that we asked for tells us it happened just now.
  if (pending.reauthenticate) id.upstream.auth_time = now;
  if (auto it = token->find("expires_in"); it != token->end() && it->is_number_integer()) {
    id.upstream.token_expires_at = now + it->get<int64_t>();
  }
  id.connector_data = access_token;  // for logout.php; the broker keeps it sealed
  return id;
}

Result<std::string> FacebookConnector::logout_url(const Identity& identity, const std::string& return_to) {
  if (identity.connector_data.empty()) return fail(Error::not_found("facebook: no access token to log out with"));
  return connector_util::with_query(config_.logout_endpoint,
                                    {{"next", return_to}, {"access_token", identity.connector_data}});
}

Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host) {
  auto config = parse_facebook_config(settings.options);
  if (!config) return fail(config.error());
  return std::unique_ptr<Connector>(new FacebookConnector(std::move(*config), host));
}

}  // namespace passerelle::facebook
