// Signing keys made at run time for connector tests that need tokens from
// an IdP: an RSA or P-256 key, its public JWK, and compact JWS signing
// (RS256, PS256, ES256, or any header at all for refusal tests). Test-only.
#pragma once

#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <nlohmann/json.hpp>

#include "common/oauth_util.h"

namespace passerelle::testing {

class TestSigningKey {
 public:
  // kty "RSA" (2048 bits) or "EC" (P-256).
  TestSigningKey(std::string kty, std::string kid) : kty_(std::move(kty)), kid_(std::move(kid)) {
    key_.reset(kty_ == "RSA" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                             : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  }

  const std::string& kid() const { return kid_; }

  nlohmann::json public_jwk() const {
    nlohmann::json jwk = {{"kty", kty_}, {"kid", kid_}, {"use", "sig"}};
    if (kty_ == "RSA") {
      jwk["n"] = b64(bn_param(OSSL_PKEY_PARAM_RSA_N));
      jwk["e"] = b64(bn_param(OSSL_PKEY_PARAM_RSA_E));
    } else {
      unsigned char point[65];
      size_t length = 0;
      EVP_PKEY_get_octet_string_param(key_.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &length);
      jwk["crv"] = "P-256";
      jwk["x"] = b64(std::string(reinterpret_cast<char*>(point) + 1, 32));
      jwk["y"] = b64(std::string(reinterpret_cast<char*>(point) + 33, 32));
    }
    return jwk;
  }

  // A compact JWS of `claims` under `header` (alg and kid as given there),
  // signed with `sign_alg` ("RS256", "PS256", "ES256").
  std::string sign(const nlohmann::json& header, const nlohmann::json& claims, const std::string& sign_alg) const {
    std::string input = b64(header.dump()) + "." + b64(claims.dump());
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestSignInit(md.get(), &pctx, EVP_sha256(), nullptr, key_.get());
    if (sign_alg == "PS256") {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    EVP_DigestSign(md.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(length, '\0');
    EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(length);
    if (sign_alg == "ES256") sig = raw_ecdsa(sig);
    return input + "." + b64(sig);
  }

  // Signed with the key's natural algorithm and a header naming it.
  std::string sign(const nlohmann::json& claims) const {
    std::string alg = kty_ == "RSA" ? "RS256" : "ES256";
    return sign({{"alg", alg}, {"kid", kid_}, {"typ", "JWT"}}, claims, alg);
  }

 private:
  static std::string b64(const std::string& bytes) { return connector_util::base64_encode(bytes, true); }

  std::string bn_param(const char* name) const {
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key_.get(), name, &bn);
    std::string out(size_t(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }

  // DER ECDSA-Sig-Value -> JOSE's fixed-size R || S.
  static std::string raw_ecdsa(const std::string& der) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, long(der.size()));
    std::string out(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return out;
  }

  std::string kty_;
  std::string kid_;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_{nullptr, EVP_PKEY_free};
};

}  // namespace passerelle::testing
