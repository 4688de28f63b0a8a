// A valid plugin whose descriptor serves another strategy than its file name.
#include "passerelle/plugin.h"

namespace {
const char* const kStrategies[] = {"something_else", nullptr};
passerelle::Result<std::unique_ptr<passerelle::Connector>> create(const passerelle::ConnectionSettings&,
                                                                  const passerelle::HostServices&) {
  return passerelle::fail(passerelle::Error::internal("never called"));
}
const passerelle::PluginDescriptor kDescriptor{passerelle::kPluginAbiVersion, "other_strategy", kStrategies, &create};
}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
