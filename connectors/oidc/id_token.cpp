#include "oidc/id_token.h"

#include <algorithm>

#include "common/jws.h"
#include "common/oauth_util.h"

namespace passerelle::oidc {
namespace {

using connector_util::string_field;

std::optional<int64_t> time_claim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)) return std::nullopt;
  return it->get<int64_t>();
}

// §2: aud is one string or an array of them.
std::vector<std::string> audiences(const nlohmann::json& claims) {
  std::vector<std::string> out;
  auto it = claims.find("aud");
  if (it == claims.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string()) out.push_back(a.get<std::string>());
    }
  }
  return out;
}

Status unavailable(const std::string& message) { return fail(Error::unavailable("the ID token " + message)); }

}  // namespace

Status check_id_token_claims(const nlohmann::json& claims, const IdTokenExpectations& expected) {
  const auto& issuers = expected.issuers;
  if (std::find(issuers.begin(), issuers.end(), string_field(claims, "iss")) == issuers.end()) {
    return unavailable("has a wrong iss");
  }
  if (string_field(claims, "sub").empty()) return unavailable("has no sub");
  auto aud = audiences(claims);
  if (std::find(aud.begin(), aud.end(), expected.client_id) == aud.end()) {
    return unavailable("is not for this client (aud)");
  }
  // §3.1.3.7 steps 4-5: with several audiences azp should be present, and
  // when present it must be us.
  if (claims.contains("azp") ? string_field(claims, "azp") != expected.client_id : aud.size() > 1) {
    return unavailable("was issued to another party (azp)");
  }
  auto exp = time_claim(claims, "exp");
  auto iat = time_claim(claims, "iat");
  if (!exp || !iat) return unavailable("has no exp or iat");
  if (*exp <= expected.now - expected.clock_skew) return unavailable("has expired");
  if (*iat > expected.now + expected.clock_skew) return unavailable("was issued in the future (iat)");
  if (!expected.nonce.empty() && string_field(claims, "nonce") != expected.nonce) {
    return fail(Error::invalid_argument("the ID token's nonce does not match this login"));
  }
  if (expected.max_age) {
    // §3.1.2.1: with max_age, auth_time is required.
    auto auth_time = time_claim(claims, "auth_time");
    if (!auth_time) return unavailable("has no auth_time although max_age was asked");
    if (*auth_time < expected.now - *expected.max_age - expected.clock_skew) {
      return unavailable("shows an authentication older than max_age");
    }
  }
  return {};
}

Result<nlohmann::json> verify_id_token(const std::string& token, const std::string& jwks_uri, KeySet& keys,
                                       const std::vector<std::string>& algorithms,
                                       const IdTokenExpectations& expected) {
  auto jws = connector_util::parse_jws(token);
  if (!jws) return fail(Error::unavailable("the ID token: " + jws.error().message));
  // Checked before any key is fetched, so that "none" or a MAC never makes
  // the connector reach for the JWKS.
  if (std::find(algorithms.begin(), algorithms.end(), jws->alg) == algorithms.end()) {
    return fail(Error::unavailable("the ID token's algorithm " + connector_util::safe_token(jws->alg) +
                                   " is not allowed"));
  }
  auto candidates = keys.keys_for(jwks_uri, *jws);
  if (!candidates) return fail(Error::unavailable("the ID token: " + candidates.error().message));
  Status verified = fail(Error::unavailable("no key"));
  for (const nlohmann::json& key : *candidates) {
    verified = connector_util::verify_jws(*jws, key, algorithms);
    if (verified) break;
  }
  if (!verified) return fail(Error::unavailable("the ID token: " + verified.error().message));
  if (auto st = check_id_token_claims(jws->payload, expected); !st) return fail(st.error());
  return std::move(jws->payload);
}

}  // namespace passerelle::oidc
