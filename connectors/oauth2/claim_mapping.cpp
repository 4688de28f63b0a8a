#include "oauth2/claim_mapping.h"

namespace passerelle::oauth2 {
namespace {

using connector_util::json_at_path;

std::string string_at(const nlohmann::json& doc, const std::string& path) {
  const nlohmann::json* value = json_at_path(doc, path);
  return value != nullptr && value->is_string() ? value->get<std::string>() : "";
}

// Upstream ids are opaque strings or, in many APIs, integers.
std::string id_at(const nlohmann::json& doc, const std::string& path) {
  const nlohmann::json* value = json_at_path(doc, path);
  if (value == nullptr) return "";
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_unsigned()) return std::to_string(value->get<uint64_t>());
  if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
  return "";
}

}  // namespace

void read_claim_mapping(connector_util::OptionsReader& reader, ClaimMapping& mapping) {
  for (const auto& [field, path] : reader.string_map("claims")) {
    std::string key = "claims." + field;
    if (path.empty()) return reader.set_error(key, "must not be empty");
    if (field == "user_id") {
      mapping.user_id = {path};
    } else if (field == "email") {
      mapping.email = path;
    } else if (field == "email_verified") {
      mapping.email_verified = path;
    } else if (field == "name") {
      mapping.name = path;
    } else if (field == "given_name") {
      mapping.given_name = path;
    } else if (field == "family_name") {
      mapping.family_name = path;
    } else if (field == "picture") {
      mapping.picture = path;
    } else {
      return reader.set_error(key, "unknown profile field");
    }
  }
}

Result<Identity> map_claims(const ClaimMapping& mapping, const nlohmann::json& userinfo, std::string_view who) {
  Identity id;
  for (const std::string& path : mapping.user_id) {
    id.user_id = id_at(userinfo, path);
    if (!id.user_id.empty()) break;
  }
  if (id.user_id.empty()) {
    std::string paths;
    for (const std::string& path : mapping.user_id) paths += (paths.empty() ? "" : ", ") + path;
    return fail(Error::unavailable(std::string(who) + ": the userinfo response has no user id (" + paths + ")"));
  }
  id.email = string_at(userinfo, mapping.email);
  // Some IdPs (Cognito among them) send the flag as a string.
  if (const nlohmann::json* v = json_at_path(userinfo, mapping.email_verified); v != nullptr) {
    id.email_verified = (v->is_boolean() && v->get<bool>()) || (v->is_string() && v->get<std::string>() == "true");
  }
  id.email_verified = id.email_verified && !id.email.empty();
  id.name = string_at(userinfo, mapping.name);
  id.given_name = string_at(userinfo, mapping.given_name);
  id.family_name = string_at(userinfo, mapping.family_name);
  id.picture = string_at(userinfo, mapping.picture);
  id.raw_profile = userinfo;
  return id;
}

}  // namespace passerelle::oauth2
