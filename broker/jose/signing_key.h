// The broker's private signing keys (RS256, ES256, EdDSA) and their public
// JWK / JWKS form. A SigningKey is immutable once built; copies share the
// underlying OpenSSL key, and sign() may be called from many threads at once.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "jose/jws_alg.h"
#include "passerelle/result.h"

namespace passerelle {

class SigningKey {
 public:
  // A fresh key: RSA 2048-bit for RS256, P-256 for ES256, Ed25519 for EdDSA.
  // kid is the RFC 7638 thumbprint of the public JWK. Fails (kInternal) only
  // if OpenSSL cannot generate.
  static Result<SigningKey> generate(JwsAlg alg);

  // A key from private_pem() output (an unencrypted PKCS#8 or traditional PEM).
  // Fails (kInvalidArgument) on unreadable or encrypted PEM, a key type or
  // curve that does not fit `alg`, or an RSA key shorter than 2048 bits.
  // Same kid rule as generate().
  static Result<SigningKey> from_private_pem(JwsAlg alg, std::string_view pem);

  // Unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), for storage. The caller
  // keeps it secret (ARCHITECTURE §7: encrypted at rest).
  std::string private_pem() const;

  const std::string& kid() const { return kid_; }
  JwsAlg alg() const { return alg_; }

  // {"kty", "kid", "alg", "use": "sig"} plus n/e (RSA), crv/x/y (EC) or
  // crv/x (OKP). Never contains private members.
  nlohmann::json public_jwk() const { return public_jwk_; }

  // The raw JWS signature over `signing_input` (RFC 7515 §5.1 step 5): PKCS#1
  // v1.5 for RS256, the 64-byte R||S of RFC 7518 §3.4 for ES256, 64 bytes
  // for EdDSA (RFC 8037 §3.1). Fails (kInternal) only on an OpenSSL failure.
  Result<std::string> sign(std::string_view signing_input) const;

 private:
  SigningKey(JwsAlg alg, std::shared_ptr<EVP_PKEY> key, std::shared_ptr<const EVP_MD_CTX> prepared, std::string kid,
             nlohmann::json jwk)
      : alg_(alg),
        key_(std::move(key)),
        prepared_(std::move(prepared)),
        kid_(std::move(kid)),
        public_jwk_(std::move(jwk)) {}
  static Result<SigningKey> from_pkey(JwsAlg alg, std::shared_ptr<EVP_PKEY> key);

  JwsAlg alg_;
  std::shared_ptr<EVP_PKEY> key_;
  // A signing context set up once for the key; each signature works on a
  // copy. Setting one up looks up the algorithm in OpenSSL 3's provider
  // tables under locks, which cost a third of an ES256 signature.
  std::shared_ptr<const EVP_MD_CTX> prepared_;
  std::string kid_;
  nlohmann::json public_jwk_;
};

// {"keys": [public_jwk() of each key]}: the document served at
// /.well-known/jwks.json (RFC 7517 §5). Pass retiring keys too, so tokens
// they signed still verify during rotation overlap.
nlohmann::json make_jwks(std::span<const SigningKey> keys);

}  // namespace passerelle
