#include "connectors/connection_registry.h"

#include <algorithm>
#include <exception>

namespace passerelle {
namespace {

Error named(const ConnectionConfig& c, const Error& e) {
  return Error{e.code, "connection \"" + c.name + "\": " + e.message};
}

// The factory's verdict; a factory that throws despite the contract is
// reported like any other failure rather than ending the process.
Result<std::unique_ptr<Connector>> create(const LoadedPlugin& plugin, const ConnectionConfig& c,
                                          const HostServices& host) {
  ConnectionSettings settings{c.name, c.strategy, c.options};
  try {
    auto connector = plugin.create(settings, host);
    if (connector && *connector == nullptr) return fail(Error::internal(plugin.origin + ": the factory returned null"));
    return connector;
  } catch (const std::exception& e) {
    return fail(Error::internal(plugin.origin + ": the factory threw: " + e.what()));
  } catch (...) {
    return fail(Error::internal(plugin.origin + ": the factory threw"));
  }
}

}  // namespace

Result<std::unique_ptr<ConnectionRegistry>> ConnectionRegistry::open(const std::vector<ConnectionConfig>& connections,
                                                                     const PluginSearchPath& search_path,
                                                                     std::unique_ptr<HostBundle> host) {
  std::unique_ptr<ConnectionRegistry> registry(new ConnectionRegistry(std::move(host)));
  for (const ConnectionConfig& c : connections) {
    if (c.strategy == "database") continue;  // served by the broker itself
    HostServices services = registry->host_->services_for(c.name);
    auto plugin = load_plugin(c.strategy, search_path);
    if (!plugin) return fail(named(c, plugin.error()));
    auto connector = create(*plugin, c, services);
    if (!connector) return fail(named(c, connector.error()));
    auto open = std::make_unique<OpenConnection>();
    open->module = std::move(plugin->module);
    open->config = c;
    open->connector = std::move(*connector);
    registry->connections_.push_back(std::move(open));
  }
  return registry;
}

const OpenConnection* ConnectionRegistry::find(std::string_view name) const {
  for (const auto& c : connections_) {
    if (c->config.name == name) return c.get();
  }
  return nullptr;
}

std::vector<const OpenConnection*> ConnectionRegistry::enabled_for(std::string_view client_id) const {
  std::vector<const OpenConnection*> out;
  for (const auto& c : connections_) {
    const auto& ids = c->config.enabled_clients;
    if (std::find(ids.begin(), ids.end(), client_id) != ids.end()) out.push_back(c.get());
  }
  return out;
}

}  // namespace passerelle
