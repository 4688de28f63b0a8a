#include "config/config.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "config/json_reader.h"
#include "config/sections.h"
#include "config/url_rules.h"

namespace passerelle {
namespace {

// Session lifetimes have no limit in the seeds; this ceiling only keeps
// `now + lifetime` far from int64 overflow while allowing any real setting.
constexpr int64_t kMaxSessionLifetime = 10 * kRefreshTokenMaxLifetime;

void read_listen(const JsonReader& r, Config& c) {
  std::optional<std::string> listen = r.string("listen");
  if (!listen) return;
  auto bad = [&] { throw_at(r.path_of("listen"), "must be host:port with a port from 0 to 65535"); };
  std::string_view text = *listen;
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) bad();
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // "[::1]:8080"
  } else if (host.find(':') != std::string_view::npos) {
    bad();  // an IPv6 address must be bracketed, or the port is ambiguous
  }
  bool host_ok = !host.empty() && std::none_of(host.begin(), host.end(), [](char ch) {
    return static_cast<unsigned char>(ch) <= 0x20 || ch == '[' || ch == ']' || ch == '/';
  });
  bool port_ok = !port.empty() && port.size() <= 5 &&
                 std::all_of(port.begin(), port.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!host_ok || !port_ok || std::stoi(std::string(port)) > 65535) bad();
  c.listen_host = std::string(host);
  c.listen_port = std::stoi(std::string(port));
}

void read_storage(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("storage");
  if (!v) return;
  JsonReader r(*v, root.path_of("storage"), {"backend", "url", "pool_size"});
  if (auto i = r.choice("backend", {"lmdb", "postgres"})) c.storage_backend = (*i == 0) ? "lmdb" : "postgres";
  std::optional<std::string> url = r.non_empty_string("url");
  if (c.storage_backend == "postgres") {
    if (!url) throw_at(r.path_of("url"), "required when backend is \"postgres\"");
    // The URL may hold a password: the message must not quote it.
    if (url->rfind("postgresql://", 0) != 0 && url->rfind("postgres://", 0) != 0) {
      throw_at(r.path_of("url"), "must start with postgresql://");
    }
    c.storage_url = *url;
    if (auto n = r.integer("pool_size", 1, 256)) c.storage_pool_size = static_cast<int>(*n);
  } else if (url) {
    throw_at(r.path_of("url"), "only allowed when backend is \"postgres\"");
  } else if (r.find("pool_size")) {
    throw_at(r.path_of("pool_size"), "only allowed when backend is \"postgres\"");
  }
}

void read_session(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("session");
  if (!v) return;
  JsonReader r(*v, root.path_of("session"), {"idle_lifetime", "absolute_lifetime", "revoke_refresh_tokens"});
  if (auto i = r.choice("revoke_refresh_tokens", {"none", "rotating", "all"})) {
    c.session_revokes = std::array{SessionEndRevokes::kNone, SessionEndRevokes::kRotating, SessionEndRevokes::kAll}[*i];
  }
  if (auto n = r.integer("idle_lifetime", 1, kMaxSessionLifetime)) c.session_idle_lifetime = *n;
  if (auto n = r.integer("absolute_lifetime", 1, kMaxSessionLifetime)) c.session_absolute_lifetime = *n;
  // S1: the session ends at whichever limit comes first, so an idle window
  // longer than the absolute one is a misreading of the settings.
  if (c.session_idle_lifetime > c.session_absolute_lifetime) {
    throw_at(r.path_of("idle_lifetime"), "must not exceed session.absolute_lifetime");
  }
}

void read_signing(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("signing");
  if (!v) return;
  JsonReader r(*v, root.path_of("signing"), {"alg"});
  constexpr const char* kAlgs[] = {"RS256", "ES256", "EdDSA"};
  if (auto i = r.choice("alg", {kAlgs[0], kAlgs[1], kAlgs[2]})) c.signing_alg = kAlgs[*i];
}

void read_abuse_limits(const JsonReader& root, Config& c) {
  constexpr int64_t kDay = 86400;
  if (const nlohmann::json* v = root.find("brute_force")) {
    JsonReader r(*v, root.path_of("brute_force"), {"max_failures", "block_seconds"});
    if (auto n = r.integer("max_failures", 0, 1000)) c.brute_force_max_failures = *n;
    if (auto n = r.integer("block_seconds", 1, 30 * kDay)) c.brute_force_block_seconds = *n;
  }
  if (const nlohmann::json* v = root.find("rate_limits")) {
    JsonReader r(*v, root.path_of("rate_limits"), {"login_per_minute", "token_per_minute"});
    if (auto n = r.integer("login_per_minute", 0, 1000000)) c.login_per_minute = *n;
    if (auto n = r.integer("token_per_minute", 0, 100000000)) c.token_per_minute = *n;
  }
}

void read_log(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("log");
  if (!v) return;
  JsonReader r(*v, root.path_of("log"), {"level"});
  constexpr LogLevel kLevels[] = {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError};
  if (auto i = r.choice("level", {"debug", "info", "warning", "error"})) c.log_level = kLevels[*i];
}

void read_audit(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("audit");
  if (!v) return;
  JsonReader r(*v, root.path_of("audit"), {"retention_days"});
  // Ten years at most: long enough for any compliance rule, short enough
  // that days * 86400 stays far from overflowing.
  if (auto n = r.integer("retention_days", 1, 3650)) c.audit_retention_days = *n;
}

void read_metrics(const JsonReader& root, Config& c) {
  const nlohmann::json* v = root.find("metrics");
  if (!v) return;
  JsonReader r(*v, root.path_of("metrics"), {"bearer_token_sha256"});
  auto digest = r.string("bearer_token_sha256");
  if (!digest) return;
  bool hex = digest->size() == 64 && std::all_of(digest->begin(), digest->end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
  });
  // The message never quotes the value: a token pasted here by mistake
  // must not reach the logs.
  if (!hex) throw_at(r.path_of("bearer_token_sha256"), "must be the SHA-256 of the token, 64 hex digits");
  for (char ch : *digest) c.metrics_bearer_token_sha256 += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
}

Config read_config(const nlohmann::json& doc) {
  JsonReader root(doc, "",
                  {"issuer", "listen", "data_dir", "storage", "session", "signing", "clients", "connections",
                   "users", "plugins_dir", "refresh_token_max_lifetime", "brute_force", "rate_limits", "log",
                   "tls", "trusted_proxies", "audit", "metrics"});
  Config c;
  // First: the clients' refresh-token limits depend on it (R5).
  if (auto n = root.integer("refresh_token_max_lifetime", kRefreshTokenMaxLifetime,
                            kRefreshTokenMaxLifetimeCeiling)) {
    c.refresh_token_max_lifetime = *n;
  }
  c.issuer = root.required_string("issuer");
  if (!is_issuer_url(c.issuer)) {
    throw_at(root.path_of("issuer"),
             "must be an absolute http(s) URL without query, fragment or trailing slash");
  }
  read_listen(root, c);
  if (auto dir = root.non_empty_string("data_dir")) c.data_dir = *dir;
  read_storage(root, c);
  read_session(root, c);
  read_signing(root, c);
  read_abuse_limits(root, c);
  read_log(root, c);
  config_sections::read_serving(root, c);
  read_audit(root, c);
  read_metrics(root, c);
  c.clients = config_sections::read_clients(root, c.refresh_token_max_lifetime);
  c.connections = config_sections::read_connections(root, c.clients);
  c.users = config_sections::read_users(root);
  if (auto dir = root.non_empty_string("plugins_dir")) c.plugins_dir = *dir;
  return c;
}

// nlohmann's parse_error text, minus its "[json.exception...] " tag and the
// "last read: '...'" excerpt, which could echo part of a secret.
std::string describe_parse_error(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  if (size_t tag_end = what.find("] ");
      what.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos) {
    what.erase(0, tag_end + 2);
  }
  if (size_t excerpt = what.find("; last read: "); excerpt != std::string::npos) {
    size_t expected = what.rfind("; expected ");
    std::string tail = (expected != std::string::npos && expected > excerpt) ? what.substr(expected) : "";
    what = what.substr(0, excerpt) + tail;
  }
  std::replace_if(
      what.begin(), what.end(), [](char ch) { return ch == '\n' || ch == '\r'; }, ' ');
  return what;
}

Result<std::string> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    int err = errno;
    std::string msg = "config: " + path + ": " + std::strerror(err);
    return fail(err == ENOENT ? Error::not_found(msg) : Error::unavailable(msg));
  }
  std::string text;
  char buf[8192];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  int err = std::ferror(f) ? errno : 0;  // EISDIR when `path` is a directory
  std::fclose(f);
  if (err != 0) return fail(Error::unavailable("config: " + path + ": " + std::strerror(err)));
  return text;
}

}  // namespace

bool ClientConfig::allows_grant(std::string_view grant) const {
  return std::find(grant_types.begin(), grant_types.end(), grant) != grant_types.end();
}

const ClientConfig* Config::find_client(std::string_view id) const {
  for (const ClientConfig& c : clients) {
    if (c.client_id == id) return &c;
  }
  return nullptr;
}

Result<Config> parse_config(const nlohmann::json& doc) {
  try {
    return read_config(doc);
  } catch (const JsonReadError& e) {
    return fail(Error::invalid_argument(std::string("config: ") + e.what()));
  } catch (const std::exception& e) {
    return fail(Error::internal(std::string("config: ") + e.what()));
  }
}

Result<Config> load_config_file(const std::string& path) {
  Result<std::string> text = read_file(path);
  if (!text) return fail(text.error());
  nlohmann::json doc;
  try {
    doc = parse_json_strict(*text);
  } catch (const JsonReadError& e) {
    return fail(Error::invalid_argument(std::string("config: ") + e.what()));
  } catch (const nlohmann::json::parse_error& e) {
    return fail(Error::invalid_argument("config: " + path + ": " + describe_parse_error(e)));
  } catch (const nlohmann::json::out_of_range&) {
    // A number no double holds (1e400). The library's text would quote it,
    // and it is the file's fault, not an internal error.
    return fail(Error::invalid_argument("config: " + path + ": a number is out of range"));
  } catch (const std::exception& e) {
    return fail(Error::internal("config: " + path + ": " + e.what()));
  }
  return parse_config(doc);
}

const char* app_type_name(AppType type) {
  switch (type) {
    case AppType::kRegularWeb:
      return "regular_web";
    case AppType::kSpa:
      return "spa";
    case AppType::kNative:
      return "native";
    case AppType::kNonInteractive:
      return "non_interactive";
  }
  return "regular_web";
}

const char* auth_method_name(TokenEndpointAuthMethod method) {
  switch (method) {
    case TokenEndpointAuthMethod::kClientSecretBasic:
      return "client_secret_basic";
    case TokenEndpointAuthMethod::kClientSecretPost:
      return "client_secret_post";
    case TokenEndpointAuthMethod::kNone:
      return "none";
  }
  return "none";
}

}  // namespace passerelle
