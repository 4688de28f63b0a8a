// "connections" (where users come from) and "users" (database users seeded
// at start-up).
#include <algorithm>

#include "config/sections.h"
#include "config/url_rules.h"
#include "core/encoding.h"

namespace passerelle::config_sections {
namespace {

constexpr const char* kDefaultConnectionName = "Username-Password-Authentication";  // Auth0's name for it

std::vector<std::string> all_client_ids(const std::vector<ClientConfig>& clients) {
  std::vector<std::string> ids;
  ids.reserve(clients.size());
  for (const ClientConfig& c : clients) ids.push_back(c.client_id);
  return ids;
}

std::vector<std::string> read_enabled_clients(const JsonReader& r, const std::vector<ClientConfig>& clients) {
  std::optional<std::vector<std::string>> ids = r.string_array("enabled_clients");
  if (!ids) return all_client_ids(clients);
  for (size_t i = 0; i < ids->size(); ++i) {
    const std::string& id = (*ids)[i];
    std::string path = json_path_index(r.path_of("enabled_clients"), i);
    bool known =
        std::any_of(clients.begin(), clients.end(), [&](const ClientConfig& c) { return c.client_id == id; });
    if (!known) throw_at(path, "names no configured client");
    if (repeats_earlier(*ids, i)) throw_at(path, "listed twice");
  }
  return std::move(*ids);
}

// The options the broker itself reads are taken out before the connector
// sees the rest, so every connector accepts them without knowing them.
void take_broker_options(ConnectionConfig& c, const std::string& path) {
  auto take_bool = [&](const char* key, bool& out) {
    auto it = c.options.find(key);
    if (it == c.options.end()) return;
    if (!it->is_boolean()) throw_at(json_path_key(path, key), "must be true or false");
    out = it->get<bool>();
    c.options.erase(it);
  };
  take_bool("trust_upstream_mfa", c.trust_upstream_mfa);
  take_bool("link_by_verified_email", c.link_by_verified_email);
  if (auto it = c.options.find("display_name"); it != c.options.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      throw_at(json_path_key(path, "display_name"), "must be a non-empty string");
    }
    c.display_name = it->get<std::string>();
    c.options.erase(it);
  }
}

ConnectionConfig read_connection(const nlohmann::json& value, const std::string& path,
                                 const std::vector<ClientConfig>& clients) {
  JsonReader r(value, path, {"name", "strategy", "options", "enabled_clients"});
  ConnectionConfig c;
  c.name = r.required_string("name");
  c.strategy = r.required_string("strategy");
  // Free-form: only the connector knows its options, and checks them when
  // the connection is opened.
  if (const nlohmann::json* options = r.object("options")) c.options = *options;
  take_broker_options(c, r.path_of("options"));
  c.enabled_clients = read_enabled_clients(r, clients);
  return c;
}

UserConfig read_user(const nlohmann::json& value, const std::string& path) {
  JsonReader r(value, path, {"email", "password", "phone_number", "roles"});
  UserConfig u;
  u.email = r.required_string("email");
  if (!is_email_address(u.email)) throw_at(r.path_of("email"), "must be an e-mail address");
  u.password = r.required_string("password");
  u.phone_number = r.non_empty_string("phone_number");
  u.roles = r.string_array("roles").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < u.roles.size(); ++i) {
    if (u.roles[i].empty()) throw_at(json_path_index(r.path_of("roles"), i), "must not be empty");
  }
  return u;
}

}  // namespace

std::vector<ConnectionConfig> read_connections(const JsonReader& root,
                                               const std::vector<ClientConfig>& clients) {
  const nlohmann::json* list = root.array("connections");
  if (!list) {
    ConnectionConfig db;
    db.name = kDefaultConnectionName;
    db.strategy = "database";
    db.enabled_clients = all_client_ids(clients);
    return {db};
  }
  std::vector<ConnectionConfig> connections;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = json_path_index(root.path_of("connections"), i);
    ConnectionConfig c = read_connection((*list)[i], path, clients);
    for (size_t j = 0; j < connections.size(); ++j) {
      if (connections[j].name == c.name) {
        throw_at(json_path_key(path, "name"), "duplicate of " + json_path_index("connections", j) + ".name");
      }
    }
    connections.push_back(std::move(c));
  }
  return connections;
}

std::vector<UserConfig> read_users(const JsonReader& root) {
  const nlohmann::json* list = root.array("users");
  std::vector<UserConfig> users;
  if (!list) return users;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = json_path_index(root.path_of("users"), i);
    UserConfig u = read_user((*list)[i], path);
    // Users log in with any capitalisation of their address, so two entries
    // differing only in case would be one account.
    for (size_t j = 0; j < users.size(); ++j) {
      if (lower_ascii(users[j].email) == lower_ascii(u.email)) {
        throw_at(json_path_key(path, "email"), "duplicate of " + json_path_index("users", j) + ".email");
      }
    }
    users.push_back(std::move(u));
  }
  return users;
}

}  // namespace passerelle::config_sections
