// Opens connector plugin modules (ARCHITECTURE §5). A connection whose
// strategy is S is served by the module file "S.so", looked for first in the
// deployment's plugins_dir, then among the built-in modules (installed
// beside the executable, or in the build tree).
// Loading checks the entry point and the ABI version before anything else in
// the module is used. Not thread-safe: used once, at start-up.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "passerelle/plugin.h"

namespace passerelle {

// A dlopen handle; the module stays mapped while any copy lives, so a
// connector must be destroyed before the last copy of its module.
using ModuleHandle = std::shared_ptr<void>;

struct LoadedPlugin {
  ModuleHandle module;  // null for a factory linked into the broker
  ConnectorFactory create = nullptr;
  std::string origin;   // the module file, or "linked", for messages
};

struct PluginSearchPath {
  std::vector<std::string> dirs;  // searched in order; empty entries are skipped
  // Factories linked into this process by strategy (tests, static builds),
  // preferred over any file.
  std::map<std::string, ConnectorFactory> linked;
};

// The broker's defaults: config.plugins_dir, then builtin_plugin_dir().
PluginSearchPath default_plugin_search_path(const Config& config);

// Where the built-in modules are: <prefix>/lib/passerelle/plugins when the
// running executable is an installed <prefix>/bin/passerelle and that
// folder exists, else the build tree's own modules; "" when neither applies.
std::string builtin_plugin_dir();

// Loads the module serving `strategy`. Errors (kNotFound, kInvalidArgument)
// are one line without the connection's name, e.g.
// "plugin file facebook.so not found in /a, /b" or
// "/a/facebook.so: ABI version 1, this broker supports 2".
Result<LoadedPlugin> load_plugin(const std::string& strategy, const PluginSearchPath& path);

// Dlopens the module at `file` and checks its descriptor serves `strategy`.
Result<LoadedPlugin> load_plugin_file(const std::string& file, const std::string& strategy);

}  // namespace passerelle
