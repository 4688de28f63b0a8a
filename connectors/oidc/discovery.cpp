#include "oidc/discovery.h"

#include "common/oauth_util.h"

namespace passerelle::oidc {
namespace {

bool is_http_url(const std::string& url) { return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0; }

}  // namespace

Result<ProviderEndpoints> resolve_endpoints(const OidcConfig& config, JsonCache& cache) {
  if (!config.needs_discovery()) return config.endpoints;
  std::string prefix = config.provider + ": discovery: ";
  auto doc = cache.get(config.issuer + "/.well-known/openid-configuration", kDiscoveryMaxAge);
  if (!doc) return fail(Error::unavailable(prefix + doc.error().message));
  if (!doc->is_object()) return fail(Error::unavailable(prefix + "the document is not a JSON object"));
  // §4.3: the document must name the issuer it was fetched for, or an
  // attacker's document could point logins at its own endpoints.
  if (connector_util::string_field(*doc, "issuer") != config.issuer) {
    return fail(Error::unavailable(prefix + "the document's issuer is not the configured issuer"));
  }
  ProviderEndpoints found = config.endpoints;
  struct Field {
    const char* name;
    std::string* value;
    bool required;
  };
  const Field fields[] = {{"authorization_endpoint", &found.authorization_endpoint, true},
                          {"token_endpoint", &found.token_endpoint, true},
                          {"jwks_uri", &found.jwks_uri, true},
                          {"userinfo_endpoint", &found.userinfo_endpoint, false},
                          {"end_session_endpoint", &found.end_session_endpoint, false}};
  for (const Field& f : fields) {
    if (f.value->empty()) *f.value = connector_util::string_field(*doc, f.name);
    if (f.value->empty() && f.required) return fail(Error::unavailable(prefix + "no " + f.name));
    if (!f.value->empty() && !is_http_url(*f.value)) {
      return fail(Error::unavailable(prefix + f.name + " is not an http(s) URL"));
    }
  }
  auto iss = doc->find("authorization_response_iss_parameter_supported");
  found.authorization_response_iss = iss != doc->end() && iss->is_boolean() && iss->get<bool>();
  return found;
}

}  // namespace passerelle::oidc
