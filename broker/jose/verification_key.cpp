#include "jose/verification_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include <algorithm>

#include "core/encoding.h"
#include "jose/openssl_util.h"

namespace passerelle {
namespace {

constexpr int kMinRsaBits = 2048;            // RFC 7518 §3.3
constexpr int kMaxRsaBits = 16384;           // OpenSSL's own verification ceiling
constexpr size_t kMaxRsaExponentBytes = 32;  // SP 800-56B: e < 2^256
constexpr size_t kP256CoordinateBytes = 32;
constexpr size_t kEd25519KeyBytes = 32;

Result<std::string> decode_member(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return fail(Error::invalid_argument(std::string("jwk: missing or non-string member ") + name));
  }
  std::optional<std::string> bytes = base64url_decode(it->get_ref<const std::string&>());
  if (!bytes || bytes->empty()) {
    return fail(Error::invalid_argument(std::string("jwk: member is not base64url: ") + name));
  }
  return *std::move(bytes);
}

// EVP_PKEY_fromdata over the parameters pushed into `bld`.
Result<ossl::PkeyPtr> public_key_from(const char* type, OSSL_PARAM_BLD* bld) {
  ossl::ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return fail(Error::invalid_argument("jwk: not a valid public key"));
  }
  return ossl::PkeyPtr(raw);
}

// RFC 7518 §6.3.1. Weak keys are refused here so that no caller can verify
// with one (RFC 7518 §3.3).
Result<ossl::PkeyPtr> rsa_key(const nlohmann::json& jwk) {
  auto n = decode_member(jwk, "n");
  if (!n) return fail(n.error());
  auto e = decode_member(jwk, "e");
  if (!e) return fail(e.error());
  if (n->size() > size_t(kMaxRsaBits / 8) || e->size() > kMaxRsaExponentBytes) {
    return fail(Error::invalid_argument("jwk: RSA key too large"));
  }
  const auto* n_bytes = reinterpret_cast<const unsigned char*>(n->data());
  const auto* e_bytes = reinterpret_cast<const unsigned char*>(e->data());
  ossl::BnPtr n_bn(BN_bin2bn(n_bytes, int(n->size()), nullptr));
  ossl::BnPtr e_bn(BN_bin2bn(e_bytes, int(e->size()), nullptr));
  if (!n_bn || !e_bn) return fail(Error::internal("jwk: out of memory"));
  if (BN_num_bits(n_bn.get()) < kMinRsaBits) {
    return fail(Error::invalid_argument("jwk: RSA key shorter than 2048 bits"));
  }
  // A full EVP_PKEY_public_check costs a primality test per key; these are
  // the cheap structural checks that matter for a verifier.
  if (!BN_is_odd(n_bn.get()) || !BN_is_odd(e_bn.get()) || BN_is_one(e_bn.get())) {
    return fail(Error::invalid_argument("jwk: not a valid RSA public key"));
  }
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) != 1) {
    return fail(Error::internal("jwk: out of memory"));
  }
  return public_key_from("RSA", bld.get());
}

// RFC 7518 §6.2.1: x and y are full-width octets of a point on P-256. An
// off-curve point is no P-256 key at all (SEC 1 §3.2.2 validation).
Result<ossl::PkeyPtr> ec_key(const nlohmann::json& jwk) {
  auto crv = jwk.find("crv");
  if (crv == jwk.end() || *crv != "P-256") return fail(Error::invalid_argument("jwk: unsupported EC curve"));
  auto x = decode_member(jwk, "x");
  if (!x) return fail(x.error());
  auto y = decode_member(jwk, "y");
  if (!y) return fail(y.error());
  if (x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return fail(Error::invalid_argument("jwk: EC coordinate of the wrong length"));
  }
  std::string point = "\x04" + *x + *y;  // SEC 1 §2.3.3 uncompressed point
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, SN_X9_62_prime256v1, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return fail(Error::internal("jwk: out of memory"));
  }
  auto key = public_key_from("EC", bld.get());
  if (!key) return key;
  // fromdata already refuses off-curve points; check again explicitly so
  // that guarantee does not rest on an OpenSSL implementation detail.
  ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
  if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1) {
    return fail(Error::invalid_argument("jwk: EC point is not on the curve"));
  }
  return key;
}

// RFC 8037 §2.
Result<ossl::PkeyPtr> okp_key(const nlohmann::json& jwk) {
  auto crv = jwk.find("crv");
  if (crv == jwk.end() || *crv != "Ed25519")
    return fail(Error::invalid_argument("jwk: unsupported OKP curve"));
  auto x = decode_member(jwk, "x");
  if (!x) return fail(x.error());
  if (x->size() != kEd25519KeyBytes)
    return fail(Error::invalid_argument("jwk: Ed25519 key of the wrong length"));
  ossl::ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, x->data(), x->size()) != 1) {
    return fail(Error::internal("jwk: out of memory"));
  }
  return public_key_from("ED25519", bld.get());
}

// RFC 7517 §4.2 and §4.3: a key published for another purpose is not used.
Status check_purpose(const nlohmann::json& jwk) {
  if (auto use = jwk.find("use"); use != jwk.end() && *use != "sig") {
    return fail(Error::invalid_argument("jwk: key is not for signatures"));
  }
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    if (!ops->is_array() || std::find(ops->begin(), ops->end(), "verify") == ops->end()) {
      return fail(Error::invalid_argument("jwk: key_ops does not allow verify"));
    }
  }
  return {};
}

}  // namespace

Result<VerificationKey> VerificationKey::from_jwk(const nlohmann::json& jwk) {
  ossl::ErrorQueueMark mark;
  if (!jwk.is_object()) return fail(Error::invalid_argument("jwk: not a JSON object"));
  if (auto purpose = check_purpose(jwk); !purpose) return fail(purpose.error());
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return fail(Error::invalid_argument("jwk: missing kty"));
  JwsAlg fit = JwsAlg::kRS256;
  Result<ossl::PkeyPtr> key = fail(Error::invalid_argument("jwk: unsupported kty"));
  if (*kty == "RSA") {
    fit = JwsAlg::kRS256;
    key = rsa_key(jwk);
  } else if (*kty == "EC") {
    fit = JwsAlg::kES256;
    key = ec_key(jwk);
  } else if (*kty == "OKP") {
    fit = JwsAlg::kEdDSA;
    key = okp_key(jwk);
  }
  if (!key) return fail(key.error());
  // RFC 7517 §4.4: a JWK that names its algorithm is used with that one only.
  if (auto alg = jwk.find("alg"); alg != jwk.end()) {
    if (!alg->is_string() || parse_jws_alg(alg->get_ref<const std::string&>()) != fit) {
      return fail(Error::invalid_argument("jwk: alg does not fit the key type"));
    }
  }
  std::string kid;
  if (auto it = jwk.find("kid"); it != jwk.end()) {
    if (!it->is_string()) return fail(Error::invalid_argument("jwk: kid is not a string"));
    kid = it->get<std::string>();
  }
  return VerificationKey(fit, ossl::share(*std::move(key)), std::move(kid));
}

Status VerificationKey::verify(JwsAlg alg, std::string_view signing_input, std::string_view signature) const {
  ossl::ErrorQueueMark mark;
  if (!supports(alg)) return fail(Error::permission_denied("jwt: algorithm does not fit the key"));
  std::string der;
  if (alg == JwsAlg::kES256) {
    auto converted = ossl::ecdsa_raw_to_der(signature, int(kP256CoordinateBytes));
    if (!converted) return fail(converted.error());
    der = *std::move(converted);
    signature = der;
  }
  const EVP_MD* md = alg == JwsAlg::kEdDSA ? nullptr : EVP_sha256();
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key_.get()) != 1) {
    return fail(Error::internal("jwt: cannot start verification: " + ossl::last_error()));
  }
  int rc =
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (rc != 1) {
    return fail(Error::permission_denied("jwt: bad signature"));
  }
  return {};
}

Result<std::vector<VerificationKey>> keys_from_jwks(const nlohmann::json& jwks) {
  auto keys = jwks.find("keys");  // end() when jwks is not an object
  if (keys == jwks.end() || !keys->is_array()) {
    return fail(Error::invalid_argument("jwks: no keys array"));
  }
  std::vector<VerificationKey> out;
  for (const nlohmann::json& jwk : *keys) {
    if (auto key = VerificationKey::from_jwk(jwk)) out.push_back(*std::move(key));
  }
  return out;
}

}  // namespace passerelle
