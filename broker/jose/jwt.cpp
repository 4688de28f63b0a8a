#include "jose/jwt.h"

#include <algorithm>
#include <optional>

#include "core/encoding.h"
#include "core/json_writer.h"

namespace passerelle {
namespace {

// Far above any real ID or access token (browsers cap headers near 8-16 KiB),
// low enough that a hostile token cannot make us decode megabytes.
constexpr size_t kMaxTokenBytes = 64 * 1024;

struct CompactJws {
  nlohmann::json header;
  nlohmann::json claims;
  std::string_view signing_input;  // BASE64URL(header) "." BASE64URL(payload)
  std::string signature;
};

Result<nlohmann::json> decode_object(std::string_view part, const char* what) {
  std::optional<std::string> bytes = base64url_decode(part);
  if (!bytes) return fail(Error::invalid_argument(std::string("jwt: ") + what + " is not base64url"));
  nlohmann::json value = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) {
    return fail(Error::invalid_argument(std::string("jwt: ") + what + " is not a JSON object"));
  }
  return value;
}

// RFC 7515 §7.1 and §5.2 steps 1-7: exactly three base64url parts.
Result<CompactJws> parse_compact(std::string_view token) {
  if (token.size() > kMaxTokenBytes) return fail(Error::invalid_argument("jwt: token too large"));
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return fail(Error::invalid_argument("jwt: not a compact JWS of three parts"));
  }
  CompactJws jws;
  auto header = decode_object(token.substr(0, first), "header");
  if (!header) return fail(header.error());
  auto claims = decode_object(token.substr(first + 1, second - first - 1), "payload");
  if (!claims) return fail(claims.error());
  std::optional<std::string> signature = base64url_decode(token.substr(second + 1));
  if (!signature) return fail(Error::invalid_argument("jwt: signature is not base64url"));
  jws.header = *std::move(header);
  jws.claims = *std::move(claims);
  jws.signing_input = token.substr(0, second);
  jws.signature = *std::move(signature);
  return jws;
}

// The header's alg, once it is known to be one we accept here.
Result<JwsAlg> check_header(const nlohmann::json& header, std::span<const JwsAlg> allowed_algs) {
  auto alg_name = header.find("alg");
  if (alg_name == header.end() || !alg_name->is_string()) {
    return fail(Error::invalid_argument("jwt: header has no alg"));
  }
  if (auto kid = header.find("kid"); kid != header.end() && !kid->is_string()) {
    return fail(Error::invalid_argument("jwt: kid is not a string"));
  }
  // RFC 7515 §4.1.11: we implement no extension, so any "crit" is refused.
  if (header.contains("crit")) return fail(Error::permission_denied("jwt: crit header not supported"));
  // RFC 8725 §3.1: the verifier, not the token, decides which algorithms
  // are acceptable. "none" and "HS256" do not even parse.
  std::optional<JwsAlg> alg = parse_jws_alg(alg_name->get_ref<const std::string&>());
  if (!alg || std::find(allowed_algs.begin(), allowed_algs.end(), *alg) == allowed_algs.end()) {
    return fail(Error::permission_denied("jwt: algorithm not allowed"));
  }
  return *alg;
}

// RFC 7515 §4.1.4 and RFC 8725 §3.1: the key named by kid must itself fit
// the algorithm, or an RSA key could be "verified" under another alg.
Result<const VerificationKey*> select_key(std::span<const VerificationKey> keys, JwsAlg alg,
                                          const nlohmann::json& header) {
  auto kid = header.find("kid");
  if (kid != header.end()) {
    bool kid_known = false;
    for (const VerificationKey& key : keys) {
      if (key.kid() != kid->get_ref<const std::string&>()) continue;
      if (key.supports(alg)) return &key;
      kid_known = true;
    }
    if (kid_known) return fail(Error::permission_denied("jwt: algorithm does not fit the key"));
    return fail(Error::permission_denied("jwt: no usable key with this kid"));
  }
  const VerificationKey* found = nullptr;
  for (const VerificationKey& key : keys) {
    if (!key.supports(alg)) continue;
    if (found != nullptr) return fail(Error::permission_denied("jwt: no kid and several keys fit"));
    found = &key;
  }
  if (found == nullptr) return fail(Error::permission_denied("jwt: no key fits the algorithm"));
  return found;
}

}  // namespace

Result<std::string> sign_jwt(const nlohmann::json& claims, const SigningKey& key, std::string_view typ) {
  if (!claims.is_object()) return fail(Error::invalid_argument("jwt: claims must be a JSON object"));
  std::string payload;
  try {
    payload = claims.dump();
  } catch (const nlohmann::json::exception&) {
    return fail(Error::invalid_argument("jwt: claims are not valid UTF-8"));
  }
  return sign_jwt_payload(payload, key, typ);
}

Result<std::string> sign_jwt_payload(std::string_view payload, const SigningKey& key, std::string_view typ) {
  JsonObjectWriter header;
  header.add("alg", jws_alg_name(key.alg())).add("kid", key.kid());
  if (!typ.empty()) header.add("typ", typ);
  auto header_text = header.take();
  if (!header_text) return fail(Error::invalid_argument("jwt: typ is not valid UTF-8"));
  std::string signing_input = base64url_encode(*header_text);
  signing_input += '.';
  signing_input += base64url_encode(payload);
  auto signature = key.sign(signing_input);
  if (!signature) return fail(signature.error());
  signing_input += '.';
  signing_input += base64url_encode(*signature);
  return signing_input;
}

Result<VerifiedJwt> verify_jwt_with_keys(std::string_view token, std::span<const VerificationKey> keys,
                                         std::span<const JwsAlg> allowed_algs) {
  try {
    auto jws = parse_compact(token);
    if (!jws) return fail(jws.error());
    auto alg = check_header(jws->header, allowed_algs);
    if (!alg) return fail(alg.error());
    auto key = select_key(keys, *alg, jws->header);
    if (!key) return fail(key.error());
    if (auto valid = (*key)->verify(*alg, jws->signing_input, jws->signature); !valid) {
      return fail(valid.error());
    }
    return VerifiedJwt{std::move(jws->header), std::move(jws->claims)};
  } catch (const std::exception&) {
    // Untrusted input must never unwind through callers (STYLE: errors as values).
    return fail(Error::internal("jwt: unexpected failure while verifying"));
  }
}

Result<VerifiedJwt> verify_jwt(std::string_view token, const nlohmann::json& jwks,
                               std::span<const JwsAlg> allowed_algs) {
  auto keys = keys_from_jwks(jwks);
  if (!keys) return fail(keys.error());
  return verify_jwt_with_keys(token, *keys, allowed_algs);
}

}  // namespace passerelle
