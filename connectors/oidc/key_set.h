// The IdP's signing keys (its JWKS, RFC 7517 §5) as an ID token needs them.
// Keys come from the host's JsonCache; a token signed with a key id the
// cached set lacks means the IdP rotated its keys, so the set is fetched
// again, but at most once per refetch interval per JWKS URL: a stream of
// tokens with made-up key ids must not turn into a stream of requests to
// the IdP. Thread-safe (a mutex guards the refetch times).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/jws.h"
#include "passerelle/host.h"
#include "passerelle/result.h"

namespace passerelle::oidc {

// How long a JWKS is trusted without a rotation forcing a refetch.
inline constexpr int64_t kJwksMaxAge = 3600;
// At most one forced refetch per JWKS URL in this many seconds.
inline constexpr int64_t kJwksRefetchInterval = 60;

class KeySet {
 public:
  KeySet(JsonCache& cache, const Clock& clock) : cache_(cache), clock_(clock) {}
  KeySet(const KeySet&) = delete;
  KeySet& operator=(const KeySet&) = delete;

  // The keys at `jwks_uri` that may verify `jws`: its kid when it has one,
  // and a type that fits its alg (connector_util::jwk_fits). Refetches once
  // as described above when none is found. Errors: kUnavailable when the
  // JWKS cannot be fetched or is malformed, or no key matches (the message
  // says when a refetch was skipped by the rate limit).
  Result<std::vector<nlohmann::json>> keys_for(const std::string& jwks_uri, const connector_util::Jws& jws);

 private:
  // Claims the right to refetch `jwks_uri` now; false within the interval.
  bool may_refetch(const std::string& jwks_uri);

  JsonCache& cache_;
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, int64_t> last_refetch_;
};

}  // namespace passerelle::oidc
