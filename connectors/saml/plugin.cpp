// The saml module's entry point: serves the "saml" strategy.
#include "passerelle/plugin.h"
#include "saml/saml_connector.h"

namespace {

const char* const kStrategies[] = {"saml", nullptr};
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "saml", kStrategies,
                                               &passerelle::saml::create_connector};

}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
