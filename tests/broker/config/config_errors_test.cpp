// Every way a config can be refused, each row with the exact one-line message
// the operator sees.
#include <doctest/doctest.h>

#include "config/config.h"

namespace passerelle {
namespace {

struct BadConfig {
  const char* name;
  const char* json;
  const char* message;
};

// Rows share the valid prefix {"issuer": "https://id.example.com", ...} and
// change one thing.
const BadConfig kTopLevelRows[] = {
    {"document not an object", R"([])", "config: top level: expected an object"},
    {"unknown top-level key", R"({"issuer": "https://id.example.com", "isuer": "x"})",
     "config: isuer: unknown key"},
    {"unknown key with a space is quoted", R"({"issuer": "https://id.example.com", "a b": 1})",
     R"(config: ["a b"]: unknown key)"},
    {"unknown key reported before a missing one", R"({"isuer": "https://id.example.com"})",
     "config: isuer: unknown key"},
    {"issuer missing", R"({})", "config: issuer: required"},
    {"issuer wrong type", R"({"issuer": 42})", "config: issuer: expected a string"},
    {"issuer empty", R"({"issuer": ""})", "config: issuer: must not be empty"},
    {"issuer trailing slash", R"({"issuer": "https://id.example.com/"})",
     "config: issuer: must be an absolute http(s) URL without query, fragment or trailing slash"},
    {"issuer query", R"({"issuer": "https://id.example.com?tenant=1"})",
     "config: issuer: must be an absolute http(s) URL without query, fragment or trailing slash"},
    {"issuer fragment", R"({"issuer": "https://id.example.com#x"})",
     "config: issuer: must be an absolute http(s) URL without query, fragment or trailing slash"},
    {"issuer relative", R"({"issuer": "id.example.com"})",
     "config: issuer: must be an absolute http(s) URL without query, fragment or trailing slash"},
    {"issuer other scheme", R"({"issuer": "ftp://id.example.com"})",
     "config: issuer: must be an absolute http(s) URL without query, fragment or trailing slash"},
    {"listen without port", R"({"issuer": "https://id.example.com", "listen": "127.0.0.1"})",
     "config: listen: must be host:port with a port from 0 to 65535"},
    {"listen port too large", R"({"issuer": "https://id.example.com", "listen": "127.0.0.1:65536"})",
     "config: listen: must be host:port with a port from 0 to 65535"},
    {"listen port not a number", R"({"issuer": "https://id.example.com", "listen": "localhost:http"})",
     "config: listen: must be host:port with a port from 0 to 65535"},
    {"listen IPv6 without brackets", R"({"issuer": "https://id.example.com", "listen": "::1:8080"})",
     "config: listen: must be host:port with a port from 0 to 65535"},
    {"listen empty host", R"({"issuer": "https://id.example.com", "listen": ":8080"})",
     "config: listen: must be host:port with a port from 0 to 65535"},
    {"listen wrong type", R"({"issuer": "https://id.example.com", "listen": 8080})",
     "config: listen: expected a string"},
    {"data_dir empty", R"({"issuer": "https://id.example.com", "data_dir": ""})",
     "config: data_dir: must not be empty"},
    {"plugins_dir wrong type", R"({"issuer": "https://id.example.com", "plugins_dir": true})",
     "config: plugins_dir: expected a string"},
    {"storage not an object", R"({"issuer": "https://id.example.com", "storage": "lmdb"})",
     "config: storage: expected an object"},
    {"storage unknown key",
     R"({"issuer": "https://id.example.com", "storage": {"backend": "lmdb", "path": "x"}})",
     "config: storage.path: unknown key"},
    {"storage unknown backend", R"({"issuer": "https://id.example.com", "storage": {"backend": "redis"}})",
     "config: storage.backend: must be one of lmdb, postgres"},
    {"postgres without url", R"({"issuer": "https://id.example.com", "storage": {"backend": "postgres"}})",
     "config: storage.url: required when backend is \"postgres\""},
    {"postgres with another url",
     R"({"issuer": "https://id.example.com",
         "storage": {"backend": "postgres", "url": "mysql://u:pw@db/x"}})",
     "config: storage.url: must start with postgresql://"},
    {"lmdb with url",
     R"({"issuer": "https://id.example.com", "storage": {"backend": "lmdb", "url": "postgresql://db/x"}})",
     "config: storage.url: only allowed when backend is \"postgres\""},
    {"session unknown key", R"({"issuer": "https://id.example.com", "session": {"idle_lifetim": 60}})",
     "config: session.idle_lifetim: unknown key"},
    {"session revoke_refresh_tokens unknown",
     R"({"issuer": "https://id.example.com", "session": {"revoke_refresh_tokens": "some"}})",
     "config: session.revoke_refresh_tokens: must be one of none, rotating, all"},
    {"session idle zero", R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": 0}})",
     "config: session.idle_lifetime: expected a positive integer"},
    {"session idle as a string",
     R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": "3600"}})",
     "config: session.idle_lifetime: expected a positive integer"},
    {"session idle fractional",
     R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": 3600.5}})",
     "config: session.idle_lifetime: expected a positive integer"},
    {"session absolute negative",
     R"({"issuer": "https://id.example.com", "session": {"absolute_lifetime": -1}})",
     "config: session.absolute_lifetime: expected a positive integer"},
    {"session absolute absurd",
     R"({"issuer": "https://id.example.com", "session": {"absolute_lifetime": 1000000000000}})",
     "config: session.absolute_lifetime: must be at most 315576000"},
    {"session idle above the default absolute",
     R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": 700000}})",
     "config: session.idle_lifetime: must not exceed session.absolute_lifetime"},
    {"session idle above absolute",
     R"({"issuer": "https://id.example.com", "session": {"idle_lifetime": 600, "absolute_lifetime": 300}})",
     "config: session.idle_lifetime: must not exceed session.absolute_lifetime"},
    {"signing unknown alg", R"({"issuer": "https://id.example.com", "signing": {"alg": "HS256"}})",
     "config: signing.alg: must be one of RS256, ES256, EdDSA"},
    {"signing unknown key",
     R"({"issuer": "https://id.example.com", "signing": {"alg": "RS256", "kid": "k1"}})",
     "config: signing.kid: unknown key"},
    {"refresh max below one year",
     R"({"issuer": "https://id.example.com", "refresh_token_max_lifetime": 100})",
     "config: refresh_token_max_lifetime: must be at least 31557600"},
    {"refresh max above five years",
     R"({"issuer": "https://id.example.com", "refresh_token_max_lifetime": 157788001})",
     "config: refresh_token_max_lifetime: must be at most 157788000"},
    {"refresh max wrong type", R"({"issuer": "https://id.example.com", "refresh_token_max_lifetime": "1y"})",
     "config: refresh_token_max_lifetime: expected an integer"},
};

const BadConfig kClientRows[] = {
    {"clients not an array", R"({"issuer": "https://id.example.com", "clients": {}})",
     "config: clients: expected an array"},
    {"client not an object", R"({"issuer": "https://id.example.com", "clients": ["web"]})",
     "config: clients[0]: expected an object"},
    {"client unknown key",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "web", "client_secret": "s", "redirect_uri": []}]})",
     "config: clients[0].redirect_uri: unknown key"},
    {"client_id missing", R"({"issuer": "https://id.example.com", "clients": [{"client_secret": "s"}]})",
     "config: clients[0].client_id: required"},
    {"client_id empty", R"({"issuer": "https://id.example.com", "clients": [{"client_id": ""}]})",
     "config: clients[0].client_id: must not be empty"},
    {"client_id duplicate",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "web", "client_secret": "s"},
        {"client_id": "web", "client_secret": "t"}]})",
     "config: clients[1].client_id: duplicate of clients[0].client_id"},
    {"app_type unknown",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "m", "client_secret": "s", "app_type": "m2m"}]})",
     "config: clients[0].app_type: must be one of regular_web, spa, native, non_interactive"},
    {"auth method unknown",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "token_endpoint_auth_method": "private_key_jwt"}]})",
     "config: clients[0].token_endpoint_auth_method: must be one of client_secret_basic, client_secret_post, "
     "none"},
    {"secret missing for basic", R"({"issuer": "https://id.example.com", "clients": [{"client_id": "web"}]})",
     "config: clients[0].client_secret: required when token_endpoint_auth_method is \"client_secret_basic\""},
    {"secret missing for post",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "web", "token_endpoint_auth_method": "client_secret_post"}]})",
     "config: clients[0].client_secret: required when token_endpoint_auth_method is \"client_secret_post\""},
    {"secret empty",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "web", "client_secret": ""}]})",
     "config: clients[0].client_secret: must not be empty"},
    {"spa with a confidential method",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "spa", "app_type": "spa",
        "client_secret": "s", "token_endpoint_auth_method": "client_secret_basic"}]})",
     "config: clients[0].token_endpoint_auth_method: must be \"none\" for a spa or native application"},
    {"native with a confidential method",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "cli", "app_type": "native",
        "client_secret": "s", "token_endpoint_auth_method": "client_secret_post"}]})",
     "config: clients[0].token_endpoint_auth_method: must be \"none\" for a spa or native application"},
    {"public client with a secret",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "spa", "app_type": "spa", "client_secret": "s"}]})",
     "config: clients[0].client_secret: not allowed when token_endpoint_auth_method is \"none\""},
    {"non_interactive public",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "m2m", "app_type": "non_interactive",
        "token_endpoint_auth_method": "none"}]})",
     "config: clients[0].token_endpoint_auth_method: must not be \"none\" for a non_interactive application"},
    {"grant unknown",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "grant_types": ["password"]}]})",
     "config: clients[0].grant_types[0]: must be one of authorization_code, refresh_token, "
     "client_credentials"},
    {"grant not a string",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "grant_types": [1]}]})",
     "config: clients[0].grant_types[0]: expected a string"},
    {"grant_types not an array",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "grant_types": "authorization_code"}]})",
     "config: clients[0].grant_types: expected an array"},
    {"grant_types empty",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "grant_types": []}]})",
     "config: clients[0].grant_types: must not be empty"},
    {"grant listed twice",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "grant_types": ["authorization_code", "authorization_code"]}]})",
     "config: clients[0].grant_types[1]: listed twice"},
    {"client_credentials for a public client",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "spa", "app_type": "spa",
        "grant_types": ["authorization_code", "client_credentials"]}]})",
     "config: clients[0].grant_types[1]: client_credentials needs a confidential client "
     "(token_endpoint_auth_method other than \"none\")"},
    {"require_mfa not a boolean",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "require_mfa": "yes"}]})",
     "config: clients[0].require_mfa: expected a boolean"},
    {"management scope with a space",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "management_scopes": ["read:clients update:clients"]}]})",
     "config: clients[0].management_scopes[0]: must be a scope token (no spaces, quotes or backslashes)"},
    {"management scope not a string",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "management_scopes": [1]}]})",
     "config: clients[0].management_scopes[0]: expected a string"},
};

const BadConfig kClientUrlRows[] = {
    {"redirect uri relative",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "a", "client_secret": "s"},
        {"client_id": "b", "client_secret": "s", "redirect_uris": ["/callback"]}]})",
     "config: clients[1].redirect_uris[0]: must be an absolute http(s) URL without a fragment"},
    {"redirect uri with a fragment",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "redirect_uris": ["https://app.example.com/cb", "https://app.example.com/cb#top"]}]})",
     "config: clients[0].redirect_uris[1]: must be an absolute http(s) URL without a fragment"},
    {"redirect uri private scheme for a web app",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "redirect_uris": ["com.example.app:/cb"]}]})",
     "config: clients[0].redirect_uris[0]: must be an absolute http(s) URL without a fragment"},
    {"redirect uri with a backslash",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "redirect_uris": ["https://app.example.com\\@evil.example/cb"]}]})",
     "config: clients[0].redirect_uris[0]: must be an absolute http(s) URL without a fragment"},
    {"redirect uri with userinfo",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "redirect_uris": ["https://app.example.com@evil.example/cb"]}]})",
     "config: clients[0].redirect_uris[0]: must be an absolute http(s) URL without a fragment"},
    {"native private scheme without a dot",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "cli", "app_type": "native",
        "redirect_uris": ["myapp:/cb"]}]})",
     "config: clients[0].redirect_uris[0]: must be an absolute http(s) URL or a private-use scheme URI "
     "(RFC 8252 §7.1) without a fragment"},
    {"web origin with a path",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "spa", "app_type": "spa",
        "allowed_web_origins": ["https://app.example.com/"]}]})",
     "config: clients[0].allowed_web_origins[0]: must be an origin: scheme://host[:port] with no path"},
    {"web origin without a scheme",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "spa", "app_type": "spa",
        "allowed_web_origins": ["app.example.com"]}]})",
     "config: clients[0].allowed_web_origins[0]: must be an origin: scheme://host[:port] with no path"},
    {"logout url relative",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "allowed_logout_urls": ["/bye"]}]})",
     "config: clients[0].allowed_logout_urls[0]: must be an absolute http(s) URL"},
};

const BadConfig kRefreshTokenRows[] = {
    {"refresh_token not an object",
     R"({"issuer": "https://id.example.com",
         "clients": [{"client_id": "w", "client_secret": "s", "refresh_token": true}]})",
     "config: clients[0].refresh_token: expected an object"},
    {"refresh_token unknown key",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"rotation": "rotating"}}]})",
     "config: clients[0].refresh_token.rotation: unknown key"},
    {"rotation_type unknown",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"rotation_type": "rotate"}}]})",
     "config: clients[0].refresh_token.rotation_type: must be one of rotating, non-rotating"},
    {"expiration_type unknown",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "never"}}]})",
     "config: clients[0].refresh_token.expiration_type: must be one of expiring, non-expiring"},
    {"rotating without expiring (R6)",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"rotation_type": "rotating"}}]})",
     "config: clients[0].refresh_token.rotation_type: \"rotating\" requires expiration_type \"expiring\""},
    {"rotating with both lifetimes infinite (R6)",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"rotation_type": "rotating", "expiration_type": "expiring",
        "infinite_token_lifetime": true, "infinite_idle_token_lifetime": true}}]})",
     "config: clients[0].refresh_token.rotation_type: \"rotating\" requires a finite token_lifetime or "
     "idle_token_lifetime"},
    {"non-expiring with a finite lifetime",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "non-expiring", "infinite_token_lifetime": false}}]})",
     "config: clients[0].refresh_token.infinite_token_lifetime: must be true when expiration_type is "
     "\"non-expiring\""},
    {"non-expiring with a finite idle lifetime",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"infinite_idle_token_lifetime": false}}]})",
     "config: clients[0].refresh_token.infinite_idle_token_lifetime: must be true when expiration_type is "
     "\"non-expiring\""},
    {"token_lifetime zero (R5 minimum)",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "expiring", "token_lifetime": 0}}]})",
     "config: clients[0].refresh_token.token_lifetime: expected a positive integer"},
    {"token_lifetime above one year (R5 maximum)",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "expiring", "token_lifetime": 31557601}}]})",
     "config: clients[0].refresh_token.token_lifetime: must be at most 31557600"},
    {"idle_token_lifetime above one year (R5 maximum)",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "expiring", "idle_token_lifetime": 31557601}}]})",
     "config: clients[0].refresh_token.idle_token_lifetime: must be at most 31557600"},
    {"idle_token_lifetime above token_lifetime",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "expiring", "token_lifetime": 3600, "idle_token_lifetime": 3601}}]})",
     "config: clients[0].refresh_token.idle_token_lifetime: must not exceed token_lifetime"},
    {"token_lifetime above a raised maximum",
     R"({"issuer": "https://id.example.com", "refresh_token_max_lifetime": 63115200,
        "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"expiration_type": "expiring", "token_lifetime": 63115201}}]})",
     "config: clients[0].refresh_token.token_lifetime: must be at most 63115200"},
    {"token_lifetime beyond int64",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"token_lifetime": 18446744073709551615}}]})",
     "config: clients[0].refresh_token.token_lifetime: must be at most 31557600"},
    {"leeway negative",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"leeway": -1}}]})",
     "config: clients[0].refresh_token.leeway: expected a non-negative integer"},
    {"infinite flag not a boolean",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "w", "client_secret": "s",
        "refresh_token": {"infinite_token_lifetime": "no"}}]})",
     "config: clients[0].refresh_token.infinite_token_lifetime: expected a boolean"},
};

const BadConfig kDirectoryRows[] = {
    {"connections not an array", R"({"issuer": "https://id.example.com", "connections": "database"})",
     "config: connections: expected an array"},
    {"connection unknown key",
     R"({"issuer": "https://id.example.com",
         "connections": [{"name": "db", "strategy": "database", "enabled_client": []}]})",
     "config: connections[0].enabled_client: unknown key"},
    {"connection name missing",
     R"({"issuer": "https://id.example.com", "connections": [{"strategy": "database"}]})",
     "config: connections[0].name: required"},
    {"connection strategy missing",
     R"({"issuer": "https://id.example.com", "connections": [{"name": "db"}]})",
     "config: connections[0].strategy: required"},
    {"connection strategy empty",
     R"({"issuer": "https://id.example.com", "connections": [{"name": "db", "strategy": ""}]})",
     "config: connections[0].strategy: must not be empty"},
    {"connection name duplicate",
     R"({"issuer": "https://id.example.com", "connections": [{"name": "db", "strategy": "database"},
        {"name": "db", "strategy": "oidc"}]})",
     "config: connections[1].name: duplicate of connections[0].name"},
    {"connection options not an object",
     R"({"issuer": "https://id.example.com",
         "connections": [{"name": "fb", "strategy": "facebook", "options": []}]})",
     "config: connections[0].options: expected an object"},
    {"enabled client not configured",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "web", "client_secret": "s"}],
        "connections": [{"name": "db", "strategy": "database", "enabled_clients": ["web", "webb"]}]})",
     "config: connections[0].enabled_clients[1]: names no configured client"},
    {"enabled client listed twice",
     R"({"issuer": "https://id.example.com", "clients": [{"client_id": "web", "client_secret": "s"}],
        "connections": [{"name": "db", "strategy": "database", "enabled_clients": ["web", "web"]}]})",
     "config: connections[0].enabled_clients[1]: listed twice"},
    {"users not an array", R"({"issuer": "https://id.example.com", "users": {}})",
     "config: users: expected an array"},
    {"user unknown key",
     R"({"issuer": "https://id.example.com", "users": [{"email": "a@example.com", "pasword": "x"}]})",
     "config: users[0].pasword: unknown key"},
    {"user email missing", R"({"issuer": "https://id.example.com", "users": [{"password": "x"}]})",
     "config: users[0].email: required"},
    {"user email without @",
     R"({"issuer": "https://id.example.com", "users": [{"email": "alice", "password": "x"}]})",
     "config: users[0].email: must be an e-mail address"},
    {"user email with a space",
     R"({"issuer": "https://id.example.com", "users": [{"email": "alice @example.com", "password": "x"}]})",
     "config: users[0].email: must be an e-mail address"},
    {"user password missing",
     R"({"issuer": "https://id.example.com", "users": [{"email": "a@example.com"}]})",
     "config: users[0].password: required"},
    {"user password empty",
     R"({"issuer": "https://id.example.com", "users": [{"email": "a@example.com", "password": ""}]})",
     "config: users[0].password: must not be empty"},
    {"user email duplicate ignoring case",
     R"({"issuer": "https://id.example.com", "users": [{"email": "alice@example.com", "password": "x"},
        {"email": "Alice@Example.COM", "password": "y"}]})",
     "config: users[1].email: duplicate of users[0].email"},
    {"user phone not a string",
     R"({"issuer": "https://id.example.com",
         "users": [{"email": "a@example.com", "password": "x", "phone_number": 33612345678}]})",
     "config: users[0].phone_number: expected a string"},
    {"user role not a string",
     R"({"issuer": "https://id.example.com",
         "users": [{"email": "a@example.com", "password": "x", "roles": [1]}]})",
     "config: users[0].roles[0]: expected a string"},
};

void check_rows(const BadConfig* begin, const BadConfig* end) {
  for (const BadConfig* row = begin; row != end; ++row) {
    std::string name = row->name;
    CAPTURE(name);
    nlohmann::json doc = nlohmann::json::parse(row->json);
    Result<Config> config = parse_config(doc);
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().code == ErrorCode::kInvalidArgument);
    CHECK(config.error().message == row->message);
  }
}

}  // namespace

TEST_CASE("config errors: top level, listen, storage, session, signing") {
  check_rows(std::begin(kTopLevelRows), std::end(kTopLevelRows));
}

TEST_CASE("config errors: clients") {
  check_rows(std::begin(kClientRows), std::end(kClientRows));
}

TEST_CASE("config errors: client URLs") {
  check_rows(std::begin(kClientUrlRows), std::end(kClientUrlRows));
}

TEST_CASE("config errors: refresh-token policy (R5 R6 R7)") {
  check_rows(std::begin(kRefreshTokenRows), std::end(kRefreshTokenRows));
}

TEST_CASE("config errors: connections and users") {
  check_rows(std::begin(kDirectoryRows), std::end(kDirectoryRows));
}

TEST_CASE("config errors never quote a secret") {
  // The postgres URL and a user's password are secrets: problems with them
  // are reported by path only.
  const char* docs[] = {
      R"({"issuer": "https://id.example.com",
          "storage": {"backend": "postgres", "url": "mysql://u:hunter2@db/x"}})",
      R"({"issuer": "https://id.example.com", "users": [{"email": "hunter2", "password": "hunter2"}]})",
  };
  for (std::string text : docs) {
    CAPTURE(text);
    Result<Config> config = parse_config(nlohmann::json::parse(text));
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().message.find("hunter2") == std::string::npos);
  }
}

}  // namespace passerelle
