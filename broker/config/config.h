// The broker's configuration: the JSON file given to `passerelle serve
// --config FILE` (ARCHITECTURE §6), read strictly into plain value types.
// Every problem is reported as one line "config: <key path>: <problem>".
// Parsing has no shared state and is thread-safe; a Config is immutable
// after loading and may be read from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_log.h"
#include "core/ip_range.h"
#include "passerelle/result.h"

namespace passerelle {

// R5: refresh-token lifetimes are at most one year unless the deployment
// raises the limit (top-level "refresh_token_max_lifetime"), up to five years.
inline constexpr int64_t kRefreshTokenMaxLifetime = 31557600;          // 365.25 days
inline constexpr int64_t kRefreshTokenMaxLifetimeCeiling = 157788000;  // 5 * 365.25 days

// Which refresh-token families end with the broker session that started
// them ("session": {"revoke_refresh_tokens": "none" | "rotating" | "all"}).
// Default: the rotating ones, whose clients expect a fresh login after logout.
enum class SessionEndRevokes { kNone, kRotating, kAll };

enum class AppType { kRegularWeb, kSpa, kNative, kNonInteractive };
enum class TokenEndpointAuthMethod { kClientSecretBasic, kClientSecretPost, kNone };

// A client's refresh-token policy (R7: the "refresh_token" object of Auth0's
// PATCH /api/v2/clients/{id}). The defaults are those of a new application:
// non-rotating and non-expiring, absolute lifetime 2,592,000 s (R5, seed 004).
// The seed gives no idle default; 1,296,000 s (15 days) is the value Auth0
// itself gives new applications. When "expiration_type" is "expiring" and an
// "infinite_*" flag is omitted, that flag is false, so the lifetime applies.
struct RefreshTokenPolicy {
  bool rotating = false;             // rotation_type "rotating" | "non-rotating"
  bool expiring = false;             // expiration_type "expiring" | "non-expiring"
  int64_t token_lifetime = 2592000;  // absolute, seconds (R3, R5)
  bool infinite_token_lifetime = true;
  int64_t idle_token_lifetime = 1296000;  // inactivity, seconds (R4, R5)
  bool infinite_idle_token_lifetime = true;
  // Seconds during which an already-rotated token may still be exchanged
  // without being treated as reuse (R1); absorbs client retries.
  int64_t leeway = 0;
};

struct ClientConfig {
  std::string client_id;
  std::optional<std::string> client_secret;  // absent for public clients
  std::string name;                          // defaults to client_id
  AppType app_type = AppType::kRegularWeb;
  // Default: kNone for spa and native (they cannot keep a secret), else
  // kClientSecretBasic (RFC 6749 §2.3.1 makes Basic the one servers must support).
  TokenEndpointAuthMethod token_endpoint_auth_method = TokenEndpointAuthMethod::kClientSecretBasic;
  // Default: authorization_code + refresh_token for interactive app types,
  // client_credentials for non_interactive.
  std::vector<std::string> grant_types;
  std::vector<std::string> redirect_uris;  // exact strings; compared as such
  std::vector<std::string> allowed_web_origins;
  std::vector<std::string> allowed_logout_urls;
  std::vector<std::string> management_scopes;
  bool require_mfa = false;
  // Auth0's name: false marks a third-party application, whose users are
  // asked for consent before it gets their data.
  bool is_first_party = true;
  RefreshTokenPolicy refresh_token;

  bool is_public() const { return token_endpoint_auth_method == TokenEndpointAuthMethod::kNone; }
  bool allows_grant(std::string_view grant) const;
};

struct ConnectionConfig {
  std::string name;
  std::string strategy;
  nlohmann::json options = nlohmann::json::object();  // free-form; its connector validates it
  // Options the broker reads itself (taken out of `options`):
  //   trust_upstream_mfa      MFA the IdP reports (its amr) counts as MFA here
  //   link_by_verified_email  a first login whose verified e-mail matches a
  //                           user's verified e-mail joins that user
  //   display_name            the login button's label ("Continue with ...")
  bool trust_upstream_mfa = false;
  bool link_by_verified_email = false;
  std::string display_name;
  // The client ids that may use this connection. Omitted in the file means
  // every configured client, and the list is then filled in with all of them.
  std::vector<std::string> enabled_clients;
};

struct UserConfig {
  std::string email;
  std::string password;  // plain text in the file; stored only as an Argon2id hash
  std::optional<std::string> phone_number;
  std::vector<std::string> roles;
};

// Top-level keys (ARCHITECTURE §6): issuer, listen, data_dir, storage,
// session, signing, clients, connections, users, plugins_dir, brute_force,
// rate_limits, log, tls, trusted_proxies, audit, metrics, and
// refresh_token_max_lifetime (seconds, 31557600 to 157788000: the deployment
// setting of R5 that lets client refresh-token lifetimes go past one year).
struct Config {
  std::string issuer;  // required: absolute http(s) URL, no query, fragment or trailing '/'
  std::string listen_host = "127.0.0.1";  // "listen": "host:port" ("[::1]:8080" for IPv6)
  int listen_port = 8080;                 // 0 picks any free port (tests)
  std::string data_dir = "var/passerelle";
  std::string storage_backend = "lmdb";        // "storage": {"backend": "lmdb" | "postgres", "url": ...}
  std::string storage_url;                     // required for, and only allowed with, "postgres"
  int storage_pool_size = 8;                   // "pool_size": connections per node (postgres only)
  int64_t session_idle_lifetime = 259200;      // "session": {"idle_lifetime"} (S1), 3 days
  int64_t session_absolute_lifetime = 604800;  // "session": {"absolute_lifetime"}, 7 days
  SessionEndRevokes session_revokes = SessionEndRevokes::kRotating;  // "session": {"revoke_refresh_tokens"}
  std::string signing_alg = "RS256";           // "signing": {"alg": RS256 | ES256 | EdDSA}
  std::vector<ClientConfig> clients;
  // Absent from the file: one "database" connection named
  // "Username-Password-Authentication", enabled for every client.
  std::vector<ConnectionConfig> connections;
  std::vector<UserConfig> users;
  std::string plugins_dir;  // empty: built-in connectors only
  int64_t refresh_token_max_lifetime = kRefreshTokenMaxLifetime;
  // "brute_force": {"max_failures", "block_seconds"}: that many failed logins
  // on one account from one IP block the pair for block_seconds (0 failures:
  // off). Administrators unblock through /api/v2/user-blocks.
  int64_t brute_force_max_failures = 10;
  int64_t brute_force_block_seconds = 900;
  // "rate_limits": {"login_per_minute", "token_per_minute"}: requests per
  // client IP to POST /login and POST /oauth/token before 429 (0: no limit).
  // A back end refreshing for all its users is one IP: keep token generous.
  int64_t login_per_minute = 120;
  int64_t token_per_minute = 12000;
  // "log": {"level": "debug" | "info" | "warning" | "error"}: event and
  // request lines below this level are not written.
  LogLevel log_level = LogLevel::kInfo;
  // "tls": {"certificate_file", "private_key_file"}: serve HTTPS directly
  // (TLS 1.2 or newer) with this PEM certificate chain and key; both empty:
  // plain HTTP, for a TLS-terminating proxy in front or for local use.
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // "trusted_proxies": ["10.0.0.0/8", "::1", ...]: peers whose
  // X-Forwarded-For is believed for the client's address (rate limits,
  // brute-force blocks, logs). Empty: the header is ignored.
  std::vector<IpRange> trusted_proxies;
  // "audit": {"retention_days": 1 to 3650}: how long audit events
  // (/api/v2/logs) are kept before the sweeper removes them.
  int64_t audit_retention_days = 30;
  // "metrics": {"bearer_token_sha256": "<64 hex>"}: GET /metrics then wants
  // "Authorization: Bearer <token>" with this SHA-256 (lower-case hex here).
  // Only the digest is configured, never the token. Empty: /metrics is open.
  std::string metrics_bearer_token_sha256;

  // nullptr when no client has that id.
  const ClientConfig* find_client(std::string_view id) const;
};

// Validates `doc` against the schema above. On failure the Error is
// kInvalidArgument with the message "config: <path>: <problem>", one line,
// never quoting a secret. Never throws.
Result<Config> parse_config(const nlohmann::json& doc);

// Reads and parses the file at `path`. An unreadable file or a JSON syntax
// error gives "config: <path>: <reason>" (with line and column for syntax
// errors). Never throws.
Result<Config> load_config_file(const std::string& path);

// Reads a "refresh_token" object (R7) over `base`: keys absent from `value`
// keep base's values, except that changing expiration_type also sets the
// infinite_* flags it does not give (true for "non-expiring", false for
// "expiring"). Shared by the config and the management API's PATCH.
// Lifetimes must lie in 1..max_lifetime (R5). On failure the message is
// "<path>.<key>: <problem>" without the "config: " prefix. Never throws.
Result<RefreshTokenPolicy> parse_refresh_token_policy(const nlohmann::json& value,
                                                      const RefreshTokenPolicy& base, int64_t max_lifetime,
                                                      const std::string& path = "refresh_token");

// The R7 object for `policy`, as the management API shows it.
nlohmann::json refresh_token_policy_json(const RefreshTokenPolicy& policy);

// Reads one client object, shaped like an entry of "clients", as the config
// does. Shared with the management API. On failure the message is
// "<path>.<key>: <problem>" (just "<key>: <problem>" for an empty path).
// Never throws.
Result<ClientConfig> parse_client_config(const nlohmann::json& value, int64_t refresh_token_max_lifetime,
                                         const std::string& path = "");

// The JSON spellings: "regular_web", "spa", ...; "client_secret_basic", ...
const char* app_type_name(AppType type);
const char* auth_method_name(TokenEndpointAuthMethod method);

}  // namespace passerelle
