#include "oidc/key_set.h"

#include "common/oauth_util.h"

namespace passerelle::oidc {
namespace {

Result<std::vector<nlohmann::json>> matching_keys(JsonCache& cache, const std::string& jwks_uri,
                                                  const connector_util::Jws& jws) {
  auto doc = cache.get(jwks_uri, kJwksMaxAge);
  if (!doc) return fail(Error::unavailable("the JWKS: " + doc.error().message));
  auto keys = doc->is_object() ? doc->find("keys") : doc->end();
  if (!doc->is_object() || keys == doc->end() || !keys->is_array()) {
    return fail(Error::unavailable("the JWKS has no keys array"));
  }
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& key : *keys) {
    if (!connector_util::jwk_fits(key, jws.alg)) continue;
    if (!jws.kid.empty() && connector_util::string_field(key, "kid") != jws.kid) continue;
    out.push_back(key);
  }
  return out;
}

}  // namespace

bool KeySet::may_refetch(const std::string& jwks_uri) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t now = clock_.now();
  auto it = last_refetch_.find(jwks_uri);
  if (it != last_refetch_.end() && now - it->second < kJwksRefetchInterval) return false;
  last_refetch_[jwks_uri] = now;
  return true;
}

Result<std::vector<nlohmann::json>> KeySet::keys_for(const std::string& jwks_uri, const connector_util::Jws& jws) {
  auto keys = matching_keys(cache_, jwks_uri, jws);
  if (!keys || !keys->empty()) return keys;
  if (!may_refetch(jwks_uri)) {
    return fail(Error::unavailable("no key in the JWKS matches the token (refetch skipped: rate limit)"));
  }
  cache_.invalidate(jwks_uri);
  keys = matching_keys(cache_, jwks_uri, jws);
  if (keys && keys->empty()) return fail(Error::unavailable("no key in the JWKS matches the token"));
  return keys;
}

}  // namespace passerelle::oidc
