#include "oidc/pkce.h"

#include <string>

#include <doctest/doctest.h>

namespace passerelle {

TEST_CASE("PKCE S256 matches the RFC 7636 appendix B example") {
  const char* verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const char* challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  CHECK(pkce_s256_matches(verifier, challenge));
  CHECK_FALSE(pkce_s256_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", challenge));
  CHECK(is_valid_s256_challenge(challenge));
}

TEST_CASE("PKCE verifier and challenge syntax") {
  struct Row { std::string verifier; bool valid; };
  const Row rows[] = {{std::string(42, 'a'), false}, {std::string(43, 'a'), true},
                      {std::string(128, 'a'), true}, {std::string(129, 'a'), false},
                      {std::string(42, 'a') + "~", true}, {std::string(42, 'a') + "+", false},
                      {std::string(42, 'a') + "=", false}};
  for (const auto& row : rows) {
    CAPTURE(row.verifier);
    CHECK(is_valid_code_verifier(row.verifier) == row.valid);
  }
  CHECK_FALSE(is_valid_s256_challenge("short"));
  CHECK_FALSE(is_valid_s256_challenge(std::string(43, '+')));
  // A verifier with a bad syntax never matches, even against its own hash.
  CHECK_FALSE(pkce_s256_matches("too-short", "whatever"));
}

}  // namespace passerelle
