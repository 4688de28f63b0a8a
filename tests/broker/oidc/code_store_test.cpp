#include "oidc/code_store.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "tokens/revocation.h"

namespace passerelle {
namespace {

const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

AuthorizationCode sample_code() {
  AuthorizationCode c;
  c.client_id = "web";
  c.redirect_uri = "https://app.test/cb";
  c.user_id = "user_1";
  c.code_challenge = kChallenge;
  return c;
}

CodeRedemption redemption(const std::string& code, const std::string& jti = "jti-1") {
  return {code, "web", "https://app.test/cb", kVerifier, jti, testing::kStartTime + 3600};
}

}  // namespace

TEST_CASE("codes: issued once, redeemed once") {
  testing::BrokerFixture f;
  CodeStore& codes = f.broker->codes();
  auto code = codes.issue(sample_code());
  REQUIRE(code.has_value());
  CHECK(code->size() == 51);  // creation second, sequence, 256 random bits, base64url

  auto first = codes.redeem(redemption(*code));
  REQUIRE(first.has_value());
  CHECK(first->user_id == "user_1");
  CHECK_FALSE(*is_access_token_revoked(f.broker->store(), "jti-1"));

  SUBCASE("a replay fails and revokes the token of the first redemption") {
    auto again = codes.redeem(redemption(*code, "jti-2"));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().is(ErrorCode::kPermissionDenied));
    CHECK(*is_access_token_revoked(f.broker->store(), "jti-1"));
  }
}

TEST_CASE("codes: each mismatch is refused without consuming the code") {
  struct Row { const char* name; CodeRedemption change; };
  testing::BrokerFixture f;
  CodeStore& codes = f.broker->codes();
  auto code = codes.issue(sample_code());
  REQUIRE(code.has_value());
  std::vector<Row> rows = {
      {"unknown code", {"nope", "web", "https://app.test/cb", kVerifier, "j", 0}},
      {"other client", {*code, "spa", "https://app.test/cb", kVerifier, "j", 0}},
      {"other redirect_uri", {*code, "web", "https://app.test/other", kVerifier, "j", 0}},
      {"wrong verifier", {*code, "web", "https://app.test/cb", std::string(43, 'a'), "j", 0}},
      {"missing verifier", {*code, "web", "https://app.test/cb", "", "j", 0}},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto r = codes.redeem(row.change);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().is(ErrorCode::kPermissionDenied));
  }
  CHECK(codes.redeem(redemption(*code)).has_value());
}

TEST_CASE("codes: a verifier for a code issued without a challenge is refused (PKCE downgrade)") {
  testing::BrokerFixture f;
  AuthorizationCode c = sample_code();
  c.code_challenge.clear();
  auto code = f.broker->codes().issue(c);
  REQUIRE(code.has_value());
  CHECK_FALSE(f.broker->codes().redeem(redemption(*code)).has_value());
  CodeRedemption without = redemption(*code);
  without.code_verifier.clear();
  CHECK(f.broker->codes().redeem(without).has_value());
}

TEST_CASE("codes: expire after their lifetime, to the second") {
  testing::BrokerFixture f;
  auto code = f.broker->codes().issue(sample_code());
  REQUIRE(code.has_value());
  f.clock.advance(CodeStore::kLifetime);
  auto r = f.broker->codes().redeem(redemption(*code));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("expired") != std::string::npos);

  auto fresh = f.broker->codes().issue(sample_code());
  f.clock.advance(CodeStore::kLifetime - 1);
  CHECK(f.broker->codes().redeem(redemption(*fresh)).has_value());
}

}  // namespace passerelle
