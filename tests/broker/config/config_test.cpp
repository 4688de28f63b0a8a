// Valid configs and their defaults, the refresh-token policy reader, and
// loading from a file.
#include "config/config.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

// The example of ARCHITECTURE §6, filled in.
const char* const kFullConfig = R"({
  "issuer": "http://127.0.0.1:8080",
  "listen": "127.0.0.1:8080",
  "data_dir": "var/passerelle",
  "storage": {"backend": "lmdb"},
  "session": {"idle_lifetime": 259200, "absolute_lifetime": 604800},
  "signing": {"alg": "ES256"},
  "refresh_token_max_lifetime": 63115200,
  "clients": [
    {"client_id": "web", "client_secret": "web-secret", "name": "Demo web app",
     "app_type": "regular_web", "token_endpoint_auth_method": "client_secret_post",
     "grant_types": ["authorization_code", "refresh_token"],
     "redirect_uris": ["http://127.0.0.1:3000/callback", "http://127.0.0.1:3000/callback?x=1"],
     "allowed_web_origins": ["http://127.0.0.1:3000"],
     "allowed_logout_urls": ["http://127.0.0.1:3000/"],
     "require_mfa": true,
     "refresh_token": {"rotation_type": "rotating", "expiration_type": "expiring",
                       "token_lifetime": 63115200, "infinite_token_lifetime": false,
                       "idle_token_lifetime": 604800, "infinite_idle_token_lifetime": false,
                       "leeway": 10},
     "management_scopes": []},
    {"client_id": "spa", "app_type": "spa",
     "redirect_uris": ["https://spa.example.com/"], "allowed_web_origins": ["https://spa.example.com"]},
    {"client_id": "cli", "app_type": "native",
     "redirect_uris": ["com.example.cli:/callback", "http://127.0.0.1/callback"]},
    {"client_id": "admin", "client_secret": "admin-secret", "app_type": "non_interactive",
     "management_scopes": ["read:clients", "update:clients"]}
  ],
  "connections": [
    {"name": "facebook", "strategy": "facebook",
     "options": {"client_id": "fb-app", "client_secret": "fb-secret", "scope": "email,public_profile",
                 "anything": {"nested": [1, 2]}},
     "enabled_clients": ["web", "spa"]},
    {"name": "Username-Password-Authentication", "strategy": "database"}
  ],
  "users": [{"email": "alice@example.com", "password": "correct horse", "phone_number": "+33612345678",
             "roles": ["admin"]}],
  "plugins_dir": "lib/passerelle/connectors"
})";

Config parse_ok(const char* text) {
  Result<Config> config = parse_config(nlohmann::json::parse(text));
  if (!config) FAIL(config.error().message);
  return *config;
}

// A file in the system's temporary folder, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("passerelle-config-" + hex_encode(random_bytes(8)) + ".json")) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("config: the full example parses with every value kept") {
  Config c = parse_ok(kFullConfig);
  CHECK(c.issuer == "http://127.0.0.1:8080");
  CHECK(c.listen_host == "127.0.0.1");
  CHECK(c.listen_port == 8080);
  CHECK(c.data_dir == "var/passerelle");
  CHECK(c.storage_backend == "lmdb");
  CHECK(c.session_idle_lifetime == 259200);
  CHECK(c.session_absolute_lifetime == 604800);
  CHECK(c.signing_alg == "ES256");
  CHECK(c.refresh_token_max_lifetime == 63115200);
  CHECK(c.plugins_dir == "lib/passerelle/connectors");
  REQUIRE(c.clients.size() == 4);

  const ClientConfig& web = c.clients[0];
  CHECK(web.client_secret == std::optional<std::string>("web-secret"));
  CHECK(web.name == "Demo web app");
  CHECK(web.token_endpoint_auth_method == TokenEndpointAuthMethod::kClientSecretPost);
  CHECK_FALSE(web.is_public());
  CHECK(web.redirect_uris[1] == "http://127.0.0.1:3000/callback?x=1");
  CHECK(web.allowed_logout_urls == std::vector<std::string>{"http://127.0.0.1:3000/"});
  CHECK(web.require_mfa);
  CHECK(web.refresh_token.rotating);
  CHECK(web.refresh_token.expiring);
  CHECK(web.refresh_token.token_lifetime == 63115200);  // allowed by the raised maximum (R5)
  CHECK(web.refresh_token.idle_token_lifetime == 604800);
  CHECK_FALSE(web.refresh_token.infinite_token_lifetime);
  CHECK(web.refresh_token.leeway == 10);

  CHECK(c.find_client("admin")->management_scopes ==
        std::vector<std::string>{"read:clients", "update:clients"});
  CHECK(c.find_client("cli")->redirect_uris[0] == "com.example.cli:/callback");
  CHECK(c.find_client("nobody") == nullptr);

  REQUIRE(c.connections.size() == 2);
  CHECK(c.connections[0].options["anything"]["nested"] == nlohmann::json::array({1, 2}));
  CHECK(c.connections[0].enabled_clients == std::vector<std::string>{"web", "spa"});
  CHECK(c.connections[1].enabled_clients == std::vector<std::string>{"web", "spa", "cli", "admin"});
  CHECK(c.connections[1].options == nlohmann::json::object());

  REQUIRE(c.users.size() == 1);
  CHECK(c.users[0].phone_number == std::optional<std::string>("+33612345678"));
  CHECK(c.users[0].roles == std::vector<std::string>{"admin"});
}

TEST_CASE("config: defaults of a minimal file") {
  Config c = parse_ok(R"({"issuer": "https://id.example.com/tenant"})");
  CHECK(c.issuer == "https://id.example.com/tenant");
  CHECK(c.listen_host == "127.0.0.1");
  CHECK(c.listen_port == 8080);
  CHECK(c.data_dir == "var/passerelle");
  CHECK(c.storage_backend == "lmdb");
  CHECK(c.storage_url.empty());
  CHECK(c.session_idle_lifetime == 259200);
  CHECK(c.session_absolute_lifetime == 604800);
  CHECK(c.signing_alg == "RS256");
  CHECK(c.refresh_token_max_lifetime == 31557600);
  CHECK(c.plugins_dir.empty());
  CHECK(c.clients.empty());
  CHECK(c.users.empty());
  // No "connections": the database connection is implied.
  REQUIRE(c.connections.size() == 1);
  CHECK(c.connections[0].name == "Username-Password-Authentication");
  CHECK(c.connections[0].strategy == "database");
}

TEST_CASE("config: client defaults follow the app type") {
  Config c = parse_ok(R"({"issuer": "https://id.example.com", "clients": [
      {"client_id": "web", "client_secret": "s"},
      {"client_id": "spa", "app_type": "spa"},
      {"client_id": "cli", "app_type": "native"},
      {"client_id": "m2m", "client_secret": "s", "app_type": "non_interactive"}]})");
  struct Row {
    const char* id;
    AppType type;
    TokenEndpointAuthMethod method;
    std::vector<std::string> grants;
  };
  const Row rows[] = {
      {"web",
       AppType::kRegularWeb,
       TokenEndpointAuthMethod::kClientSecretBasic,
       {"authorization_code", "refresh_token"}},
      {"spa", AppType::kSpa, TokenEndpointAuthMethod::kNone, {"authorization_code", "refresh_token"}},
      {"cli", AppType::kNative, TokenEndpointAuthMethod::kNone, {"authorization_code", "refresh_token"}},
      {"m2m", AppType::kNonInteractive, TokenEndpointAuthMethod::kClientSecretBasic, {"client_credentials"}},
  };
  for (const Row& row : rows) {
    std::string id = row.id;
    CAPTURE(id);
    const ClientConfig* client = c.find_client(row.id);
    REQUIRE(client != nullptr);
    CHECK(client->name == row.id);
    CHECK(client->app_type == row.type);
    CHECK(client->token_endpoint_auth_method == row.method);
    CHECK(client->grant_types == row.grants);
    CHECK(client->allows_grant(row.grants[0]));
    CHECK_FALSE(client->allows_grant("password"));
    CHECK_FALSE(client->require_mfa);
    CHECK(client->redirect_uris.empty());
  }
  CHECK(c.connections[0].enabled_clients == std::vector<std::string>{"web", "spa", "cli", "m2m"});
}

TEST_CASE("config: a new application's refresh-token policy (seed 004)") {
  Config c = parse_ok(
      R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s"}]})");
  const RefreshTokenPolicy& p = c.clients[0].refresh_token;
  CHECK_FALSE(p.rotating);
  CHECK_FALSE(p.expiring);
  CHECK(p.token_lifetime == 2592000);
  CHECK(p.infinite_token_lifetime);
  CHECK(p.idle_token_lifetime == 1296000);
  CHECK(p.infinite_idle_token_lifetime);
  CHECK(p.leeway == 0);
}

TEST_CASE("config: \"expiring\" alone applies the default lifetimes") {
  Config c =
      parse_ok(R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
      "refresh_token": {"rotation_type": "rotating", "expiration_type": "expiring"}}]})");
  const RefreshTokenPolicy& p = c.clients[0].refresh_token;
  CHECK(p.rotating);
  CHECK(p.expiring);
  CHECK_FALSE(p.infinite_token_lifetime);
  CHECK_FALSE(p.infinite_idle_token_lifetime);
  CHECK(p.token_lifetime == 2592000);
}

TEST_CASE("config: the seed's PATCH example is a valid client policy") {
  Config c = parse_ok(R"({"issuer": "https://id.example.com",
      "clients": [{"client_id": "w", "client_secret": "s",
      "refresh_token": {"rotation_type": "non-rotating", "expiration_type": "expiring",
                        "token_lifetime": 2592000, "infinite_token_lifetime": false,
                        "idle_token_lifetime": 604800, "infinite_idle_token_lifetime": false}}]})");
  const RefreshTokenPolicy& p = c.clients[0].refresh_token;
  CHECK_FALSE(p.rotating);
  CHECK(p.expiring);
  CHECK(p.idle_token_lifetime == 604800);
}

TEST_CASE("config: listen, storage and lifetimes at their limits") {
  Config c = parse_ok(R"({"issuer": "http://localhost", "listen": "[::1]:0",
      "storage": {"backend": "postgres", "url": "postgresql://broker@db.internal/passerelle",
                  "pool_size": 256},
      "session": {"idle_lifetime": 1, "absolute_lifetime": 1}, "signing": {"alg": "EdDSA"},
      "refresh_token_max_lifetime": 157788000})");
  CHECK(c.listen_host == "::1");
  CHECK(c.listen_port == 0);
  CHECK(c.storage_backend == "postgres");
  CHECK(c.storage_url == "postgresql://broker@db.internal/passerelle");
  CHECK(c.storage_pool_size == 256);
  CHECK(c.session_idle_lifetime == 1);
  CHECK(c.signing_alg == "EdDSA");
  CHECK(c.refresh_token_max_lifetime == 157788000);
}

TEST_CASE("refresh-token policy over a stored one (management PATCH)") {
  RefreshTokenPolicy stored;
  stored.rotating = true;
  stored.expiring = true;
  stored.infinite_token_lifetime = false;
  stored.infinite_idle_token_lifetime = true;

  Result<RefreshTokenPolicy> p =
      parse_refresh_token_policy(R"({"leeway": 5})"_json, stored, kRefreshTokenMaxLifetime);
  REQUIRE(p.has_value());
  CHECK(p->rotating);
  CHECK(p->infinite_idle_token_lifetime);  // kept: the expiration type did not change
  CHECK(p->leeway == 5);

  p = parse_refresh_token_policy(
      R"({"rotation_type": "non-rotating", "expiration_type": "non-expiring"})"_json, stored,
      kRefreshTokenMaxLifetime);
  REQUIRE(p.has_value());
  CHECK_FALSE(p->expiring);
  CHECK(p->infinite_token_lifetime);

  p = parse_refresh_token_policy(R"({"leeway": -1})"_json, stored, kRefreshTokenMaxLifetime);
  REQUIRE_FALSE(p.has_value());
  CHECK(p.error().message == "refresh_token.leeway: expected a non-negative integer");

  p = parse_refresh_token_policy(R"({"expiration_type": "non-expiring"})"_json, stored,
                                 kRefreshTokenMaxLifetime);
  REQUIRE_FALSE(p.has_value());
  CHECK(p.error().message ==
        "refresh_token.rotation_type: \"rotating\" requires expiration_type \"expiring\"");
}

TEST_CASE("config: names of enums are their JSON spellings") {
  CHECK(std::string(app_type_name(AppType::kNonInteractive)) == "non_interactive");
  CHECK(std::string(app_type_name(AppType::kRegularWeb)) == "regular_web");
  CHECK(std::string(auth_method_name(TokenEndpointAuthMethod::kClientSecretPost)) == "client_secret_post");
  CHECK(std::string(auth_method_name(TokenEndpointAuthMethod::kNone)) == "none");
}

TEST_CASE("load_config_file: a good file, a missing one, a directory") {
  TempFile good(kFullConfig);
  Result<Config> c = load_config_file(good.path());
  REQUIRE(c.has_value());
  CHECK(c->clients.size() == 4);

  std::string missing = good.path() + ".missing";
  c = load_config_file(missing);
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().code == ErrorCode::kNotFound);
  CHECK(c.error().message == "config: " + missing + ": No such file or directory");

  std::string dir = std::filesystem::temp_directory_path().string();
  c = load_config_file(dir);
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().message == "config: " + dir + ": Is a directory");
}

TEST_CASE("load_config_file: syntax errors give the position and no secret") {
  struct Row {
    const char* name;
    const char* text;
    const char* message;  // after "config: <path>: "
  };
  const Row rows[] = {
      {"missing value", "{\"issuer\": \"https://id.example.com\",\n  \"listen\": }",
       "parse error at line 2, column 13: syntax error while parsing value - unexpected '}'; "
       "expected '[', '{', or a literal"},
      {"empty file", "",
       "parse error at line 1, column 1: syntax error while parsing value - unexpected end of input; "
       "expected '[', '{', or a literal"},
      {"unterminated secret",
       "{\"issuer\": \"https://id.example.com\",\n \"users\": [{\"password\": \"hunter2\n",
       // nlohmann counts the newline that ended the string as the start of line 3.
       "parse error at line 3, column 0: syntax error while parsing value - invalid string: control "
       "character "
       "U+000A (LF) must be escaped to \\u000A or \\n"},
  };
  for (const Row& row : rows) {
    std::string name = row.name;
    CAPTURE(name);
    TempFile file(row.text);
    Result<Config> c = load_config_file(file.path());
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == ErrorCode::kInvalidArgument);
    CHECK(c.error().message == "config: " + file.path() + ": " + row.message);
    CHECK(c.error().message.find("hunter2") == std::string::npos);
    CHECK(c.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("load_config_file: a key given twice is named by its path") {
  TempFile file(R"({"issuer": "https://id.example.com", "clients": [{"client_id": "a", "client_secret": "s"},
      {"client_id": "b", "client_secret": "s",
       "redirect_uris": [], "redirect_uris": ["https://b.example/cb"]}]})");
  Result<Config> c = load_config_file(file.path());
  REQUIRE_FALSE(c.has_value());
  CHECK(c.error().message == "config: clients[1].redirect_uris: duplicate key");
}

}  // namespace passerelle
