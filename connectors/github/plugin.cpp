// The github module's entry point: serves the "github" strategy.
#include "github/github_connector.h"
#include "passerelle/plugin.h"

namespace {

const char* const kStrategies[] = {"github", nullptr};
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "github", kStrategies,
                                               &passerelle::github::create_connector};

}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
