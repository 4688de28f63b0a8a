// A plugin built against a future SDK: the broker must refuse it by its ABI
// version and touch nothing else in the descriptor.
#include "passerelle/plugin.h"

namespace {
const char* const kStrategies[] = {"wrong_abi", nullptr};
const passerelle::PluginDescriptor kDescriptor{999, "wrong_abi", kStrategies, nullptr};
}  // namespace

PASSERELLE_CONNECTOR_PLUGIN(kDescriptor)
