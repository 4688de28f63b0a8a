#include "common/jws.h"

#include <algorithm>
#include <memory>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "common/oauth_util.h"

namespace passerelle::connector_util {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

// RFC 7518 §3.3: RSA keys for these algorithms are 2048 bits or more.
constexpr int kMinRsaBits = 2048;
// RFC 7518 §3.4: an ES256 signature is R and S, 32 bytes each, concatenated.
constexpr size_t kP256Size = 32;

std::string member(const nlohmann::json& obj, const char* key) { return string_field(obj, key); }

std::optional<std::string> decoded_member(const nlohmann::json& jwk, const char* key) {
  std::string text = member(jwk, key);
  if (text.empty()) return std::nullopt;
  return base64url_decode(text);
}

Owned<BIGNUM> to_bignum(const std::string& bytes) {
  return Owned<BIGNUM>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()), nullptr));
}

Owned<EVP_PKEY> key_from_params(const char* type, OSSL_PARAM_BLD* builder) {
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(builder));
  Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return Owned<EVP_PKEY>(key);
}

Owned<EVP_PKEY> rsa_key(const nlohmann::json& jwk) {
  auto n = decoded_member(jwk, "n");
  auto e = decoded_member(jwk, "e");
  if (!n || !e) return nullptr;
  Owned<BIGNUM> bn_n = to_bignum(*n), bn_e = to_bignum(*e);
  Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !builder || BN_num_bits(bn_n.get()) < kMinRsaBits ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  return key_from_params("RSA", builder.get());
}

Owned<EVP_PKEY> p256_key(const nlohmann::json& jwk) {
  auto x = decoded_member(jwk, "x");
  auto y = decoded_member(jwk, "y");
  if (!x || !y || x->size() != kP256Size || y->size() != kP256Size) return nullptr;
  // SEC 1 §2.3.3 uncompressed point; OpenSSL refuses a point off the curve.
  std::string point = "\x04" + *x + *y;
  Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return nullptr;
  }
  return key_from_params("EC", builder.get());
}

// JOSE's raw R || S as the DER ECDSA-Sig-Value that OpenSSL verifies.
std::optional<std::string> ecdsa_der(const std::string& raw) {
  if (raw.size() != 2 * kP256Size) return std::nullopt;
  Owned<ECDSA_SIG> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), kP256Size, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + kP256Size, kP256Size, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), size_t(length));
  OPENSSL_free(der);
  return out;
}

bool signature_verifies(EVP_PKEY* key, const std::string& alg, const std::string& input, const std::string& sig) {
  Owned<EVP_MD_CTX> md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!md || EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, key) != 1) return false;
  if (alg == "PS256" && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
                         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  return EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
}

}  // namespace

const std::vector<std::string>& supported_jws_algorithms() {
  static const std::vector<std::string> kAlgorithms = {"RS256", "PS256", "ES256"};
  return kAlgorithms;
}

Result<Jws> parse_jws(std::string_view compact) {
  size_t first = compact.find('.');
  size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return fail(Error::invalid_argument("the token is not a compact JWS"));
  }
  auto header = base64url_decode(compact.substr(0, first));
  auto payload = base64url_decode(compact.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(compact.substr(second + 1));
  if (!header || !payload || !signature) return fail(Error::invalid_argument("the token is not valid base64url"));
  Jws jws;
  auto h = parse_json_object(*header);
  auto p = parse_json_object(*payload);
  if (!h || !p) return fail(Error::invalid_argument("the token's header or payload is not a JSON object"));
  jws.header = std::move(*h);
  jws.payload = std::move(*p);
  jws.alg = member(jws.header, "alg");
  jws.kid = member(jws.header, "kid");
  if (jws.alg.empty()) return fail(Error::invalid_argument("the token's header has no alg"));
  if (jws.header.contains("crit")) return fail(Error::invalid_argument("the token's header has crit"));
  jws.signing_input = std::string(compact.substr(0, second));
  jws.signature = std::move(*signature);
  return jws;
}

bool jwk_fits(const nlohmann::json& jwk, const std::string& alg) {
  if (!jwk.is_object()) return false;
  if (std::string use = member(jwk, "use"); jwk.contains("use") && use != "sig") return false;
  if (jwk.contains("alg") && member(jwk, "alg") != alg) return false;
  std::string kty = member(jwk, "kty");
  if (alg == "RS256" || alg == "PS256") return kty == "RSA";
  if (alg == "ES256") return kty == "EC" && member(jwk, "crv") == "P-256";
  return false;
}

Status verify_jws(const Jws& jws, const nlohmann::json& jwk, const std::vector<std::string>& allowed) {
  const auto& supported = supported_jws_algorithms();
  // The header is attacker-chosen: only an allow-listed asymmetric algorithm
  // goes further (RFC 8725 §3.1), so "none" and HS256 never verify.
  if (std::find(allowed.begin(), allowed.end(), jws.alg) == allowed.end() ||
      std::find(supported.begin(), supported.end(), jws.alg) == supported.end()) {
    return fail(Error::invalid_argument("the token's algorithm " + safe_token(jws.alg) + " is not allowed"));
  }
  if (!jwk_fits(jwk, jws.alg)) return fail(Error::invalid_argument("the key does not fit the token's algorithm"));
  Owned<EVP_PKEY> key = jws.alg == "ES256" ? p256_key(jwk) : rsa_key(jwk);
  if (!key) return fail(Error::invalid_argument("the key cannot be read"));
  std::string signature = jws.signature;
  if (jws.alg == "ES256") {
    auto der = ecdsa_der(jws.signature);
    if (!der) return fail(Error::permission_denied("the token's signature is invalid"));
    signature = std::move(*der);
  }
  if (!signature_verifies(key.get(), jws.alg, jws.signing_input, signature)) {
    return fail(Error::permission_denied("the token's signature is invalid"));
  }
  return {};
}

}  // namespace passerelle::connector_util
