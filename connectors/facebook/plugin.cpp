// The facebook module's entry point: serves the "facebook" strategy.
#include "facebook/facebook_connector.h"
#include "passerelle/plugin.h"

namespace {

const char* const kStrategies[] = {"facebook", nullptr};
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "facebook", kStrategies,
                                               &passerelle::facebook::create_connector};

}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
