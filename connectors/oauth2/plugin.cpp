// The oauth2 module's entry point: serves the "oauth2" strategy.
#include "oauth2/oauth2_connector.h"
#include "passerelle/plugin.h"

namespace {

const char* const kStrategies[] = {"oauth2", nullptr};
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "oauth2", kStrategies,
                                               &passerelle::oauth2::create_connector};

}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
