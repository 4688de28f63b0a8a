// Times as the Management API and the audit trail write them. Stateless.
#pragma once

#include <cstdint>
#include <string>

namespace passerelle {

// Unix seconds as ISO 8601 / RFC 3339 UTC with milliseconds, the way Auth0
// writes dates: "2026-11-29T18:03:00.000Z".
std::string iso8601(int64_t seconds);

}  // namespace passerelle
