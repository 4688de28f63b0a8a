#include "jose/jwt.h"

#include <doctest/doctest.h>
#include <openssl/err.h>

#include <functional>
#include <vector>

#include "core/encoding.h"
#include "core/secrets.h"
#include "jose_test_keys.h"

namespace passerelle {
namespace {

using jose_test::kAllAlgs;
using jose_test::other_key;
using jose_test::test_key;

const nlohmann::json kClaims = {
    {"iss", "https://idp.example"}, {"sub", "user-1"}, {"aud", "app"}, {"exp", 2000000000}};

nlohmann::json jwks_of_test_keys() {
  const SigningKey keys[] = {test_key(JwsAlg::kRS256), test_key(JwsAlg::kES256), test_key(JwsAlg::kEdDSA)};
  return make_jwks(keys);
}

std::string encode(const nlohmann::json& value) {
  return base64url_encode(value.dump());
}

std::vector<std::string> split(const std::string& token) {
  std::vector<std::string> parts(1);
  for (char c : token) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ".") + parts[i];
  return out;
}

// A token with any header, signed by `key` whatever that header says.
std::string forge(const nlohmann::json& header, const nlohmann::json& claims, const SigningKey& key) {
  std::string input = encode(header) + "." + encode(claims);
  return input + "." + base64url_encode(key.sign(input).value());
}

std::string signed_token(JwsAlg alg) {
  return sign_jwt(kClaims, test_key(alg)).value();
}

// `token` with its signature's bytes passed through `edit`.
template <class Edit>
std::string edit_signature(const std::string& token, Edit edit) {
  std::vector<std::string> parts = split(token);
  std::string signature = *base64url_decode(parts[2]);
  edit(signature);
  parts[2] = base64url_encode(signature);
  return join(parts);
}

}  // namespace

TEST_CASE("sign_jwt then verify_jwt round trips for every algorithm") {
  const nlohmann::json jwks = jwks_of_test_keys();
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    for (const char* typ : {"JWT", "at+jwt", ""}) {
      CAPTURE(std::string_view(typ));
      auto token = sign_jwt(kClaims, test_key(alg), typ);
      REQUIRE_MESSAGE(token.has_value(), token.error().to_string());
      CHECK(split(*token).size() == 3);
      auto verified = verify_jwt(*token, jwks, kAllAlgs);
      REQUIRE_MESSAGE(verified.has_value(), verified.error().to_string());
      CHECK(verified->claims == kClaims);
      CHECK(verified->header["alg"] == jws_alg_name(alg));
      CHECK(verified->header["kid"] == test_key(alg).kid());
      if (*typ != '\0') {
        CHECK(verified->header["typ"] == typ);
      } else {
        CHECK_FALSE(verified->header.contains("typ"));
      }
      const JwsAlg only[] = {alg};
      CHECK(verify_jwt(*token, jwks, only).has_value());
    }
  }
}

TEST_CASE("verify_jwt_with_keys verifies against parsed keys") {
  auto keys = keys_from_jwks(jwks_of_test_keys());
  REQUIRE(keys.has_value());
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    auto verified = verify_jwt_with_keys(signed_token(alg), *keys, kAllAlgs);
    REQUIRE_MESSAGE(verified.has_value(), verified.error().to_string());
    CHECK(verified->claims == kClaims);
  }
}

TEST_CASE("a header without kid uses the only key that fits its algorithm") {
  for (JwsAlg alg : kAllAlgs) {
    CAPTURE(jose_test::alg_label(alg));
    std::string token = forge({{"alg", jws_alg_name(alg)}}, kClaims, test_key(alg));
    auto verified = verify_jwt(token, jwks_of_test_keys(), kAllAlgs);
    REQUIRE_MESSAGE(verified.has_value(), verified.error().to_string());
    CHECK(verified->claims == kClaims);
    // Two keys of the type and no kid: which one is meant is unknowable.
    const SigningKey two[] = {test_key(alg), other_key(alg)};
    auto ambiguous = verify_jwt(token, make_jwks(two), kAllAlgs);
    REQUIRE_FALSE(ambiguous.has_value());
    CHECK(ambiguous.error().code == ErrorCode::kPermissionDenied);
  }
}

TEST_CASE("verify_jwt accepts the RFC 7515 A.3 ES256 example") {
  // Signed by another implementation: checks the R||S form of RFC 7518 §3.4.
  const nlohmann::json jwks = {{"keys",
                                {{{"kty", "EC"},
                                  {"crv", "P-256"},
                                  {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                                  {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}}}}};
  const std::string token =
      "eyJhbGciOiJFUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0"
      "cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
  const JwsAlg es256[] = {JwsAlg::kES256};
  auto verified = verify_jwt(token, jwks, es256);
  REQUIRE_MESSAGE(verified.has_value(), verified.error().to_string());
  CHECK(verified->claims["iss"] == "joe");
  CHECK(verified->claims["exp"] == 1300819380);
}

TEST_CASE("verify_jwt refuses forged, tampered and malformed tokens") {
  const SigningKey& rsa = test_key(JwsAlg::kRS256);
  const SigningKey& ec = test_key(JwsAlg::kES256);
  const SigningKey& ed = test_key(JwsAlg::kEdDSA);
  const nlohmann::json jwks = jwks_of_test_keys();
  jose_test::WeakRsaKey weak;
  const nlohmann::json weak_jwks = {{"keys", {weak.jwk("weak")}}};
  const std::string weak_input = encode({{"alg", "RS256"}, {"kid", "weak"}}) + "." + encode(kClaims);
  const std::string hs256_input = encode({{"alg", "HS256"}, {"kid", rsa.kid()}}) + "." + encode(kClaims);
  const std::string es256 = signed_token(JwsAlg::kES256);
  const std::string es256_der = *ossl::ecdsa_raw_to_der(*base64url_decode(split(es256)[2]), 32);
  const std::vector<std::string> rs = split(signed_token(JwsAlg::kRS256));
  const JwsAlg rsa_and_ec[] = {JwsAlg::kRS256, JwsAlg::kES256};
  constexpr auto kMalformed = ErrorCode::kInvalidArgument;
  constexpr auto kDenied = ErrorCode::kPermissionDenied;

  struct Row {
    std::string_view name;
    std::string token;
    nlohmann::json jwks;
    std::span<const JwsAlg> allowed;
    ErrorCode code;
  };
  const Row rows[] = {
      {"alg none", encode({{"alg", "none"}}) + "." + encode(kClaims) + ".", jwks, kAllAlgs, kDenied},
      {"alg none with a kid", encode({{"alg", "none"}, {"kid", rsa.kid()}}) + "." + encode(kClaims) + ".",
       jwks, kAllAlgs, kDenied},
      {"HS256 keyed with the RSA public JWK",
       hs256_input + "." + base64url_encode(hmac_sha256(rsa.public_jwk().dump(), hs256_input)), jwks,
       kAllAlgs, kDenied},
      {"ES256 header with an RSA kid", forge({{"alg", "ES256"}, {"kid", rsa.kid()}}, kClaims, ec), jwks,
       kAllAlgs, kDenied},
      {"RS256 header with an EC kid", forge({{"alg", "RS256"}, {"kid", ec.kid()}}, kClaims, rsa), jwks,
       kAllAlgs, kDenied},
      {"EdDSA header with an RSA kid", forge({{"alg", "EdDSA"}, {"kid", rsa.kid()}}, kClaims, ed), jwks,
       kAllAlgs, kDenied},
      {"RS256 flipped signature byte",
       edit_signature(join(rs), [](std::string& s) { s[10] = char(s[10] ^ 1); }), jwks, kAllAlgs, kDenied},
      {"ES256 flipped signature byte", edit_signature(es256, [](std::string& s) { s[40] = char(s[40] ^ 1); }),
       jwks, kAllAlgs, kDenied},
      {"EdDSA flipped signature byte",
       edit_signature(signed_token(JwsAlg::kEdDSA), [](std::string& s) { s[0] = char(s[0] ^ 1); }), jwks,
       kAllAlgs, kDenied},
      {"modified payload", join({rs[0], encode({{"sub", "admin"}}), rs[2]}), jwks, kAllAlgs, kDenied},
      {"header changed",
       join({encode({{"alg", "RS256"}, {"kid", rsa.kid()}, {"typ", "at+jwt"}}), rs[1], rs[2]}), jwks,
       kAllAlgs, kDenied},
      {"unknown kid", forge({{"alg", "RS256"}, {"kid", "nobody"}}, kClaims, rsa), jwks, kAllAlgs, kDenied},
      {"signed by a key outside the JWKS", sign_jwt(kClaims, other_key(JwsAlg::kEdDSA)).value(), jwks,
       kAllAlgs, kDenied},
      {"alg not in the allow-list", signed_token(JwsAlg::kEdDSA), jwks, rsa_and_ec, kDenied},
      {"empty allow-list", signed_token(JwsAlg::kRS256), jwks, {}, kDenied},
      {"JWKS with a 1024-bit RSA key", weak_input + "." + base64url_encode(weak.sign(weak_input)), weak_jwks,
       kAllAlgs, kDenied},
      {"ES256 signature of 63 bytes", edit_signature(es256, [](std::string& s) { s.pop_back(); }), jwks,
       kAllAlgs, kDenied},
      {"ES256 signature of 65 bytes", edit_signature(es256, [](std::string& s) { s += '\0'; }), jwks,
       kAllAlgs, kDenied},
      {"ES256 signature in DER", edit_signature(es256, [&](std::string& s) { s = es256_der; }), jwks,
       kAllAlgs, kDenied},
      {"crit header",
       forge({{"alg", "EdDSA"}, {"kid", ed.kid()}, {"crit", {"exp"}}, {"exp", 1}}, kClaims, ed), jwks,
       kAllAlgs, kDenied},
      {"empty token", "", jwks, kAllAlgs, kMalformed},
      {"2 parts", rs[0] + "." + rs[1], jwks, kAllAlgs, kMalformed},
      {"4 parts", join(rs) + "." + rs[2], jwks, kAllAlgs, kMalformed},
      {"5 parts (JWE shape)", join(rs) + ".." + rs[2], jwks, kAllAlgs, kMalformed},
      {"bad base64 in header", "!" + join(rs), jwks, kAllAlgs, kMalformed},
      {"padding in payload", join({rs[0], rs[1] + "=", rs[2]}), jwks, kAllAlgs, kMalformed},
      {"bad base64 in signature", join({rs[0], rs[1], rs[2] + "+"}), jwks, kAllAlgs, kMalformed},
      {"header not JSON", join({base64url_encode("{alg"), rs[1], rs[2]}), jwks, kAllAlgs, kMalformed},
      {"header a JSON array", forge(nlohmann::json::array({"RS256"}), kClaims, rsa), jwks, kAllAlgs,
       kMalformed},
      {"payload a JSON string", forge({{"alg", "RS256"}, {"kid", rsa.kid()}}, "claims", rsa), jwks, kAllAlgs,
       kMalformed},
      {"empty payload", join({rs[0], "", rs[2]}), jwks, kAllAlgs, kMalformed},
      {"header without alg", forge({{"kid", rsa.kid()}}, kClaims, rsa), jwks, kAllAlgs, kMalformed},
      {"alg not a string", forge({{"alg", 256}, {"kid", rsa.kid()}}, kClaims, rsa), jwks, kAllAlgs,
       kMalformed},
      {"kid not a string", forge({{"alg", "RS256"}, {"kid", 1}}, kClaims, rsa), jwks, kAllAlgs, kMalformed},
      {"JWKS without keys", signed_token(JwsAlg::kRS256), rsa.public_jwk(), kAllAlgs, kMalformed},
      {"oversized token", join(rs) + std::string(70000, 'A'), jwks, kAllAlgs, kMalformed},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto verified = verify_jwt(row.token, row.jwks, row.allowed);
    REQUIRE_FALSE(verified.has_value());
    CHECK(verified.error().code == row.code);
    // Messages go to logs: no token material in them.
    CHECK(verified.error().message.size() < 80);
    for (const std::string& part : split(row.token)) {
      if (part.size() >= 8) CHECK(verified.error().message.find(part) == std::string::npos);
    }
  }
}

TEST_CASE("sign_jwt refuses claims that are not a JSON object or not UTF-8") {
  struct Row {
    std::string_view name;
    nlohmann::json claims;
  };
  const Row rows[] = {{"array", nlohmann::json::array({1, 2})},
                      {"string", "sub"},
                      {"null", nullptr},
                      {"invalid UTF-8", {{"name", "\xff\xfe"}}}};
  for (const Row& row : rows) {
    CAPTURE(row.name);
    auto token = sign_jwt(row.claims, test_key(JwsAlg::kES256));
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("jose calls leave the thread's OpenSSL error queue empty") {
  // A stale error would be misread by the next OpenSSL user on the thread
  // (for instance SSL_get_error in the HTTPS server).
  ERR_clear_error();
  jose_test::WeakRsaKey weak;
  struct Row {
    std::string_view name;
    std::function<bool()> call;
  };
  const Row rows[] = {
      {"PEM of garbage",
       [] {
         return SigningKey::from_private_pem(JwsAlg::kRS256,
                                             "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                             "-----END PRIVATE KEY-----\n")
             .has_value();
       }},
      {"weak PEM", [&] { return SigningKey::from_private_pem(JwsAlg::kRS256, weak.pem()).has_value(); }},
      {"EC PEM for ES256",
       [] {
         return SigningKey::from_private_pem(JwsAlg::kES256, test_key(JwsAlg::kES256).private_pem())
             .has_value();
       }},
      {"RSA PEM for ES256",
       [] {
         return SigningKey::from_private_pem(JwsAlg::kES256, test_key(JwsAlg::kRS256).private_pem())
             .has_value();
       }},
      {"off-curve JWK",
       [] {
         nlohmann::json jwk = test_key(JwsAlg::kES256).public_jwk();
         jwk["x"] = base64url_encode(std::string(32, '\x07'));
         return VerificationKey::from_jwk(jwk).has_value();
       }},
      {"bad RS256 signature",
       [] {
         return verify_jwt(edit_signature(signed_token(JwsAlg::kRS256), [](std::string& s) { s[3] = 'x'; }),
                           jwks_of_test_keys(), kAllAlgs)
             .has_value();
       }},
      {"short EdDSA signature",
       [] {
         return verify_jwt(edit_signature(signed_token(JwsAlg::kEdDSA), [](std::string& s) { s.resize(5); }),
                           jwks_of_test_keys(), kAllAlgs)
             .has_value();
       }},
      {"good ES256 token",
       [] { return verify_jwt(signed_token(JwsAlg::kES256), jwks_of_test_keys(), kAllAlgs).has_value(); }},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    (void)row.call();
    CHECK(ERR_peek_error() == 0);
    ERR_clear_error();
  }
}

}  // namespace passerelle
