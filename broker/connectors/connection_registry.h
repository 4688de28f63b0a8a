// The upstream connections of the config (every strategy but "database"),
// each opened once at start-up through its plugin. Any connection that
// cannot be opened stops start-up with one line naming it:
//   connection "facebook": plugin file facebook.so not found in /opt/plugins
// Thread-safe after open(): read-only, and connectors are thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "connectors/host_services.h"
#include "connectors/plugin_loader.h"
#include "passerelle/connector.h"

namespace passerelle {

// How the broker opens its connections; the defaults suit a deployment.
struct ConnectorOptions {
  std::optional<PluginSearchPath> search_path;  // nullopt: default_plugin_search_path(config)
  HttpClientOptions http;                       // timeouts of calls to upstreams
};

struct OpenConnection {
  ModuleHandle module;  // declared first, so destroyed after the connector
  ConnectionConfig config;
  std::unique_ptr<Connector> connector;
};

class ConnectionRegistry {
 public:
  // Opens every non-database connection of `connections`; `host` lends its
  // services to the connectors and lives as long as the registry.
  static Result<std::unique_ptr<ConnectionRegistry>> open(const std::vector<ConnectionConfig>& connections,
                                                          const PluginSearchPath& search_path,
                                                          std::unique_ptr<HostBundle> host);

  // The open connection named `name`, or nullptr.
  const OpenConnection* find(std::string_view name) const;
  // The upstream connections `client_id` may use, in config order.
  std::vector<const OpenConnection*> enabled_for(std::string_view client_id) const;
  size_t size() const { return connections_.size(); }

 private:
  explicit ConnectionRegistry(std::unique_ptr<HostBundle> host) : host_(std::move(host)) {}

  std::unique_ptr<HostBundle> host_;  // destroyed last
  std::vector<std::unique_ptr<OpenConnection>> connections_;
};

}  // namespace passerelle
