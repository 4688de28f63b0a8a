#include "jose/verification_key.h"

#include <doctest/doctest.h>

#include "core/encoding.h"
#include "jose/jwk.h"
#include "jose_test_keys.h"

namespace passerelle {
namespace {

using jose_test::kAllAlgs;
using jose_test::test_key;

// RFC 7638 §3.1 (the RFC 7517 A.1 key).
const nlohmann::json kRfc7638Key = {
    {"kty", "RSA"},
    {"n",
     "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
     "BJECPebWKRXjBZCiFV4n3"
     "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
     "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZ"
     "Hzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-"
     "csFCur-kEgU"
     "8awapJzKnqDKgw"},
    {"e", "AQAB"},
    {"alg", "RS256"},
    {"kid", "2011-04-29"}};

// `jwk` with `member` set to `value` (or removed when value is null).
nlohmann::json with(nlohmann::json jwk, const char* member, const nlohmann::json& value) {
  if (value.is_null()) {
    jwk.erase(member);
  } else {
    jwk[member] = value;
  }
  return jwk;
}

// The base64url of `member`'s bytes with the last byte changed.
std::string altered(const nlohmann::json& jwk, const char* member) {
  std::string bytes = *base64url_decode(jwk.at(member).get<std::string>());
  bytes.back() = char(bytes.back() ^ 0x01);
  return base64url_encode(bytes);
}

}  // namespace

TEST_CASE("RFC 7638 thumbprints of the RFC examples") {
  struct Row {
    std::string_view name;
    nlohmann::json jwk;
    const char* thumbprint;
  };
  const Row rows[] = {
      {"RFC 7638 3.1 RSA key", kRfc7638Key, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"},
      {"RFC 8037 A.3 Ed25519 key",
       {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
       "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    CHECK(jwk_thumbprint(row.jwk).value_or("") == row.thumbprint);
  }
}

TEST_CASE("thumbprints ignore optional members and need the required ones") {
  nlohmann::json bare = {{"kty", "RSA"}, {"n", kRfc7638Key["n"]}, {"e", "AQAB"}};
  CHECK(jwk_thumbprint(bare).value_or("") == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  struct Row {
    std::string_view name;
    nlohmann::json jwk;
  };
  const Row rows[] = {
      {"not an object", nlohmann::json::array()},
      {"no kty", with(kRfc7638Key, "kty", nullptr)},
      {"symmetric key", {{"kty", "oct"}, {"k", "AQAB"}}},
      {"RSA without e", with(kRfc7638Key, "e", nullptr)},
      {"RSA n as a number", with(kRfc7638Key, "n", 42)},
      {"EC without y", with(test_key(JwsAlg::kES256).public_jwk(), "y", nullptr)},
      {"OKP without crv", with(test_key(JwsAlg::kEdDSA).public_jwk(), "crv", nullptr)},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto thumbprint = jwk_thumbprint(row.jwk);
    REQUIRE_FALSE(thumbprint.has_value());
    CHECK(thumbprint.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("verification keys from JWKs fit exactly one algorithm") {
  auto rfc_key = VerificationKey::from_jwk(kRfc7638Key);
  REQUIRE_MESSAGE(rfc_key.has_value(), rfc_key.error().to_string());
  CHECK(rfc_key->kid() == "2011-04-29");
  CHECK(rfc_key->supports(JwsAlg::kRS256));
  for (JwsAlg key_alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(key_alg));
    auto key = VerificationKey::from_jwk(test_key(key_alg).public_jwk());
    REQUIRE(key.has_value());
    CHECK(key->kid() == test_key(key_alg).kid());
    for (JwsAlg alg : kAllAlgs) {
      CAPTURE(jose_test::alg_label(alg));
      CHECK(key->supports(alg) == (alg == key_alg));
    }
    auto without_alg =
        VerificationKey::from_jwk(with(with(test_key(key_alg).public_jwk(), "alg", nullptr), "kid", nullptr));
    REQUIRE(without_alg.has_value());
    CHECK(without_alg->kid().empty());
    CHECK(without_alg->supports(key_alg));
  }
}

TEST_CASE("verification keys accept the optional members of a signing JWK") {
  nlohmann::json jwk = test_key(JwsAlg::kES256).public_jwk();
  CHECK(VerificationKey::from_jwk(with(jwk, "key_ops", nlohmann::json::array({"verify"}))).has_value());
  CHECK(VerificationKey::from_jwk(with(jwk, "x5t#S256", "ignored")).has_value());
  CHECK(VerificationKey::from_jwk(with(jwk, "use", nullptr)).has_value());
}

TEST_CASE("verification keys refuse malformed, weak and foreign JWKs") {
  const nlohmann::json rsa = test_key(JwsAlg::kRS256).public_jwk();
  const nlohmann::json ec = test_key(JwsAlg::kES256).public_jwk();
  const nlohmann::json okp = test_key(JwsAlg::kEdDSA).public_jwk();
  jose_test::WeakRsaKey weak;
  struct Row {
    std::string_view name;
    nlohmann::json jwk;
  };
  const Row rows[] = {
      {"not an object", "RSA"},
      {"no kty", with(rsa, "kty", nullptr)},
      {"kty not a string", with(rsa, "kty", 1)},
      {"symmetric key", {{"kty", "oct"}, {"k", "c2VjcmV0"}}},
      {"1024-bit RSA", weak.jwk("weak")},
      {"RSA without e", with(rsa, "e", nullptr)},
      {"RSA n not base64url", with(rsa, "n", "a+b/c")},
      {"RSA empty n", with(rsa, "n", "")},
      {"RSA even modulus", with(rsa, "n", altered(rsa, "n"))},
      {"RSA exponent 1", with(rsa, "e", "AQ")},
      {"EC on P-384", with(ec, "crv", "P-384")},
      {"EC without crv", with(ec, "crv", nullptr)},
      {"EC short x", with(ec, "x", base64url_encode(std::string(31, '\x01')))},
      {"EC point not on the curve", with(ec, "y", altered(ec, "y"))},
      {"EC point of zeros", with(with(ec, "x", base64url_encode(std::string(32, '\0'))), "y",
                                 base64url_encode(std::string(32, '\0')))},
      {"OKP X25519", with(okp, "crv", "X25519")},
      {"OKP Ed448", with(okp, "crv", "Ed448")},
      {"OKP short x", with(okp, "x", base64url_encode(std::string(31, '\x01')))},
      {"use enc", with(rsa, "use", "enc")},
      {"key_ops without verify", with(rsa, "key_ops", nlohmann::json::array({"encrypt"}))},
      {"key_ops not an array", with(rsa, "key_ops", "verify")},
      {"RSA key for RS512", with(rsa, "alg", "RS512")},
      {"RSA key claiming ES256", with(rsa, "alg", "ES256")},
      {"EC key claiming RS256", with(ec, "alg", "RS256")},
      {"OKP key claiming none", with(okp, "alg", "none")},
      {"alg not a string", with(okp, "alg", 7)},
      {"kid not a string", with(ec, "kid", 7)},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto key = VerificationKey::from_jwk(row.jwk);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("verify refuses a wrong algorithm, a bad signature and a misshapen ES256 signature") {
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    auto key = VerificationKey::from_jwk(test_key(alg).public_jwk());
    REQUIRE(key.has_value());
    std::string signature = test_key(alg).sign("message").value();
    CHECK(key->verify(alg, "message", signature).has_value());
    std::string flipped = signature;
    flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x80);
    struct Row {
      std::string_view name;
      JwsAlg alg;
      std::string message;
      std::string signature;
    };
    const Row rows[] = {
        {"other message", alg, "massage", signature},
        {"flipped byte", alg, "message", flipped},
        {"empty signature", alg, "message", ""},
        {"truncated", alg, "message", signature.substr(0, signature.size() - 1)},
        {"extended", alg, "message", signature + '\0'},
        {"other algorithm", alg == JwsAlg::kRS256 ? JwsAlg::kES256 : JwsAlg::kRS256, "message", signature},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      auto verified = key->verify(row.alg, row.message, row.signature);
      REQUIRE_FALSE(verified.has_value());
      CHECK(verified.error().code == ErrorCode::kPermissionDenied);
    }
  }
}

TEST_CASE("keys_from_jwks keeps the usable keys") {
  jose_test::WeakRsaKey weak;
  nlohmann::json jwks = {{"keys",
                          {test_key(JwsAlg::kRS256).public_jwk(),
                           weak.jwk("weak"),
                           {{"kty", "oct"}, {"k", "c2VjcmV0"}},
                           test_key(JwsAlg::kEdDSA).public_jwk()}}};
  auto keys = keys_from_jwks(jwks);
  REQUIRE(keys.has_value());
  REQUIRE(keys->size() == 2);
  CHECK((*keys)[0].kid() == test_key(JwsAlg::kRS256).kid());
  CHECK((*keys)[1].kid() == test_key(JwsAlg::kEdDSA).kid());
  struct Row {
    std::string_view name;
    nlohmann::json jwks;
  };
  const Row rows[] = {{"array", nlohmann::json::array()},
                      {"no keys", nlohmann::json::object()},
                      {"keys not an array", {{"keys", test_key(JwsAlg::kRS256).public_jwk()}}}};
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto refused = keys_from_jwks(row.jwks);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  }
}

}  // namespace passerelle
