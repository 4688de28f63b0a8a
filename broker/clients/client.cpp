#include "clients/client.h"

namespace passerelle {
namespace {

AppType app_type_from(const std::string& s) {
  if (s == "spa") return AppType::kSpa;
  if (s == "native") return AppType::kNative;
  if (s == "non_interactive") return AppType::kNonInteractive;
  return AppType::kRegularWeb;
}

TokenEndpointAuthMethod auth_method_from(const std::string& s) {
  if (s == "none") return TokenEndpointAuthMethod::kNone;
  if (s == "client_secret_post") return TokenEndpointAuthMethod::kClientSecretPost;
  return TokenEndpointAuthMethod::kClientSecretBasic;
}

}  // namespace

void to_json(nlohmann::json& j, const RefreshTokenPolicy& p) {
  j = {{"rotating", p.rotating},
       {"expiring", p.expiring},
       {"token_lifetime", p.token_lifetime},
       {"infinite_token_lifetime", p.infinite_token_lifetime},
       {"idle_token_lifetime", p.idle_token_lifetime},
       {"infinite_idle_token_lifetime", p.infinite_idle_token_lifetime},
       {"leeway", p.leeway}};
}

void from_json(const nlohmann::json& j, RefreshTokenPolicy& p) {
  p.rotating = j.at("rotating").get<bool>();
  p.expiring = j.at("expiring").get<bool>();
  p.token_lifetime = j.at("token_lifetime").get<int64_t>();
  p.infinite_token_lifetime = j.at("infinite_token_lifetime").get<bool>();
  p.idle_token_lifetime = j.at("idle_token_lifetime").get<int64_t>();
  p.infinite_idle_token_lifetime = j.at("infinite_idle_token_lifetime").get<bool>();
  p.leeway = j.at("leeway").get<int64_t>();
}

void to_json(nlohmann::json& j, const ClientConfig& c) {
  j = {{"client_id", c.client_id},
       {"name", c.name},
       {"app_type", app_type_name(c.app_type)},
       {"token_endpoint_auth_method", auth_method_name(c.token_endpoint_auth_method)},
       {"grant_types", c.grant_types},
       {"redirect_uris", c.redirect_uris},
       {"allowed_web_origins", c.allowed_web_origins},
       {"allowed_logout_urls", c.allowed_logout_urls},
       {"management_scopes", c.management_scopes},
       {"require_mfa", c.require_mfa},
       {"is_first_party", c.is_first_party},
       {"refresh_token", c.refresh_token}};
}

void from_json(const nlohmann::json& j, ClientConfig& c) {
  c.client_id = j.at("client_id").get<std::string>();
  c.name = j.at("name").get<std::string>();
  c.app_type = app_type_from(j.at("app_type").get<std::string>());
  c.token_endpoint_auth_method = auth_method_from(j.at("token_endpoint_auth_method").get<std::string>());
  c.grant_types = j.at("grant_types").get<std::vector<std::string>>();
  c.redirect_uris = j.at("redirect_uris").get<std::vector<std::string>>();
  c.allowed_web_origins = j.at("allowed_web_origins").get<std::vector<std::string>>();
  c.allowed_logout_urls = j.at("allowed_logout_urls").get<std::vector<std::string>>();
  c.management_scopes = j.at("management_scopes").get<std::vector<std::string>>();
  c.require_mfa = j.at("require_mfa").get<bool>();
  c.is_first_party = j.value("is_first_party", true);  // absent from records stored before it existed
  c.refresh_token = j.at("refresh_token").get<RefreshTokenPolicy>();
}

void to_json(nlohmann::json& j, const Client& c) {
  j = {{"settings", c.settings},
       {"secret_salt", c.secret_salt},
       {"secret_hash", c.secret_hash},
       {"seeded_from", c.seeded_from}};
}

void from_json(const nlohmann::json& j, Client& c) {
  c.settings = j.at("settings").get<ClientConfig>();
  c.secret_salt = j.at("secret_salt").get<std::string>();
  c.secret_hash = j.at("secret_hash").get<std::string>();
  c.seeded_from = j.at("seeded_from").get<std::string>();
}

}  // namespace passerelle
