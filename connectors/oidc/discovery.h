// Finding an OIDC IdP's endpoints: those set in the options, completed by
// its discovery document (OpenID Connect Discovery 1.0 §4), fetched through
// the host's JsonCache so that logins do not refetch it. Thread-safe as the
// JsonCache is.
#pragma once

#include "oidc/oidc_config.h"
#include "passerelle/host.h"
#include "passerelle/result.h"

namespace passerelle::oidc {

// How long a discovery document is trusted before it is fetched again.
inline constexpr int64_t kDiscoveryMaxAge = 3600;

// The endpoints to use. When config.needs_discovery(), reads
// "<issuer>/.well-known/openid-configuration". Errors, prefixed with the
// provider: the document cannot be fetched or is not JSON, its issuer is not
// exactly config.issuer (§4.3), or it lacks an authorization, token or JWKS
// endpoint, or one is not an http(s) URL -> kUnavailable.
Result<ProviderEndpoints> resolve_endpoints(const OidcConfig& config, JsonCache& cache);

}  // namespace passerelle::oidc
