// libFuzzer target: JWS/JWT verification (broker/jose/jwt.h) and JWK
// parsing (broker/jose/verification_key.h). Each input is verified as a
// compact JWS against fixed TEST-ONLY keys of the three algorithms, and read
// as a JWK and as a JWKS when it is JSON.
// Invariant: a token that verifies names one of the keys, and was signed by
// it: RS256 and EdDSA signatures are deterministic, so signing the same
// input again with that key must give the very same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.h"
#include "fuzz_support.h"
#include "jose/jwt.h"
#include "jose/signing_key.h"
#include "jose/verification_key.h"

namespace passerelle {
namespace {

// TEST-ONLY keys, never used outside the fuzz target. The RS256 key is the
// SAML test IdP's (fixtures/saml).
constexpr const char* kEs256Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghXWlV10eE0Bu8E57\n"
    "BlYIkPPW19KoMsMfEHP/X4Y0jEqhRANCAAR2i8XOUKIIe2cSYlaustx3icwg1aP/\n"
    "5Tq2yIHtGygrL2yC/ZtG+P9WBFa4W+MnhKHHOA+bJWYskmfIPkjDPEcV\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kEdDsaPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEICjcIFutTNoWaDciisaDEGGDnL0vCsord0ftiX8Ih+Jl\n"
    "-----END PRIVATE KEY-----\n";

constexpr JwsAlg kAllAlgs[] = {JwsAlg::kRS256, JwsAlg::kES256, JwsAlg::kEdDSA};

struct Keys {
  std::vector<SigningKey> signing;
  std::vector<VerificationKey> verification;
};

SigningKey load(JwsAlg alg, const std::string& pem) {
  auto key = SigningKey::from_private_pem(alg, pem);
  fuzz::require(key.has_value(), "test key loads");
  return *key;
}

const Keys& keys() {
  static const Keys k = [] {
    Keys out;
    out.signing.push_back(load(JwsAlg::kRS256, fuzz::read_source_file("fixtures/saml/test-idp.key.pem")));
    out.signing.push_back(load(JwsAlg::kES256, kEs256Pem));
    out.signing.push_back(load(JwsAlg::kEdDSA, kEdDsaPem));
    for (const SigningKey& key : out.signing) {
      auto public_key = VerificationKey::from_jwk(key.public_jwk());
      fuzz::require(public_key.has_value(), "a public JWK of ours parses");
      out.verification.push_back(*public_key);
    }
    return out;
  }();
  return k;
}

void check_verified(std::string_view token, const VerifiedJwt& jwt) {
  fuzz::require(jwt.header.is_object() && jwt.claims.is_object(), "verified header and claims are objects");
  auto alg = parse_jws_alg(jwt.header.at("alg").get<std::string>());
  fuzz::require(alg.has_value(), "verified alg is one we know");
  const SigningKey* signer = nullptr;
  for (const SigningKey& key : keys().signing) {
    if (key.alg() == *alg) signer = &key;
  }
  fuzz::require(signer != nullptr, "a key of ours has the verified alg");
  if (auto kid = jwt.header.find("kid"); kid != jwt.header.end()) {
    fuzz::require(kid->get<std::string>() == signer->kid(), "verified kid is the signer's");
  }
  size_t last_dot = token.rfind('.');
  auto signature = base64url_decode(token.substr(last_dot + 1));
  fuzz::require(signature.has_value(), "verified signature is base64url");
  if (*alg == JwsAlg::kES256) return;  // ECDSA is randomized: nothing to compare
  auto again = signer->sign(token.substr(0, last_dot));
  fuzz::require(again.has_value() && *again == *signature, "verified signature was made by the key");
}

}  // namespace
}  // namespace passerelle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto verified = verify_jwt_with_keys(input, keys().verification, kAllAlgs);
  if (verified) check_verified(input, *verified);

  nlohmann::json doc = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    if (auto key = VerificationKey::from_jwk(doc)) {
      for (JwsAlg alg : kAllAlgs) (void)key->verify(alg, input, input);
    }
    (void)keys_from_jwks(doc);
    (void)verify_jwt(input, doc, kAllAlgs);
  }
  return 0;
}
