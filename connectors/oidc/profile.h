// Mapping OIDC claims (Core 1.0 §5.1) onto an Identity: the profile from
// the ID token overlaid by userinfo, and the IdP's session facts (auth_time,
// amr, acr, sid) from the ID token only, since only it is signed. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "passerelle/connector.h"

namespace passerelle::oidc {

// REQUIRES: `id_token_claims` verified; `userinfo` an object (maybe empty)
// with the same sub. Leaves provider, connection and connector_data empty.
Identity identity_from_claims(const nlohmann::json& id_token_claims, const nlohmann::json& userinfo);

}  // namespace passerelle::oidc
