// GET /healthz and GET /readyz, and the readiness probes behind /readyz.

#include <atomic>

#include <doctest/doctest.h>

#include "app/readiness.h"
#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

// A real LMDB store that can be made to fail like a lost disk: while down,
// every transaction fails with kUnavailable, as the LMDB backend reports
// its own I/O errors.
class SwitchableStore : public storage::KvStore {
 public:
  SwitchableStore(std::unique_ptr<storage::KvStore> inner, std::shared_ptr<std::atomic<bool>> down)
      : inner_(std::move(inner)), down_(std::move(down)) {}
  Status view(const std::function<Status(storage::ReadTxn&)>& fn) override {
    if (*down_) return fail(Error::unavailable("storage is down"));
    return inner_->view(fn);
  }
  Status update(const std::function<Status(storage::WriteTxn&)>& fn) override {
    if (*down_) return fail(Error::unavailable("storage is down"));
    return inner_->update(fn);
  }

 private:
  std::unique_ptr<storage::KvStore> inner_;
  std::shared_ptr<std::atomic<bool>> down_;
};

TEST_CASE("readiness probes: storage") {
  testing::TempDir dir;
  auto lmdb = testing::open_test_lmdb(dir.path());
  CHECK(probe_storage(*lmdb).has_value());
  auto down = std::make_shared<std::atomic<bool>>(true);
  SwitchableStore lost(testing::open_test_lmdb(dir.path() + "-other"), down);
  auto status = probe_storage(lost);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("readiness probes: signing keys and connectors") {
  testing::BrokerFixture f;
  CHECK(probe_signing_keys(f.broker->keys()));
  // The test config has only the database connection: nothing to load.
  CHECK_FALSE(missing_connector(f.broker->config().connections, f.broker->connections()).has_value());
  std::vector<ConnectionConfig> wanted = f.broker->config().connections;
  ConnectionConfig facebook;
  facebook.name = "facebook";
  facebook.strategy = "facebook";
  wanted.push_back(facebook);
  CHECK(missing_connector(wanted, f.broker->connections()) == std::optional<std::string>("facebook"));
  CHECK_FALSE(readiness_problem(*f.broker).has_value());
}

TEST_CASE("healthz answers ok and readyz answers ready") {
  testing::RunningBroker rb;
  auto health = rb.client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(health->body == "ok");
  CHECK(health->get_header_value("Content-Type").rfind("text/plain", 0) == 0);
  auto ready = rb.client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(ready->body == "ready");
}

TEST_CASE("readyz answers 503 with its reason while storage is unavailable") {
  auto down = std::make_shared<std::atomic<bool>>(false);
  testing::RunningBroker b(testing::test_config(), [down](const std::string& dir) {
    return std::make_unique<SwitchableStore>(testing::open_test_lmdb(dir), down);
  });
  REQUIRE(b.client.Get("/readyz")->status == 200);
  *down = true;
  auto ready = b.client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 503);
  CHECK(ready->body == "not ready: storage unavailable");
  auto health = b.client.Get("/healthz");  // the process still answers
  REQUIRE(health);
  CHECK(health->status == 200);
  *down = false;
  CHECK(b.client.Get("/readyz")->status == 200);
}

}  // namespace
}  // namespace passerelle
