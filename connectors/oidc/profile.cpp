#include "oidc/profile.h"

#include "common/oauth_util.h"

namespace passerelle::oidc {
namespace {

using connector_util::string_field;

// Protocol claims, not profile: kept out of raw_profile.
const char* const kProtocolClaims[] = {"iss", "aud", "azp", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "jti"};

// Some IdPs send email_verified as the string "true" (§5.1 says boolean).
bool truthy(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return false;
  return (it->is_boolean() && it->get<bool>()) || (it->is_string() && it->get<std::string>() == "true");
}

}  // namespace

Identity identity_from_claims(const nlohmann::json& id_token_claims, const nlohmann::json& userinfo) {
  nlohmann::json profile = id_token_claims;
  for (const char* name : kProtocolClaims) profile.erase(name);
  for (const auto& [key, value] : userinfo.items()) profile[key] = value;
  Identity id;
  id.user_id = string_field(id_token_claims, "sub");
  id.email = string_field(profile, "email");
  id.email_verified = !id.email.empty() && truthy(profile, "email_verified");
  id.name = string_field(profile, "name");
  id.given_name = string_field(profile, "given_name");
  id.family_name = string_field(profile, "family_name");
  id.picture = string_field(profile, "picture");
  id.raw_profile = profile;
  if (auto it = id_token_claims.find("auth_time"); it != id_token_claims.end() && it->is_number_integer()) {
    id.upstream.auth_time = it->get<int64_t>();
  }
  if (auto it = id_token_claims.find("amr"); it != id_token_claims.end() && it->is_array()) {
    for (const auto& method : *it) {
      if (method.is_string()) id.upstream.amr.push_back(method.get<std::string>());
    }
  }
  id.upstream.acr = string_field(id_token_claims, "acr");
  id.upstream.sid = string_field(id_token_claims, "sid");
  return id;
}

}  // namespace passerelle::oidc
