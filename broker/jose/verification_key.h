// Public keys that verify JWS signatures, built from JWKs: the broker's own
// published keys and upstream OpenID providers' JWKS. Immutable once built;
// copies share the OpenSSL key; verify() is safe from many threads at once.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "jose/jws_alg.h"
#include "passerelle/result.h"

namespace passerelle {

class VerificationKey {
 public:
  // RSA (n, e; 2048 to 16384 bits), EC P-256 (x, y: a point on the curve) or
  // OKP Ed25519 (x). Private members, if any, are ignored.
  // Fails (kInvalidArgument) on a malformed or unsupported JWK, a "use" other
  // than "sig", "key_ops" without "verify", or an "alg" member that is not the
  // one algorithm this key type fits (RSA: RS256, P-256: ES256, Ed25519: EdDSA).
  static Result<VerificationKey> from_jwk(const nlohmann::json& jwk);

  // OK when `signature` (raw JWS bytes; ES256 as 64-byte R||S) is valid for
  // `signing_input` under this key and `alg`. Fails (kPermissionDenied) on a
  // bad signature or an alg this key does not support.
  Status verify(JwsAlg alg, std::string_view signing_input, std::string_view signature) const;

  // The JWK's "kid"; "" when it has none.
  const std::string& kid() const { return kid_; }

  // Whether the key's type and curve (and its JWK "alg", which from_jwk
  // made sure agrees) fit `alg`.
  bool supports(JwsAlg alg) const { return alg == alg_; }

 private:
  VerificationKey(JwsAlg alg, std::shared_ptr<EVP_PKEY> key, std::string kid)
      : alg_(alg), key_(std::move(key)), kid_(std::move(kid)) {}

  JwsAlg alg_;
  std::shared_ptr<EVP_PKEY> key_;
  std::string kid_;
};

// The usable keys of a JWKS ({"keys": [...]}, RFC 7517 §5). Keys that
// from_jwk refuses (other algorithms, encryption keys, weak RSA) are skipped,
// as RFC 7517 §5 asks of members a reader does not understand.
// Fails (kInvalidArgument) only when `jwks` has no "keys" array.
Result<std::vector<VerificationKey>> keys_from_jwks(const nlohmann::json& jwks);

}  // namespace passerelle
