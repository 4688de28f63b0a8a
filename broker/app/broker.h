// The broker: the config, the store, and the services the endpoints share,
// built in dependency order. Endpoint handlers receive a Broker&.
// Thread-safe: every service is (see each header); the config is read-only.
#pragma once

#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "clients/client_registry.h"
#include "config/config.h"
#include "connectors/connection_registry.h"
#include "core/clock.h"
#include "core/secret_box.h"
#include "metrics/broker_metrics.h"
#include "mfa/mfa_store.h"
#include "oidc/code_store.h"
#include "security/login_blocks.h"
#include "security/rate_limiter.h"
#include "session/login_transaction.h"
#include "session/session_revoker.h"
#include "session/session_store.h"
#include "session/upstream_login_store.h"
#include "session/upstream_session_store.h"
#include "storage/kv_store.h"
#include "tokens/key_ring.h"
#include "tokens/refresh_token_store.h"
#include "tokens/token_issuer.h"
#include "users/consent_store.h"
#include "users/federated_users.h"
#include "users/user_store.h"

namespace passerelle {

inline constexpr const char* kSessionCookie = "passerelle_session";

class Broker {
 public:
  // Opens the store under config.data_dir, seeds clients and users from the
  // config, and loads (or creates) the signing keys.
  // Opens the upstream connections through their plugins; a connection that
  // cannot be opened fails with "connection \"<name>\": <reason>".
  static Result<std::unique_ptr<Broker>> open(Config config, const Clock& clock,
                                              PasswordHashCost password_cost = {});
  // Same, on a store the caller opened (tests).
  static Result<std::unique_ptr<Broker>> open(Config config, const Clock& clock,
                                              std::unique_ptr<storage::KvStore> store,
                                              PasswordHashCost password_cost = {},
                                              ConnectorOptions connector_options = {});

  const Config& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  // The store, behind a decorator that times its commits.
  storage::KvStore& store() { return *store_; }
  AuditLog& audit() { return audit_; }
  BrokerMetrics& metrics() { return metrics_; }
  UserStore& users() { return users_; }
  ClientRegistry& clients() { return clients_; }
  SessionStore& sessions() { return sessions_; }
  LoginTransactionStore& login_transactions() { return login_transactions_; }
  CodeStore& codes() { return codes_; }
  RefreshTokenStore& refresh_tokens() { return refresh_tokens_; }
  SessionRevoker& session_revoker() { return session_revoker_; }
  LoginBlocks& login_blocks() { return login_blocks_; }
  RateLimiter& login_limiter() { return login_limiter_; }
  RateLimiter& token_limiter() { return token_limiter_; }
  KeyRing& keys() { return *keys_; }
  const TokenIssuer& tokens() const { return *tokens_; }
  const SecretBox& secret_box() const { return *secret_box_; }
  MfaStore& mfa() { return *mfa_; }
  ConsentStore& consents() { return consents_; }
  const ConnectionRegistry& connections() const { return *connections_; }
  FederatedUsers& federated_users() { return federated_users_; }
  UpstreamLoginStore& upstream_logins() { return upstream_logins_; }
  UpstreamSessionStore& upstream_sessions() { return upstream_sessions_; }

  // The database (username/password) connection `client_id` may use, if any.
  const ConnectionConfig* database_connection(std::string_view client_id) const;

  bool secure_cookies() const { return config_.issuer.rfind("https://", 0) == 0; }
  std::string url(std::string_view path) const { return config_.issuer + std::string(path); }

 private:
  Broker(Config config, const Clock& clock, std::unique_ptr<storage::KvStore> store, PasswordHashCost cost);

  Config config_;
  const Clock& clock_;
  BrokerMetrics metrics_;  // before the store, which reports to it
  std::unique_ptr<storage::KvStore> store_;
  AuditLog audit_;  // before the services that record events in their own transactions
  UserStore users_;
  ClientRegistry clients_;
  SessionStore sessions_;
  LoginTransactionStore login_transactions_;
  CodeStore codes_;
  RefreshTokenStore refresh_tokens_;
  SessionRevoker session_revoker_;
  LoginBlocks login_blocks_;
  RateLimiter login_limiter_;
  RateLimiter token_limiter_;
  std::unique_ptr<KeyRing> keys_;
  std::unique_ptr<TokenIssuer> tokens_;
  std::unique_ptr<SecretBox> secret_box_;  // master key file in data_dir
  std::unique_ptr<MfaStore> mfa_;
  ConsentStore consents_;
  FederatedUsers federated_users_;
  UpstreamLoginStore upstream_logins_;
  UpstreamSessionStore upstream_sessions_;
  std::unique_ptr<ConnectionRegistry> connections_;
};

}  // namespace passerelle
