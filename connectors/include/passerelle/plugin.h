// The plugin ABI: a connector module is a shared library exporting one C
// function, `passerelle_connector_plugin`, that returns a static descriptor.
// The broker reads `abi_version` first and touches nothing else unless it
// equals the broker's kPluginAbiVersion, so a module built against another
// SDK is refused with a clear message instead of crashing.
//
// The C++ types behind the descriptor (Connector, Result, nlohmann::json,
// std::string) cross the boundary, so a module must be built with the same
// compiler family and standard library as the broker; kPluginAbiVersion
// changes whenever a header of this SDK changes incompatibly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "passerelle/connector.h"
#include "passerelle/host.h"
#include "passerelle/result.h"

namespace passerelle {

// 2: Connector::metadata() (a new virtual function).
inline constexpr uint32_t kPluginAbiVersion = 2;

// The name of the exported entry point, for dlsym.
inline constexpr const char* kPluginEntryPoint = "passerelle_connector_plugin";

struct ConnectionSettings {
  std::string name;  // the connection's name in the config, for messages
  std::string strategy;
  nlohmann::json options = nlohmann::json::object();
};

// Builds a connector from its connection's options. Options that are
// missing or malformed give kInvalidArgument with a message like
// "options.client_id: required" (no secret quoted). `host` outlives the
// connector. Must not throw.
using ConnectorFactory = Result<std::unique_ptr<Connector>> (*)(const ConnectionSettings& settings,
                                                                const HostServices& host);

struct PluginDescriptor {
  uint32_t abi_version;  // kPluginAbiVersion of the SDK the module was built with
  const char* module_name;  // for messages, e.g. "facebook"
  // The strategies the module serves, ending with nullptr.
  const char* const* strategies;
  ConnectorFactory create;
};

using PluginEntryPoint = const PluginDescriptor* (*)();

}  // namespace passerelle

// Defines the entry point of a module serving `descriptor` (a static
// PluginDescriptor). Use once per module, at namespace scope.
#define PASSERELLE_CONNECTOR_PLUGIN(descriptor)                                                     \
  extern "C" __attribute__((visibility("default"))) const ::passerelle::PluginDescriptor*          \
  passerelle_connector_plugin() {                                                                   \
    return &(descriptor);                                                                           \
  }
