#include "jose/signing_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include <climits>
#include <cstring>

#include "core/encoding.h"
#include "jose/jwk.h"
#include "jose/openssl_util.h"
#include "jose/verification_key.h"

namespace passerelle {
namespace {

constexpr int kRsaGenerateBits = 2048;
constexpr int kMinRsaBits = 2048;  // RFC 7518 §3.3: 2048 bits or larger
constexpr int kP256CoordinateBytes = 32;
constexpr size_t kEd25519KeyBytes = 32;

// Refuses a key whose type, curve or size does not fit `alg`, so a stored
// key can never be used with an algorithm it was not made for.
Status check_key_fits(JwsAlg alg, EVP_PKEY* key) {
  switch (alg) {
    case JwsAlg::kRS256:
      if (EVP_PKEY_is_a(key, "RSA") != 1)
        return fail(Error::invalid_argument("signing key: RS256 needs an RSA key"));
      if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
        return fail(Error::invalid_argument("signing key: RSA key shorter than 2048 bits"));
      }
      return {};
    case JwsAlg::kES256: {
      char group[64] = {};
      if (EVP_PKEY_is_a(key, "EC") != 1 || EVP_PKEY_get_group_name(key, group, sizeof group, nullptr) != 1 ||
          std::strcmp(group, SN_X9_62_prime256v1) != 0) {
        return fail(Error::invalid_argument("signing key: ES256 needs a P-256 EC key"));
      }
      return {};
    }
    case JwsAlg::kEdDSA:
      if (EVP_PKEY_is_a(key, "ED25519") != 1) {
        return fail(Error::invalid_argument("signing key: EdDSA needs an Ed25519 key"));
      }
      return {};
  }
  return fail(Error::invalid_argument("signing key: unknown algorithm"));
}

// The public members of the JWK (RFC 7518 §6.2, §6.3; RFC 8037 §2).
Result<nlohmann::json> public_members(JwsAlg alg, const EVP_PKEY* key) {
  switch (alg) {
    case JwsAlg::kRS256: {
      auto n = ossl::bn_param_bytes(key, OSSL_PKEY_PARAM_RSA_N);
      auto e = ossl::bn_param_bytes(key, OSSL_PKEY_PARAM_RSA_E);
      if (!n) return fail(n.error());
      if (!e) return fail(e.error());
      return nlohmann::json{{"kty", "RSA"}, {"n", base64url_encode(*n)}, {"e", base64url_encode(*e)}};
    }
    case JwsAlg::kES256: {
      auto x = ossl::bn_param_bytes(key, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateBytes);
      auto y = ossl::bn_param_bytes(key, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateBytes);
      if (!x) return fail(x.error());
      if (!y) return fail(y.error());
      return nlohmann::json{
          {"kty", "EC"}, {"crv", "P-256"}, {"x", base64url_encode(*x)}, {"y", base64url_encode(*y)}};
    }
    case JwsAlg::kEdDSA: {
      unsigned char x[kEd25519KeyBytes];
      size_t len = 0;
      if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, x, sizeof x, &len) != 1 ||
          len != sizeof x) {
        return fail(Error::internal("signing key: cannot read Ed25519 public key: " + ossl::last_error()));
      }
      std::string_view bytes(reinterpret_cast<const char*>(x), len);
      return nlohmann::json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(bytes)}};
    }
  }
  return fail(Error::internal("signing key: unknown algorithm"));
}

// Catches a damaged stored key (public half not matching the private half)
// before it signs tokens nobody can verify: the JWK we would publish must
// verify what the key signs. Cheaper than EVP_PKEY_pairwise_check, which
// runs primality tests on RSA factors.
Status check_consistent(const SigningKey& key) {
  constexpr std::string_view kProbe = "passerelle signing key self-test";
  auto signature = key.sign(kProbe);
  if (!signature) return fail(signature.error());
  auto public_key = VerificationKey::from_jwk(key.public_jwk());
  if (!public_key || !public_key->verify(key.alg(), kProbe, *signature)) {
    return fail(Error::invalid_argument("signing key: private and public parts do not match"));
  }
  return {};
}

// A context ready to sign with `key`, to be copied for each signature.
Result<std::shared_ptr<const EVP_MD_CTX>> prepare_signing(JwsAlg alg, EVP_PKEY* key) {
  ossl::ErrorQueueMark mark;
  // EdDSA hashes internally (RFC 8032 PureEdDSA): no digest, one-shot only.
  const EVP_MD* md = alg == JwsAlg::kEdDSA ? nullptr : EVP_sha256();
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1) {
    return fail(Error::internal("signing key: cannot start signing: " + ossl::last_error()));
  }
  return std::shared_ptr<const EVP_MD_CTX>(ctx.release(), EVP_MD_CTX_free);
}

// Refuses an encrypted PEM instead of letting OpenSSL prompt on the terminal.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

}  // namespace

Result<SigningKey> SigningKey::from_pkey(JwsAlg alg, std::shared_ptr<EVP_PKEY> key) {
  auto jwk = public_members(alg, key.get());
  if (!jwk) return fail(jwk.error());
  auto kid = jwk_thumbprint(*jwk);
  if (!kid) return fail(Error::internal("signing key: " + kid.error().message));
  (*jwk)["kid"] = *kid;
  (*jwk)["alg"] = jws_alg_name(alg);
  (*jwk)["use"] = "sig";
  auto prepared = prepare_signing(alg, key.get());
  if (!prepared) return fail(prepared.error());
  return SigningKey(alg, std::move(key), *std::move(prepared), *std::move(kid), *std::move(jwk));
}

Result<SigningKey> SigningKey::generate(JwsAlg alg) {
  ossl::ErrorQueueMark mark;
  EVP_PKEY* raw = nullptr;
  switch (alg) {
    case JwsAlg::kRS256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{kRsaGenerateBits});
      break;
    case JwsAlg::kES256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", SN_X9_62_prime256v1);
      break;
    case JwsAlg::kEdDSA:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr)
    return fail(Error::internal("signing key: key generation failed: " + ossl::last_error()));
  return from_pkey(alg, ossl::share(ossl::PkeyPtr(raw)));
}

Result<SigningKey> SigningKey::from_private_pem(JwsAlg alg, std::string_view pem) {
  ossl::ErrorQueueMark mark;
  if (pem.size() > size_t(INT_MAX)) return fail(Error::invalid_argument("signing key: PEM too large"));
  ossl::BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  if (!bio) return fail(Error::internal("signing key: out of memory"));
  ossl::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    return fail(Error::invalid_argument("signing key: not an unencrypted private key PEM"));
  }
  if (auto fits = check_key_fits(alg, key.get()); !fits) return fail(fits.error());
  auto signing_key = from_pkey(alg, ossl::share(std::move(key)));
  if (!signing_key) return signing_key;
  if (auto consistent = check_consistent(*signing_key); !consistent) return fail(consistent.error());
  return signing_key;
}

std::string SigningKey::private_pem() const {
  ossl::ErrorQueueMark mark;
  ossl::BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 in OpenSSL 3 (no encryption: the
  // storage layer encrypts at rest).
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, size_t(len)) : std::string();
}

Result<std::string> SigningKey::sign(std::string_view signing_input) const {
  ossl::ErrorQueueMark mark;
  ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared_.get()) != 1) {
    return fail(Error::internal("signing key: cannot start signing: " + ossl::last_error()));
  }
  std::string sig(size_t(EVP_PKEY_get_size(key_.get())), '\0');
  size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return fail(Error::internal("signing key: signing failed: " + ossl::last_error()));
  }
  sig.resize(len);
  if (alg_ == JwsAlg::kES256) return ossl::ecdsa_der_to_raw(sig, kP256CoordinateBytes);
  return sig;
}

nlohmann::json make_jwks(std::span<const SigningKey> keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const SigningKey& key : keys) list.push_back(key.public_jwk());
  return nlohmann::json{{"keys", std::move(list)}};
}

}  // namespace passerelle
