#include "app/broker.h"

#include <algorithm>
#include <filesystem>

#include "app/store_factory.h"
#include "dashboard/admin_session.h"
#include "jose/signing_key.h"
#include "metrics/timed_kv_store.h"
#include "store/tables.h"

namespace passerelle {

Broker::Broker(Config config, const Clock& clock, std::unique_ptr<storage::KvStore> store, PasswordHashCost cost)
    : config_(std::move(config)),
      clock_(clock),
      store_(std::make_unique<metrics::TimedKvStore>(std::move(store), metrics_.storage_commits())),
      audit_(*store_, clock_, config_.audit_retention_days * 86400, config_.trusted_proxies),
      users_(*store_, clock_, cost),
      clients_(*store_),
      sessions_(*store_, clock_, {config_.session_idle_lifetime, config_.session_absolute_lifetime}),
      login_transactions_(*store_, clock_),
      codes_(*store_, clock_),
      refresh_tokens_(*store_, clock_, &audit_, [this] { metrics_.count_refresh_reuse(); }),
      session_revoker_(*store_, clock_, config_.session_revokes),
      login_blocks_(*store_, clock_, {config_.brute_force_max_failures, config_.brute_force_block_seconds}),
      login_limiter_(clock_, config_.login_per_minute),
      token_limiter_(clock_, config_.token_per_minute),
      consents_(*store_, clock_),
      federated_users_(*store_, clock_),
      upstream_logins_(*store_, clock_),
      upstream_sessions_(*store_) {
  // O(1) on LMDB (a table's entry count is kept in its root page), so a
  // scrape costs the same with a million sessions as with ten.
  auto entries = [this](std::string_view table) {
    return [this, table]() -> std::optional<double> {
      std::optional<double> n;
      auto st = store_->view([&](storage::ReadTxn& txn) -> Status {
        auto count = txn.count(table);
        if (!count) return fail(count.error());
        n = static_cast<double>(*count);
        return {};
      });
      return st ? n : std::nullopt;
    };
  };
  // Each logged-in session has one entry in the sid index.
  metrics_.watch_sessions(entries(tables::kSessions), entries(tables::kSessionsBySid));
}

const ConnectionConfig* Broker::database_connection(std::string_view client_id) const {
  for (const auto& c : config_.connections) {
    if (c.strategy != "database") continue;
    if (client_id == dashboard::kClientId) return &c;  // administrators log in with a password
    if (std::find(c.enabled_clients.begin(), c.enabled_clients.end(), client_id) != c.enabled_clients.end()) return &c;
  }
  return nullptr;
}

Result<std::unique_ptr<Broker>> Broker::open(Config config, const Clock& clock, PasswordHashCost password_cost) {
  auto store = open_configured_store(config);
  if (!store) return fail(store.error());
  return open(std::move(config), clock, std::move(*store), password_cost);
}

Result<std::unique_ptr<Broker>> Broker::open(Config config, const Clock& clock,
                                             std::unique_ptr<storage::KvStore> store,
                                             PasswordHashCost password_cost,
                                             ConnectorOptions connector_options) {
  auto alg = parse_jws_alg(config.signing_alg);
  if (!alg) return fail(Error::invalid_argument("signing.alg: unsupported algorithm"));
  std::unique_ptr<Broker> broker(new Broker(std::move(config), clock, std::move(store), password_cost));
  // Connections first: a bad plugin or option is the likeliest start-up
  // failure, and it should not leave seeded records behind.
  PluginSearchPath search_path =
      connector_options.search_path.value_or(default_plugin_search_path(broker->config_));
  // The registry is the broker's, so the broker outlives the observer.
  UpstreamCallObserver observe = [m = &broker->metrics_](std::string_view connection, double seconds,
                                                         std::string_view error) {
    m->observe_upstream_call(connection, seconds, error);
  };
  auto connections = ConnectionRegistry::open(broker->config_.connections, search_path,
                                              std::make_unique<HostBundle>(clock, connector_options.http, observe));
  if (!connections) return fail(connections.error());
  broker->connections_ = std::move(*connections);
  if (auto st = broker->clients_.seed(broker->config_.clients); !st) return fail(st.error());
  if (auto st = broker->clients_.seed({dashboard::client_settings(broker->config_.issuer)}); !st) {
    return fail(st.error());
  }
  if (auto st = broker->users_.seed(broker->config_.users); !st) return fail(st.error());
  auto keys = KeyRing::open(*broker->store_, clock, *alg);
  if (!keys) return fail(keys.error());
  broker->keys_ = std::move(*keys);
  broker->tokens_ = std::make_unique<TokenIssuer>(*broker->keys_, clock, broker->config_.issuer);
  std::error_code ignored;
  std::filesystem::create_directories(broker->config_.data_dir, ignored);  // a missing folder fails just below
  auto box = SecretBox::open_key_file((std::filesystem::path(broker->config_.data_dir) / "secret_box.key").string());
  if (!box) return fail(box.error());
  broker->secret_box_ = std::make_unique<SecretBox>(std::move(*box));
  broker->mfa_ = std::make_unique<MfaStore>(*broker->store_, clock, *broker->secret_box_);
  return broker;
}

}  // namespace passerelle
