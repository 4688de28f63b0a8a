#include "oidc/code_store.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "core/time_ordered.h"
#include "storage/expiry_index.h"
#include "store/tables.h"
#include "tokens/revocation.h"
#include "tokens/token_issuer.h"

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

// When the sweeper will delete the code's record.
std::optional<int64_t> kept_until(testing::BrokerFixture& f, const std::string& code) {
  Result<std::optional<int64_t>> expiry = std::nullopt;
  REQUIRE(f.broker->store().view([&](storage::ReadTxn& txn) -> Status {
    expiry = storage::get_expiry(txn, tables::kCodes, token_storage_key(code));
    return {};
  }));
  REQUIRE(expiry.has_value());
  return *expiry;
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

TEST_CASE("codes: kept from issue until a token their redemption mints has expired, which writes no expiry") {
  testing::BrokerFixture f;
  CodeStore& codes = f.broker->codes();
  auto code = codes.issue(sample_code());
  REQUIRE(code.has_value());
  const int64_t kept = testing::kStartTime + CodeStore::kLifetime + TokenIssuer::kAccessTokenLifetime;
  CHECK(kept_until(f, *code) == kept);

  // Redeemed at the last second, with a token as long as the broker's.
  f.clock.advance(CodeStore::kLifetime - 1);
  CodeRedemption last = redemption(*code);
  last.token_expires_at = f.clock.now() + TokenIssuer::kAccessTokenLifetime;
  REQUIRE(last.token_expires_at < kept);
  REQUIRE(codes.redeem(last).has_value());
  CHECK(kept_until(f, *code) == kept);

  // Until then a replay still finds it, and revokes the token.
  f.clock.set(kept - 1);
  REQUIRE(storage::sweep_expired(f.broker->store(), f.clock.now(), 100).has_value());
  CHECK_FALSE(codes.redeem(redemption(*code, "jti-2")).has_value());
  CHECK(*is_access_token_revoked(f.broker->store(), "jti-1"));

  // Then it is swept.
  f.clock.set(kept);
  REQUIRE(storage::sweep_expired(f.broker->store(), f.clock.now(), 100).has_value());
  CHECK(kept_until(f, *code) == std::nullopt);
  auto gone = codes.redeem(redemption(*code, "jti-3"));
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().message.find("invalid or expired") != std::string::npos);
}

TEST_CASE("codes: a redemption whose token outlives the code's expiry extends it") {
  testing::BrokerFixture f;
  auto code = f.broker->codes().issue(sample_code());
  REQUIRE(code.has_value());
  CodeRedemption longer = redemption(*code);
  longer.token_expires_at = *kept_until(f, *code) + 100;
  REQUIRE(f.broker->codes().redeem(longer).has_value());
  CHECK(kept_until(f, *code) == longer.token_expires_at);
}

}  // namespace passerelle
