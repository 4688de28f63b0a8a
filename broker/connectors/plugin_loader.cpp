#include "connectors/plugin_loader.h"

#include <dlfcn.h>

#include <cstdint>
#include <filesystem>
#include <system_error>

namespace passerelle {
namespace {

// A strategy names a file: letters, digits, '-' and '_' only, so that a
// config cannot point the loader outside its folders.
bool is_strategy_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool serves(const PluginDescriptor& d, const std::string& strategy) {
  if (d.strategies == nullptr) return false;
  for (const char* const* s = d.strategies; *s != nullptr; ++s) {
    if (strategy == *s) return true;
  }
  return false;
}

}  // namespace

std::string builtin_plugin_dir() {
#ifdef PASSERELLE_PLUGIN_DIR_FROM_BIN
  // Relative to the executable rather than a compiled-in prefix, so that
  // `cmake --install --prefix` and moving the installed tree both work.
  // /proc/self/exe has symlinks resolved: a /usr/bin/passerelle link to
  // /opt/passerelle/bin/passerelle finds /opt/passerelle/lib/...
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path dir = (exe.parent_path() / PASSERELLE_PLUGIN_DIR_FROM_BIN).lexically_normal();
    if (std::filesystem::is_directory(dir, ec)) return dir.string();
  }
#endif
#ifdef PASSERELLE_BUILTIN_PLUGIN_DIR
  return PASSERELLE_BUILTIN_PLUGIN_DIR;
#else
  return "";
#endif
}

PluginSearchPath default_plugin_search_path(const Config& config) {
  PluginSearchPath path;
  path.dirs.push_back(config.plugins_dir);
  path.dirs.push_back(builtin_plugin_dir());
  return path;
}

Result<LoadedPlugin> load_plugin_file(const std::string& file, const std::string& strategy) {
  // RTLD_NOW: an unresolved symbol fails here, at start-up, not mid-login.
  // RTLD_LOCAL: two modules may embed the same helper code without clashing.
  void* raw = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (raw == nullptr) {
    const char* why = dlerror();
    return fail(Error::invalid_argument(file + ": cannot load: " + (why ? why : "unknown error")));
  }
  ModuleHandle module(raw, [](void* h) { dlclose(h); });
  void* symbol = dlsym(raw, kPluginEntryPoint);
  if (symbol == nullptr) {
    return fail(Error::invalid_argument(file + ": no entry point " + kPluginEntryPoint +
                                        " (not a Passerelle connector plugin)"));
  }
  auto entry = reinterpret_cast<PluginEntryPoint>(symbol);
  const PluginDescriptor* descriptor = entry();
  if (descriptor == nullptr) return fail(Error::invalid_argument(file + ": the entry point returned no descriptor"));
  // Read before any other field: the rest of the layout belongs to that version.
  uint32_t version = descriptor->abi_version;
  if (version != kPluginAbiVersion) {
    return fail(Error::invalid_argument(file + ": ABI version " + std::to_string(version) +
                                        ", this broker supports " + std::to_string(kPluginAbiVersion)));
  }
  if (descriptor->create == nullptr) return fail(Error::invalid_argument(file + ": the descriptor has no factory"));
  if (!serves(*descriptor, strategy)) {
    return fail(Error::invalid_argument(file + ": does not serve strategy \"" + strategy + "\""));
  }
  return LoadedPlugin{std::move(module), descriptor->create, file};
}

Result<LoadedPlugin> load_plugin(const std::string& strategy, const PluginSearchPath& path) {
  if (!is_strategy_name(strategy)) {
    return fail(Error::invalid_argument("strategy \"" + strategy + "\" is not a valid plugin name"));
  }
  if (auto it = path.linked.find(strategy); it != path.linked.end()) {
    return LoadedPlugin{nullptr, it->second, "linked"};
  }
  std::string file_name = strategy + ".so";
  std::string searched;
  for (const std::string& dir : path.dirs) {
    if (dir.empty()) continue;
    std::filesystem::path candidate = std::filesystem::path(dir) / file_name;
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return load_plugin_file(candidate.string(), strategy);
    searched += (searched.empty() ? "" : ", ") + dir;
  }
  return fail(Error::not_found("plugin file " + file_name + " not found" +
                               (searched.empty() ? std::string(" (no plugins_dir set)") : " in " + searched)));
}

}  // namespace passerelle
