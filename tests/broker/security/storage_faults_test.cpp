// Storage faults under real requests. A write that fails in the middle of a
// transaction (an I/O error), at every position a request writes at, leaves
// nothing half-done: the request gets a clear error and the same request
// succeeds once the store works again. A store whose map cannot grow (the disk
// is full) answers 503 and serves again once it has room.

#include <atomic>

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

// The write to fail: armed with n, the n-th put or delete from then on (0 is
// the next one) fails with kUnavailable, once, as an I/O error would.
struct WriteFault {
  std::atomic<int> countdown{-1};
  // Armed, the next successful commit takes the whole store down after it:
  // every later transaction fails, as when the database goes away.
  std::atomic<bool> down_after_next_commit{false};
  std::atomic<bool> down{false};
  bool fail_now() {
    int left = countdown.load();
    if (left < 0) return false;
    countdown = left - 1;
    return left == 0;
  }
};

class FaultyTxn : public storage::WriteTxn {
 public:
  FaultyTxn(storage::WriteTxn& inner, WriteFault& fault) : inner_(inner), fault_(fault) {}
  Result<std::optional<std::string>> get(std::string_view table, std::string_view key) override {
    return inner_.get(table, key);
  }
  Status scan_prefix(std::string_view table, std::string_view prefix,
                     const std::function<bool(std::string_view, std::string_view)>& visit) override {
    return inner_.scan_prefix(table, prefix, visit);
  }
  Status put(std::string_view table, std::string_view key, std::string_view value) override {
    if (fault_.fail_now()) return fail(Error::unavailable("storage: injected write error"));
    return inner_.put(table, key, value);
  }
  Status del(std::string_view table, std::string_view key) override {
    if (fault_.fail_now()) return fail(Error::unavailable("storage: injected write error"));
    return inner_.del(table, key);
  }

 private:
  storage::WriteTxn& inner_;
  WriteFault& fault_;
};

// A real LMDB store whose writes fail as `fault` says.
class FaultyStore : public storage::KvStore {
 public:
  FaultyStore(std::unique_ptr<storage::KvStore> inner, std::shared_ptr<WriteFault> fault)
      : inner_(std::move(inner)), fault_(std::move(fault)) {}
  Status view(const std::function<Status(storage::ReadTxn&)>& fn) override {
    if (fault_->down) return fail(Error::unavailable("storage: injected outage"));
    return inner_->view(fn);
  }
  Status update(const std::function<Status(storage::WriteTxn&)>& fn) override {
    if (fault_->down) return fail(Error::unavailable("storage: injected outage"));
    Status committed = inner_->update([&](storage::WriteTxn& txn) {
      FaultyTxn faulty(txn, *fault_);
      return fn(faulty);
    });
    if (committed && fault_->down_after_next_commit.exchange(false)) fault_->down = true;
    return committed;
  }

 private:
  std::unique_ptr<storage::KvStore> inner_;
  std::shared_ptr<WriteFault> fault_;
};

struct FaultyBroker {
  std::shared_ptr<WriteFault> fault = std::make_shared<WriteFault>();
  testing::RunningBroker rb{testing::test_config(), [fault = fault](const std::string& dir) {
                              return std::make_unique<FaultyStore>(testing::open_test_lmdb(dir), fault);
                            }};
};

httplib::Result refresh(testing::RunningBroker& rb, const std::string& token) {
  return rb.client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                        httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
}

void check_unavailable(const httplib::Result& r) {
  REQUIRE(r);
  CAPTURE(r->body);
  CHECK(r->status == 503);
  CHECK(nlohmann::json::parse(r->body)["error"] == "temporarily_unavailable");
}

// Runs `attempt` with the n-th write failing, n = 0, 1, ..., until an attempt
// writes fewer than n+1 times and succeeds; returns that successful answer.
// `attempt` must be repeatable: a failed attempt must have changed nothing.
template <typename Attempt>
httplib::Result fail_each_write_in_turn(WriteFault& fault, Attempt attempt, int* failures) {
  for (int n = 0; n < 50; ++n) {
    fault.countdown = n;
    auto r = attempt();
    bool failed = fault.countdown.load() < 0;  // the armed write was reached
    fault.countdown = -1;
    if (!failed) return r;
    ++*failures;
    CAPTURE(n);
    check_unavailable(r);
  }
  FAIL("the request never stopped writing");
  return httplib::Result(nullptr, httplib::Error::Unknown);
}

TEST_CASE("storage faults: a refresh exchange failing at any write keeps the old token valid") {
  FaultyBroker f;
  auto tokens = testing::log_in_and_exchange(f.rb, "openid%20offline_access");
  std::string token = tokens.body["refresh_token"];
  int failures = 0;
  // No leeway on this client: had a failed attempt marked the token used,
  // the next attempt would be a reuse, refused, and the family revoked.
  auto r = fail_each_write_in_turn(*f.fault, [&] { return refresh(f.rb, token); }, &failures);
  CHECK(failures > 0);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  std::string successor = nlohmann::json::parse(r->body)["refresh_token"];
  auto next = refresh(f.rb, successor);
  REQUIRE(next);
  CHECK(next->status == 200);
}

// Once a token is rotated or a code spent, the answer must not depend on the
// store any more: a client that loses it (with no leeway) has lost the login.
TEST_CASE("storage faults: after the grant's commit the answer needs nothing more from the store") {
  FaultyBroker f;
  auto login = testing::log_in(f.rb, "alice-password", "", "", "openid%20offline_access");
  f.fault->down_after_next_commit = true;
  auto exchanged = testing::redeem_code(f.rb, testing::query_value(login.location, "code"));
  REQUIRE(exchanged);
  CAPTURE(exchanged->body);
  CHECK(exchanged->status == 200);
  f.fault->down = false;

  std::string token = nlohmann::json::parse(exchanged->body)["refresh_token"];
  f.fault->down_after_next_commit = true;
  auto rotated = refresh(f.rb, token);
  REQUIRE(rotated);
  CAPTURE(rotated->body);
  CHECK(rotated->status == 200);
  f.fault->down = false;
  auto next = refresh(f.rb, nlohmann::json::parse(rotated->body)["refresh_token"].get<std::string>());
  CHECK(next->status == 200);
}

TEST_CASE("storage faults: a code redemption failing at any write leaves the code redeemable") {
  FaultyBroker f;
  auto login = testing::log_in(f.rb, "alice-password", "", "", "openid%20offline_access");
  std::string code = testing::query_value(login.location, "code");
  REQUIRE_FALSE(code.empty());
  int failures = 0;
  auto r = fail_each_write_in_turn(*f.fault, [&] { return testing::redeem_code(f.rb, code); }, &failures);
  CHECK(failures > 0);
  REQUIRE(r);
  CHECK(r->status == 200);
  auto body = nlohmann::json::parse(r->body);
  CHECK(body.contains("refresh_token"));
  // Redeemed once for real: a second use is refused.
  auto again = testing::redeem_code(f.rb, code);
  REQUIRE(again);
  CHECK(again->status == 400);
}

// Fills the store with filler records until even a small write fails.
void fill_store(storage::KvStore& store) {
  int n = 0;
  for (size_t size : {size_t(64 * 1024), size_t(4096), size_t(256), size_t(16)}) {
    std::string value(size, 'x');
    while (store.update([&](storage::WriteTxn& txn) {
      return txn.put(tables::kMeta, "filler-" + std::to_string(n), value);
    })) {
      ++n;
    }
  }
}

// LMDB cannot even delete once its map is completely full (a delete copies
// pages too): the way back is more room, here a restart with a larger map,
// as an operator would give the disk more space.
TEST_CASE("storage faults: a full store answers 503 and serves again with more room, nothing lost") {
  testing::TempDir store_dir;
  std::string token;
  {
    testing::RunningBroker rb(testing::test_config(), [&](const std::string&) {
      return testing::open_test_lmdb(store_dir.path(), size_t(4) << 20);
    });
    auto tokens = testing::log_in_and_exchange(rb, "openid%20offline_access");
    token = tokens.body["refresh_token"];
    fill_store(rb.broker->store());
    check_unavailable(refresh(rb, token));
    auto authorize = rb.client.Get(testing::authorize_path().c_str());
    REQUIRE(authorize);
    CHECK(authorize->status == 503);
    CHECK(authorize->body.find("temporarily_unavailable") != std::string::npos);
    // Reads go on: the keys and discovery need no write.
    CHECK(rb.client.Get("/.well-known/jwks.json")->status == 200);
    CHECK(rb.client.Get("/.well-known/openid-configuration")->status == 200);
  }
  testing::RunningBroker rb(testing::test_config(), [&](const std::string&) {
    return testing::open_test_lmdb(store_dir.path(), size_t(64) << 20);
  });
  // The refused exchange changed nothing: the token is still the live one.
  auto r = refresh(rb, token);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK_FALSE(testing::query_value(testing::log_in(rb).location, "code").empty());
}

}  // namespace
}  // namespace passerelle
