// The oidc module's entry point: serves the "oidc" strategy and its
// "google" preset (the same module, installed under both names).
#include "oidc/oidc_connector.h"
#include "passerelle/plugin.h"

namespace {

const char* const kStrategies[] = {"oidc", "google", nullptr};
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "oidc", kStrategies,
                                               &passerelle::oidc::create_connector};

}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
