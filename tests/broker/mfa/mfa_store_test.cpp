// TOTP enrolment and verification on a real store with a manual clock:
// confirmation by a first code, one use per code, the ±1 step window,
// recovery codes, the brute-force block, and reset.
#include "mfa/mfa_store.h"

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "mfa/totp.h"

namespace passerelle {
namespace {

using Verdict = MfaAttempt::Verdict;

struct MfaFixture : testing::BrokerFixture {
  MfaStore& mfa() { return broker->mfa(); }

  // Enrols `user` and returns the TOTP key and the recovery codes.
  std::pair<std::string, std::vector<std::string>> enrol(const std::string& user) {
    auto key = mfa().pending_key(user);
    REQUIRE(key.has_value());
    auto confirmed = mfa().confirm(user, totp(*key, clock.now()));
    REQUIRE(confirmed.has_value());
    REQUIRE(confirmed->verdict == Verdict::kAccepted);
    return {*key, confirmed->recovery_codes};
  }
};

}  // namespace

TEST_CASE("mfa store: enrolment is pending until a first right code confirms it") {
  MfaFixture f;
  auto key = f.mfa().pending_key("u1");
  REQUIRE(key.has_value());
  CHECK(key->size() == 20);
  CHECK(f.mfa().pending_key("u1") == key);  // a reload shows the same key
  CHECK(f.mfa().verify("u1", totp(*key, f.clock.now())).error().is(ErrorCode::kNotFound));

  auto wrong = f.mfa().confirm("u1", "000000");
  REQUIRE(wrong.has_value());
  CHECK(wrong->verdict == Verdict::kWrongCode);
  CHECK(wrong->recovery_codes.empty());

  auto right = f.mfa().confirm("u1", totp(*key, f.clock.now()));
  REQUIRE(right.has_value());
  CHECK(right->verdict == Verdict::kAccepted);
  CHECK(right->recovery_codes.size() == size_t(MfaStore::kRecoveryCodeCount));
  auto stored = f.mfa().find("u1");
  REQUIRE(stored.has_value());
  REQUIRE(stored->has_value());
  CHECK((*stored)->confirmed);
  CHECK((*stored)->confirmed_at == f.clock.now());
  // Only hashes are kept; the key is sealed, not stored as is.
  for (const auto& code : right->recovery_codes) {
    for (const auto& hash : (*stored)->recovery_code_hashes) CHECK(hash.find(code) == std::string::npos);
  }
  CHECK((*stored)->sealed_key.find(*key) == std::string::npos);
  CHECK(f.mfa().pending_key("u1").error().is(ErrorCode::kAlreadyExists));
}

TEST_CASE("mfa store: a code is accepted once, within one step either side") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  f.clock.advance(90);  // past the confirmation code's window

  auto now_code = totp(key, f.clock.now());
  CHECK(f.mfa().verify("u1", now_code)->verdict == Verdict::kAccepted);
  CHECK(f.mfa().verify("u1", now_code)->verdict == Verdict::kWrongCode);  // replay in its window

  f.clock.advance(30);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now() + 30))->verdict == Verdict::kAccepted);  // one step ahead
  f.clock.advance(90);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now() - 30))->verdict == Verdict::kAccepted);  // one step behind
  f.clock.advance(90);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now() - 60))->verdict == Verdict::kWrongCode);  // two behind
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now() + 60))->verdict == Verdict::kWrongCode);  // two ahead
}

TEST_CASE("mfa store: an older code than the last accepted one is refused") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  f.clock.advance(120);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now() + 30))->verdict == Verdict::kAccepted);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now()))->verdict == Verdict::kWrongCode);
}

TEST_CASE("mfa store: each recovery code works once, typed in any case and spacing") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  std::string sloppy = codes[3];
  for (char& c : sloppy) c = char(std::tolower(static_cast<unsigned char>(c)));
  auto used = f.mfa().verify("u1", " " + sloppy + " ");
  REQUIRE(used.has_value());
  CHECK(used->verdict == Verdict::kAccepted);
  CHECK(used->method == "recovery_code");
  CHECK(f.mfa().verify("u1", codes[3])->verdict == Verdict::kWrongCode);
  CHECK(f.mfa().verify("u1", codes[4])->verdict == Verdict::kAccepted);
  CHECK((*f.mfa().find("u1"))->recovery_code_hashes.size() == size_t(MfaStore::kRecoveryCodeCount - 2));
}

TEST_CASE("mfa store: five wrong codes block every code for fifteen minutes") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  f.clock.advance(90);
  for (int i = 1; i < MfaStore::kMaxFailedAttempts; ++i) {
    CHECK(f.mfa().verify("u1", "000000")->verdict == Verdict::kWrongCode);
  }
  auto fifth = f.mfa().verify("u1", "000000");
  CHECK(fifth->verdict == Verdict::kBlocked);
  CHECK(fifth->retry_after == MfaStore::kBlockDuration);

  auto right_but_blocked = f.mfa().verify("u1", totp(key, f.clock.now()));
  CHECK(right_but_blocked->verdict == Verdict::kBlocked);
  CHECK(f.mfa().verify("u1", codes[0])->verdict == Verdict::kBlocked);  // recovery codes too

  f.clock.advance(MfaStore::kBlockDuration - 1);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now()))->retry_after == 1);
  f.clock.advance(1);
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now()))->verdict == Verdict::kAccepted);
}

TEST_CASE("mfa store: a right code resets the count of wrong ones") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  f.clock.advance(90);
  for (int i = 1; i < MfaStore::kMaxFailedAttempts; ++i) (void)f.mfa().verify("u1", "000000");
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now()))->verdict == Verdict::kAccepted);
  for (int i = 1; i < MfaStore::kMaxFailedAttempts; ++i) {
    CHECK(f.mfa().verify("u1", "000000")->verdict == Verdict::kWrongCode);
  }
}

TEST_CASE("mfa store: wrong confirmation codes are throttled too") {
  MfaFixture f;
  REQUIRE(f.mfa().pending_key("u1").has_value());
  for (int i = 1; i < MfaStore::kMaxFailedAttempts; ++i) (void)f.mfa().confirm("u1", "000000");
  CHECK(f.mfa().confirm("u1", "000000")->verdict == Verdict::kBlocked);
}

TEST_CASE("mfa store: a reset removes the enrolment, a new one has a new key and id") {
  MfaFixture f;
  auto [key, codes] = f.enrol("u1");
  std::string id = (*f.mfa().find("u1"))->id;
  REQUIRE(f.mfa().reset("u1").has_value());
  CHECK_FALSE(f.mfa().find("u1")->has_value());
  CHECK(f.mfa().verify("u1", totp(key, f.clock.now())).error().is(ErrorCode::kNotFound));
  auto again = f.enrol("u1");
  CHECK(again.first != key);
  CHECK((*f.mfa().find("u1"))->id != id);
}

}  // namespace passerelle
