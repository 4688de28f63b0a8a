#include "jose/signing_key.h"

#include <doctest/doctest.h>

#include <set>
#include <thread>
#include <vector>

#include "core/encoding.h"
#include "jose/jwk.h"
#include "jose/verification_key.h"
#include "jose_test_keys.h"

namespace passerelle {
namespace {

using jose_test::kAllAlgs;
using jose_test::other_key;
using jose_test::test_key;

std::set<std::string> member_names(const nlohmann::json& object) {
  std::set<std::string> names;
  for (const auto& item : object.items()) names.insert(item.key());
  return names;
}

size_t decoded_size(const nlohmann::json& jwk, const char* member) {
  auto bytes = base64url_decode(jwk.at(member).get<std::string>());
  REQUIRE(bytes.has_value());
  return bytes->size();
}

// The key encoded in `pem`, with the public point at its end replaced by
// `other`'s: the damage a bad copy of a stored key could do.
std::string with_foreign_public_point(const std::string& pem, const SigningKey& other) {
  size_t start = pem.find('\n') + 1;
  size_t end = pem.find("-----END");
  std::string body;
  for (char c : pem.substr(start, end - start)) {
    if (c != '\n') body += c;
  }
  auto der = base64_decode(body);
  REQUIRE(der.has_value());
  nlohmann::json jwk = other.public_jwk();
  std::string point =
      *base64url_decode(jwk["x"].get<std::string>()) + *base64url_decode(jwk["y"].get<std::string>());
  REQUIRE(der->size() > point.size());
  der->replace(der->size() - point.size(), point.size(), point);
  return "-----BEGIN PRIVATE KEY-----\n" + base64_encode(*der) + "\n-----END PRIVATE KEY-----\n";
}

}  // namespace

TEST_CASE("jws alg names parse strictly") {
  struct Row {
    std::string_view name;
    std::optional<JwsAlg> alg;
  };
  const Row rows[] = {{"RS256", JwsAlg::kRS256}, {"ES256", JwsAlg::kES256}, {"EdDSA", JwsAlg::kEdDSA},
                      {"none", std::nullopt},    {"HS256", std::nullopt},   {"rs256", std::nullopt},
                      {"EDDSA", std::nullopt},   {"Ed25519", std::nullopt}, {"RS256 ", std::nullopt},
                      {"", std::nullopt},        {"PS256", std::nullopt},   {"ES384", std::nullopt}};
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(parse_jws_alg(row.name) == row.alg);
    if (row.alg) CHECK(std::string(jws_alg_name(*row.alg)) == row.name);
  }
}

TEST_CASE("generated keys publish the RFC 7517 members of their type") {
  struct Row {
    JwsAlg alg;
    std::set<std::string> members;
    size_t signature_size;
  };
  const Row rows[] = {
      {JwsAlg::kRS256, {"kty", "kid", "alg", "use", "n", "e"}, 256},
      {JwsAlg::kES256, {"kty", "kid", "alg", "use", "crv", "x", "y"}, 64},
      {JwsAlg::kEdDSA, {"kty", "kid", "alg", "use", "crv", "x"}, 64},
  };
  for (const Row& row : rows) {
    CAPTURE(jose_test::alg_label(row.alg));
    const SigningKey& key = test_key(row.alg);
    nlohmann::json jwk = key.public_jwk();
    CHECK(key.alg() == row.alg);
    CHECK(member_names(jwk) == row.members);
    CHECK(jwk["alg"] == jws_alg_name(row.alg));
    CHECK(jwk["use"] == "sig");
    CHECK(jwk["kid"] == key.kid());
    CHECK(jwk_thumbprint(jwk).value_or("") == key.kid());
    CHECK(key.kid().size() == 43);  // base64url of a SHA-256
    CHECK(key.kid() != other_key(row.alg).kid());
    switch (row.alg) {
      case JwsAlg::kRS256:
        CHECK(jwk["kty"] == "RSA");
        CHECK(decoded_size(jwk, "n") == 256);
        CHECK(jwk["e"] == "AQAB");
        break;
      case JwsAlg::kES256:
        CHECK(jwk["kty"] == "EC");
        CHECK(jwk["crv"] == "P-256");
        CHECK(decoded_size(jwk, "x") == 32);
        CHECK(decoded_size(jwk, "y") == 32);
        break;
      case JwsAlg::kEdDSA:
        CHECK(jwk["kty"] == "OKP");
        CHECK(jwk["crv"] == "Ed25519");
        CHECK(decoded_size(jwk, "x") == 32);
        break;
    }
    auto signature = key.sign("payload");
    REQUIRE(signature.has_value());
    CHECK(signature->size() == row.signature_size);
  }
}

TEST_CASE("private PEM round trip keeps the kid and signs verifiably") {
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    const SigningKey& key = test_key(alg);
    std::string pem = key.private_pem();
    CHECK(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    auto reloaded = SigningKey::from_private_pem(alg, pem);
    REQUIRE_MESSAGE(reloaded.has_value(), reloaded.error().to_string());
    CHECK(reloaded->kid() == key.kid());
    CHECK(reloaded->public_jwk() == key.public_jwk());
    auto signature = reloaded->sign("signed after reload");
    REQUIRE(signature.has_value());
    auto original = VerificationKey::from_jwk(key.public_jwk());
    REQUIRE(original.has_value());
    CHECK(original->verify(alg, "signed after reload", *signature).has_value());
  }
}

TEST_CASE("private PEM import refuses keys that do not fit") {
  jose_test::WeakRsaKey weak;
  const std::string garbage = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
  struct Row {
    std::string_view name;
    JwsAlg alg;
    std::string pem;
  };
  const Row rows[] = {
      {"EC key for RS256", JwsAlg::kRS256, test_key(JwsAlg::kES256).private_pem()},
      {"Ed25519 key for RS256", JwsAlg::kRS256, test_key(JwsAlg::kEdDSA).private_pem()},
      {"RSA key for ES256", JwsAlg::kES256, test_key(JwsAlg::kRS256).private_pem()},
      {"Ed25519 key for ES256", JwsAlg::kES256, test_key(JwsAlg::kEdDSA).private_pem()},
      {"RSA key for EdDSA", JwsAlg::kEdDSA, test_key(JwsAlg::kRS256).private_pem()},
      {"EC key for EdDSA", JwsAlg::kEdDSA, test_key(JwsAlg::kES256).private_pem()},
      {"1024-bit RSA", JwsAlg::kRS256, weak.pem()},
      {"empty", JwsAlg::kRS256, ""},
      {"not PEM", JwsAlg::kES256, "hello"},
      {"PEM of garbage", JwsAlg::kEdDSA, garbage},
      {"public key only", JwsAlg::kES256,
       "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END "
       "PUBLIC KEY-----\n"},
      {"EC key with a foreign public point", JwsAlg::kES256,
       with_foreign_public_point(test_key(JwsAlg::kES256).private_pem(), other_key(JwsAlg::kES256))},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto key = SigningKey::from_private_pem(row.alg, row.pem);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("an encrypted private PEM is refused without prompting") {
  const SigningKey& key = test_key(JwsAlg::kES256);
  // Re-encrypt the same key with a passphrase through OpenSSL directly.
  std::string pem_text = key.private_pem();
  ossl::BioPtr in(BIO_new_mem_buf(pem_text.data(), int(pem_text.size())));
  ossl::PkeyPtr pkey(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  REQUIRE(pkey != nullptr);
  ossl::BioPtr out(BIO_new(BIO_s_mem()));
  char passphrase[] = "correct horse";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(out.get(), pkey.get(), EVP_aes_256_cbc(), passphrase,
                                        int(sizeof passphrase - 1), nullptr, nullptr) == 1);
  char* data = nullptr;
  long len = BIO_get_mem_data(out.get(), &data);
  std::string encrypted(data, size_t(len));
  CHECK(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  auto refused = SigningKey::from_private_pem(JwsAlg::kES256, encrypted);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("RFC 8037 A.1 Ed25519 key: kid is its thumbprint and signatures match A.4") {
  // PKCS#8 wrapping of the RFC 8037 A.1 private key "d" (RFC 8410 §7).
  const std::string d = *base64url_decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
  const std::string der =
      std::string("\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20", 16) + d;
  const std::string pem =
      "-----BEGIN PRIVATE KEY-----\n" + base64_encode(der) + "\n-----END PRIVATE KEY-----\n";
  auto key = SigningKey::from_private_pem(JwsAlg::kEdDSA, pem);
  REQUIRE_MESSAGE(key.has_value(), key.error().to_string());
  CHECK(key->public_jwk()["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
  CHECK(key->kid() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");  // RFC 8037 A.3
  auto signature = key->sign("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");
  REQUIRE(signature.has_value());
  CHECK(base64url_encode(*signature) ==
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
}

TEST_CASE("make_jwks lists every key's public JWK") {
  const SigningKey keys[] = {test_key(JwsAlg::kRS256), test_key(JwsAlg::kES256), test_key(JwsAlg::kEdDSA)};
  nlohmann::json jwks = make_jwks(keys);
  REQUIRE(jwks["keys"].is_array());
  REQUIRE(jwks["keys"].size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(jwks["keys"][i] == keys[i].public_jwk());
    CHECK_FALSE(jwks["keys"][i].contains("d"));
  }
  CHECK(make_jwks({}) == nlohmann::json{{"keys", nlohmann::json::array()}});
}

TEST_CASE("copies of a key sign concurrently") {
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    auto verifier = VerificationKey::from_jwk(test_key(alg).public_jwk());
    REQUIRE(verifier.has_value());
    std::vector<std::string> signatures(4);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < signatures.size(); ++i) {
      threads.emplace_back([&signatures, i, key = test_key(alg)] {
        for (int n = 0; n < 10; ++n) signatures[i] = key.sign("concurrent").value_or("");
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (const std::string& signature : signatures)
      CHECK(verifier->verify(alg, "concurrent", signature).has_value());
  }
}

// Each signature works on a copy of one context prepared with the key: the
// copies must still draw a fresh ECDSA nonce each time (a repeated nonce
// gives the private key away), and the prepared context must stay usable.
TEST_CASE("ES256 signatures of the same input differ and all verify") {
  const SigningKey& key = test_key(JwsAlg::kES256);
  auto verifier = VerificationKey::from_jwk(key.public_jwk());
  REQUIRE(verifier.has_value());
  std::set<std::string> signatures;
  for (int n = 0; n < 50; ++n) {
    auto signature = key.sign("same input");
    REQUIRE(signature.has_value());
    CHECK(verifier->verify(JwsAlg::kES256, "same input", *signature).has_value());
    signatures.insert(*signature);
  }
  CHECK(signatures.size() == 50);
}

}  // namespace passerelle
