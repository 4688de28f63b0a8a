// "clients": each application, its authentication method, grants, URLs and
// refresh-token policy, with the defaults and cross-field rules of config.h.
#include <algorithm>
#include <functional>

#include "config/sections.h"
#include "config/url_rules.h"

namespace passerelle::config_sections {
namespace {

constexpr AppType kAppTypes[] = {AppType::kRegularWeb, AppType::kSpa, AppType::kNative,
                                 AppType::kNonInteractive};
constexpr TokenEndpointAuthMethod kAuthMethods[] = {TokenEndpointAuthMethod::kClientSecretBasic,
                                                    TokenEndpointAuthMethod::kClientSecretPost,
                                                    TokenEndpointAuthMethod::kNone};

bool is_browser_or_device_app(AppType t) {
  return t == AppType::kSpa || t == AppType::kNative;
}

// Who may hold a secret decides the method (RFC 6749 §2.1): SPAs and native
// apps cannot, a machine-to-machine client authenticates only as itself.
void read_auth_method(const JsonReader& r, ClientConfig& c) {
  const std::string key = "token_endpoint_auth_method";
  auto i = r.choice(key, {"client_secret_basic", "client_secret_post", "none"});
  if (i) {
    c.token_endpoint_auth_method = kAuthMethods[*i];
  } else if (is_browser_or_device_app(c.app_type)) {
    c.token_endpoint_auth_method = TokenEndpointAuthMethod::kNone;
  }
  if (is_browser_or_device_app(c.app_type) && !c.is_public()) {
    throw_at(r.path_of(key), "must be \"none\" for a spa or native application");
  }
  if (c.app_type == AppType::kNonInteractive && c.is_public()) {
    throw_at(r.path_of(key), "must not be \"none\" for a non_interactive application");
  }
  if (!c.is_public() && !c.client_secret) {
    throw_at(r.path_of("client_secret"), std::string("required when token_endpoint_auth_method is \"") +
                                             auth_method_name(c.token_endpoint_auth_method) + "\"");
  }
  if (c.is_public() && c.client_secret) {
    throw_at(r.path_of("client_secret"), "not allowed when token_endpoint_auth_method is \"none\"");
  }
}

void read_grant_types(const JsonReader& r, ClientConfig& c) {
  std::optional<std::vector<std::string>> grants = r.string_array("grant_types");
  if (!grants) {
    c.grant_types = c.app_type == AppType::kNonInteractive
                        ? std::vector<std::string>{"client_credentials"}
                        : std::vector<std::string>{"authorization_code", "refresh_token"};
    return;
  }
  if (grants->empty()) throw_at(r.path_of("grant_types"), "must not be empty");
  for (size_t i = 0; i < grants->size(); ++i) {
    const std::string& g = (*grants)[i];
    std::string path = json_path_index(r.path_of("grant_types"), i);
    if (g != "authorization_code" && g != "refresh_token" && g != "client_credentials") {
      throw_at(path, "must be one of authorization_code, refresh_token, client_credentials");
    }
    if (repeats_earlier(*grants, i)) throw_at(path, "listed twice");
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by
    // confidential clients."
    if (g == "client_credentials" && c.is_public()) {
      throw_at(
          path,
          "client_credentials needs a confidential client (token_endpoint_auth_method other than \"none\")");
    }
  }
  c.grant_types = std::move(*grants);
}

std::vector<std::string> read_url_list(const JsonReader& r, const std::string& key,
                                       const std::function<bool(const std::string&)>& valid,
                                       std::string_view problem) {
  std::vector<std::string> urls = r.string_array(key).value_or(std::vector<std::string>{});
  for (size_t i = 0; i < urls.size(); ++i) {
    if (!valid(urls[i])) throw_at(json_path_index(r.path_of(key), i), problem);
  }
  return urls;
}

void read_urls(const JsonReader& r, ClientConfig& c) {
  bool native = c.app_type == AppType::kNative;
  c.redirect_uris = read_url_list(
      r, "redirect_uris", [native](const std::string& u) { return is_redirect_uri(u, native); },
      native
          ? "must be an absolute http(s) URL or a private-use scheme URI (RFC 8252 §7.1) without a fragment"
          : "must be an absolute http(s) URL without a fragment");
  c.allowed_web_origins = read_url_list(r, "allowed_web_origins", is_web_origin,
                                        "must be an origin: scheme://host[:port] with no path");
  c.allowed_logout_urls =
      read_url_list(r, "allowed_logout_urls", is_http_url, "must be an absolute http(s) URL");
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
bool is_scope_token(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
    auto u = static_cast<unsigned char>(ch);
    return u >= 0x21 && u <= 0x7e && ch != '"' && ch != '\\';
  });
}

ClientConfig read_client(const nlohmann::json& value, const std::string& path,
                         int64_t refresh_token_max_lifetime) {
  JsonReader r(value, path,
               {"client_id", "client_secret", "name", "app_type", "token_endpoint_auth_method", "grant_types",
                "redirect_uris", "allowed_web_origins", "allowed_logout_urls", "require_mfa", "refresh_token",
                "management_scopes", "is_first_party"});
  ClientConfig c;
  c.client_id = r.required_string("client_id");
  c.client_secret = r.non_empty_string("client_secret");
  c.name = r.non_empty_string("name").value_or(c.client_id);
  if (auto i = r.choice("app_type", {"regular_web", "spa", "native", "non_interactive"})) {
    c.app_type = kAppTypes[*i];
  }
  read_auth_method(r, c);
  read_grant_types(r, c);
  read_urls(r, c);
  c.require_mfa = r.boolean("require_mfa").value_or(false);
  c.is_first_party = r.boolean("is_first_party").value_or(true);
  if (const nlohmann::json* v = r.find("refresh_token")) {
    c.refresh_token =
        read_refresh_token(*v, r.path_of("refresh_token"), RefreshTokenPolicy{}, refresh_token_max_lifetime);
  }
  c.management_scopes = r.string_array("management_scopes").value_or(std::vector<std::string>{});
  for (size_t i = 0; i < c.management_scopes.size(); ++i) {
    if (!is_scope_token(c.management_scopes[i])) {
      throw_at(json_path_index(r.path_of("management_scopes"), i),
               "must be a scope token (no spaces, quotes or backslashes)");
    }
  }
  return c;
}

}  // namespace

std::vector<ClientConfig> read_clients(const JsonReader& root, int64_t refresh_token_max_lifetime) {
  std::vector<ClientConfig> clients;
  const nlohmann::json* list = root.array("clients");
  if (!list) return clients;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string path = json_path_index(root.path_of("clients"), i);
    ClientConfig c = read_client((*list)[i], path, refresh_token_max_lifetime);
    for (size_t j = 0; j < clients.size(); ++j) {
      if (clients[j].client_id == c.client_id) {
        throw_at(json_path_key(path, "client_id"),
                 "duplicate of " + json_path_index("clients", j) + ".client_id");
      }
    }
    clients.push_back(std::move(c));
  }
  return clients;
}

}  // namespace passerelle::config_sections

namespace passerelle {

Result<ClientConfig> parse_client_config(const nlohmann::json& value, int64_t refresh_token_max_lifetime,
                                         const std::string& path) {
  try {
    return config_sections::read_client(value, path, refresh_token_max_lifetime);
  } catch (const JsonReadError& e) {
    return fail(Error::invalid_argument(e.what()));
  } catch (const std::exception& e) {
    return fail(Error::internal(std::string("client: ") + e.what()));
  }
}

}  // namespace passerelle
