// Refresh tokens to the letter of the seed (R1-R9), with an injected clock.
#include "tokens/refresh_token_store.h"

#include <algorithm>
#include <set>
#include <thread>

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "broker/support/ordering.h"
#include "core/encoding.h"
#include "core/secrets.h"
#include "core/time_ordered.h"
#include "store/tables.h"
#include "store/typed_record.h"
#include "tokens/revocation.h"

namespace passerelle {
namespace {

RefreshTokenPolicy rotating(int64_t absolute, int64_t idle, int64_t leeway = 0) {
  RefreshTokenPolicy p;
  p.rotating = true;
  p.expiring = true;
  p.token_lifetime = absolute;
  p.infinite_token_lifetime = absolute == 0;
  p.idle_token_lifetime = idle;
  p.infinite_idle_token_lifetime = idle == 0;
  p.leeway = leeway;
  return p;
}

RefreshTokenPolicy non_rotating_non_expiring() {
  RefreshTokenPolicy p;  // the defaults: non-rotating, non-expiring
  return p;
}

struct RefreshFixture : testing::BrokerFixture {
  RefreshTokenStore& store = broker->refresh_tokens();
  int access_counter = 0;

  RefreshGrant issue(const RefreshTokenPolicy& policy, const std::string& client = "web") {
    RefreshFamily family;
    family.client_id = client;
    family.user_id = "user_1";
    family.scope = "openid offline_access";
    auto grant = store.issue(family, policy);
    REQUIRE(grant.has_value());
    return *grant;
  }

  Result<RefreshGrant> exchange(const std::string& token, const RefreshTokenPolicy& policy,
                                const std::string& client = "web") {
    return store.exchange(token, client, policy, {"jti-" + std::to_string(++access_counter), clock.now() + 3600});
  }
};

// Moves the record stored for `token` to the key `older` had in an older
// layout (a bare sha256, or no sequence), as an older store holds it.
void store_as(storage::KvStore& kv, const std::string& token, const std::string& older) {
  REQUIRE(kv.update([&](storage::WriteTxn& txn) -> Status {
    auto value = txn.get(tables::kRefreshTokens, token_storage_key(token));
    REQUIRE(value.has_value());
    REQUIRE(value->has_value());
    if (auto st = txn.del(tables::kRefreshTokens, token_storage_key(token)); !st) return st;
    return txn.put(tables::kRefreshTokens, token_storage_key(older), **value);
  }));
}

// Rewrites the spent token stored under `key` as a broker from before
// successors carried a sequence left it: without one.
void forget_successor_seq(storage::KvStore& kv, const std::string& key) {
  REQUIRE(kv.update([&](storage::WriteTxn& txn) -> Status {
    auto spent = get_record<StoredRefreshToken>(txn, tables::kRefreshTokens, key);
    REQUIRE(spent.has_value());
    REQUIRE(spent->has_value());
    CHECK((*spent)->successor_seq >= 0);
    (*spent)->successor_seq = -1;
    return put_record(txn, tables::kRefreshTokens, key, **spent);
  }));
}

void check_invalid_grant(const Result<RefreshGrant>& r, const std::string& why) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().is(ErrorCode::kPermissionDenied));
  CHECK(r.error().message.find(why) != std::string::npos);
}

}  // namespace

TEST_CASE("refresh: rotation returns a new token of the same family at each exchange (R1)") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0);
  auto first = f.issue(policy);
  CHECK(first.token.size() == 51);
  std::set<std::string> seen{first.token};
  std::string current = first.token;
  for (int i = 0; i < 100; ++i) {
    f.clock.advance(10);
    auto next = f.exchange(current, policy);
    REQUIRE(next.has_value());
    CHECK(next->family.id == first.family.id);
    CHECK(seen.insert(next->token).second);
    current = next->token;
  }
}

TEST_CASE("refresh: reuse outside the leeway revokes the whole family and its last access token (R1)") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0);
  auto first = f.issue(policy);
  auto second = f.exchange(first.token, policy);
  REQUIRE(second.has_value());
  auto third = f.exchange(second->token, policy);
  REQUIRE(third.has_value());
  f.clock.advance(1);
  check_invalid_grant(f.exchange(first.token, policy), "already used");
  check_invalid_grant(f.exchange(third->token, policy), "revoked");  // the newest fails too
  auto family = f.store.family(first.family.id);
  REQUIRE(family->has_value());
  CHECK((*family)->revoked);
  CHECK((*family)->revoked_reason == "reuse detected");
  CHECK(*is_access_token_revoked(f.broker->store(), (*family)->last_access_jti));
}

TEST_CASE("refresh: within the leeway a used token yields the same successor, and only then") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 30);
  auto first = f.issue(policy);
  auto second = f.exchange(first.token, policy);
  REQUIRE(second.has_value());
  f.clock.advance(30);
  auto again = f.exchange(first.token, policy);
  REQUIRE(again.has_value());
  CHECK(again->token == second->token);
  f.clock.advance(1);
  check_invalid_grant(f.exchange(first.token, policy), "already used");
}

TEST_CASE("refresh: with no leeway even a same-second replay is reuse") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 0);
  auto first = f.issue(policy);
  REQUIRE(f.exchange(first.token, policy).has_value());
  check_invalid_grant(f.exchange(first.token, policy), "already used");
}

TEST_CASE("refresh: concurrent exchanges of one token never fork the family") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 60);
  auto first = f.issue(policy);
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = f.store.exchange(first.token, "web", policy, {"jti-" + std::to_string(i), 0});
      results[i] = r ? r->token : "error";
    });
  }
  for (auto& t : threads) t.join();
  CHECK(std::set<std::string>(results.begin(), results.end()).size() == 1);
  CHECK(results[0] != "error");
}

TEST_CASE("refresh: the absolute lifetime counts from the family's creation and bounds every token (R3)") {
  struct Row { const char* name; int64_t lifetime; };
  const Row rows[] = {{"minimum, 1 s", 1}, {"default, 30 days", 2592000}, {"maximum, 1 year", 31557600}};
  for (const auto& row : rows) {
    SUBCASE(row.name) {
      RefreshFixture f;
      auto policy = rotating(row.lifetime, 0);
      auto first = f.issue(policy);
      std::string token = first.token;
      if (row.lifetime > 1) {
        f.clock.advance(row.lifetime - 1);
        auto next = f.exchange(token, policy);
        REQUIRE(next.has_value());
        token = next->token;
        f.clock.advance(1);
      } else {
        f.clock.advance(1);
      }
      check_invalid_grant(f.exchange(token, policy), "absolute lifetime");
    }
  }
}

TEST_CASE("refresh: the idle lifetime counts from the last exchange and each exchange renews it (R4)") {
  RefreshFixture f;
  auto policy = rotating(0, 100);
  auto grant = f.issue(policy);
  std::string token = grant.token;
  for (int i = 0; i < 5; ++i) {
    f.clock.advance(99);
    auto next = f.exchange(token, policy);
    REQUIRE(next.has_value());
    token = next->token;
  }
  f.clock.advance(100);  // exactly at expiry
  check_invalid_grant(f.exchange(token, policy), "idle lifetime");
}

TEST_CASE("refresh: non-rotating tokens keep their value and renew their idle window") {
  RefreshFixture f;
  RefreshTokenPolicy policy;
  policy.expiring = true;
  policy.infinite_token_lifetime = true;
  policy.infinite_idle_token_lifetime = false;
  policy.idle_token_lifetime = 50;
  auto grant = f.issue(policy);
  for (int i = 0; i < 3; ++i) {
    f.clock.advance(49);
    auto next = f.exchange(grant.token, policy);
    REQUIRE(next.has_value());
    CHECK(next->token == grant.token);
  }
  f.clock.advance(50);
  check_invalid_grant(f.exchange(grant.token, policy), "idle lifetime");
}

TEST_CASE("refresh: non-expiring tokens do not expire") {
  RefreshFixture f;
  auto policy = non_rotating_non_expiring();
  auto grant = f.issue(policy);
  f.clock.advance(10 * 31557600);
  CHECK(f.exchange(grant.token, policy).has_value());
}

TEST_CASE("refresh: a policy change does not touch tokens issued before it (R8)") {
  RefreshFixture f;
  auto before = rotating(0, 1000);
  auto grant = f.issue(before);
  auto after = rotating(0, 10);
  f.clock.advance(500);  // past the new idle lifetime, within the old one
  CHECK(f.exchange(grant.token, after).has_value());
}

TEST_CASE("refresh: a non-expiring token becomes expiring at its next exchange once an absolute lifetime is set (R9)") {
  RefreshFixture f;
  auto grant = f.issue(non_rotating_non_expiring());
  RefreshTokenPolicy now_expiring;
  now_expiring.expiring = true;
  now_expiring.infinite_token_lifetime = false;
  now_expiring.token_lifetime = 1000;
  now_expiring.infinite_idle_token_lifetime = true;
  f.clock.advance(5000);
  auto converted = f.exchange(grant.token, now_expiring);
  REQUIRE(converted.has_value());
  CHECK(converted->family.absolute_expires_at == testing::kStartTime + 5000 + 1000);
  f.clock.advance(999);
  CHECK(f.exchange(grant.token, now_expiring).has_value());
  f.clock.advance(1);
  check_invalid_grant(f.exchange(grant.token, now_expiring), "absolute lifetime");
}

TEST_CASE("refresh: another client's token and unknown tokens are refused") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0);
  auto grant = f.issue(policy);
  check_invalid_grant(f.exchange(grant.token, policy, "spa"), "another client");
  check_invalid_grant(f.exchange("not-a-token", policy), "invalid or expired");
  CHECK(f.exchange(grant.token, policy).has_value());  // the refusal consumed nothing
}

TEST_CASE("refresh: revocation ends the family (RFC 7009)") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0);
  auto grant = f.issue(policy);
  auto next = f.exchange(grant.token, policy);
  REQUIRE(next.has_value());
  REQUIRE(f.store.revoke(next->token, "spa", "wrong client").has_value());  // another client's: ignored
  auto newest = f.exchange(next->token, policy);
  REQUIRE(newest.has_value());
  REQUIRE(f.store.revoke(newest->token, "web", "revoked by the client").has_value());
  check_invalid_grant(f.exchange(newest->token, policy), "revoked");
  auto family = f.store.family(grant.family.id);
  REQUIRE(family.has_value());
  REQUIRE(family->has_value());
  CHECK((*family)->revoked);
  CHECK((*family)->revoked_reason == "revoked by the client");
  CHECK(f.store.revoke("unknown", "web", "x").has_value());
}

TEST_CASE("refresh: tokens are stored in the order they were issued, whatever their random part") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0);
  std::vector<std::string> keys;
  std::string current = f.issue(policy).token;
  keys.push_back(token_storage_key(current));
  for (int i = 0; i < 30; ++i) {
    if (i % 10 == 0) f.clock.advance(1);  // several rotations in each second
    auto next = f.exchange(current, policy);
    REQUIRE(next.has_value());
    current = next->token;
    keys.push_back(token_storage_key(current));
  }
  CHECK(testing::sorted_but_for_one_wrap(keys));
  std::vector<std::string> family_ids;
  for (int i = 0; i < 30; ++i) {
    if (i % 10 == 0) f.clock.advance(1);
    family_ids.push_back(f.issue(policy).family.id);
  }
  CHECK(testing::sorted_but_for_one_wrap(family_ids));
}

TEST_CASE("refresh: a token handed out before tokens carried their time still rotates") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 30);
  auto grant = f.issue(policy);
  const std::string legacy = random_token();  // 43 characters, keyed by its bare sha256
  store_as(f.broker->store(), grant.token, legacy);
  check_invalid_grant(f.exchange(grant.token, policy), "invalid or expired");
  auto next = f.exchange(legacy, policy);
  REQUIRE(next.has_value());
  CHECK(next->token.size() == 51);
  auto again = f.exchange(legacy, policy);  // within the leeway
  REQUIRE(again.has_value());
  CHECK(again->token == next->token);
  CHECK(f.exchange(next->token, policy).has_value());
}

TEST_CASE("refresh: within the leeway, a token rotated before successors carried a sequence gets that successor") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 30);
  auto grant = f.issue(policy);
  auto rotated = f.exchange(grant.token, policy);
  REQUIRE(rotated.has_value());
  // As the broker before the sequence left them: the spent token without a
  // successor sequence, its successor in the 48-character timed layout.
  const std::string old_successor =
      time_ordered_token_without_sequence(f.clock.now(), hmac_sha256(grant.family.secret, grant.token));
  forget_successor_seq(f.broker->store(), token_storage_key(grant.token));
  store_as(f.broker->store(), rotated->token, old_successor);
  f.clock.advance(10);
  auto again = f.exchange(grant.token, policy);
  REQUIRE(again.has_value());
  CHECK(again->token == old_successor);
  auto next = f.exchange(old_successor, policy);
  REQUIRE(next.has_value());
  CHECK(next->token.size() == 51);
}

TEST_CASE("refresh: within the leeway, a token rotated before successors carried their time gets that successor") {
  RefreshFixture f;
  auto policy = rotating(2592000, 0, 30);
  auto grant = f.issue(policy);
  auto timed = f.exchange(grant.token, policy);
  REQUIRE(timed.has_value());
  // As an older broker left them: the spent token and its bare-HMAC successor.
  const std::string legacy = random_token();
  const std::string bare_successor = base64url_encode(hmac_sha256(grant.family.secret, legacy));
  forget_successor_seq(f.broker->store(), token_storage_key(grant.token));
  store_as(f.broker->store(), grant.token, legacy);
  store_as(f.broker->store(), timed->token, bare_successor);
  f.clock.advance(10);
  auto again = f.exchange(legacy, policy);
  REQUIRE(again.has_value());
  CHECK(again->token == bare_successor);
  auto next = f.exchange(bare_successor, policy);
  REQUIRE(next.has_value());
  CHECK(next->token.size() == 51);
}

}  // namespace passerelle
