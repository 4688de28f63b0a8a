// Keys shared by the jose tests. Generated once per test binary (RSA keygen
// is slow under sanitizers); function-local statics, so thread-safe to reach.
#pragma once

#include <doctest/doctest.h>
#include <openssl/pem.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/encoding.h"
#include "jose/jws_alg.h"
#include "jose/openssl_util.h"
#include "jose/signing_key.h"

namespace passerelle::jose_test {

inline constexpr JwsAlg kAllAlgs[] = {JwsAlg::kRS256, JwsAlg::kES256, JwsAlg::kEdDSA};

// For CAPTURE, which prints a const char* as an address.
inline std::string alg_label(JwsAlg alg) {
  return jws_alg_name(alg);
}

inline SigningKey generate_or_die(JwsAlg alg) {
  auto key = SigningKey::generate(alg);
  REQUIRE_MESSAGE(key.has_value(), key.error().to_string());
  return *key;
}

// One stable key per algorithm, and a second one to stand for "another key".
inline const SigningKey& test_key(JwsAlg alg) {
  static const SigningKey keys[] = {generate_or_die(JwsAlg::kRS256), generate_or_die(JwsAlg::kES256),
                                    generate_or_die(JwsAlg::kEdDSA)};
  return keys[static_cast<int>(alg)];
}
inline const SigningKey& other_key(JwsAlg alg) {
  static const SigningKey keys[] = {generate_or_die(JwsAlg::kRS256), generate_or_die(JwsAlg::kES256),
                                    generate_or_die(JwsAlg::kEdDSA)};
  return keys[static_cast<int>(alg)];
}

// A 1024-bit RSA key, which SigningKey refuses to make, built with OpenSSL
// directly: its PEM, its public JWK, and RS256 signatures made with it.
class WeakRsaKey {
 public:
  WeakRsaKey() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{1024})) { REQUIRE(key_ != nullptr); }

  std::string pem() const {
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, size_t(len));
  }

  nlohmann::json jwk(std::string_view kid) const {
    auto n = ossl::bn_param_bytes(key_.get(), "n");
    auto e = ossl::bn_param_bytes(key_.get(), "e");
    REQUIRE((n && e));
    return {{"kty", "RSA"}, {"kid", kid}, {"n", base64url_encode(*n)}, {"e", base64url_encode(*e)}};
  }

  std::string sign(std::string_view input) const {
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1);
    std::string sig(size_t(EVP_PKEY_get_size(key_.get())), '\0');
    size_t len = sig.size();
    REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1);
    sig.resize(len);
    return sig;
  }

 private:
  ossl::PkeyPtr key_;
};

}  // namespace passerelle::jose_test
