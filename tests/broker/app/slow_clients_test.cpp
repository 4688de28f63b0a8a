// Clients that connect and send nothing (slowloris) do not starve the
// others: the server's worker pool grows past them.

#include <atomic>
#include <future>

#include <doctest/doctest.h>

#include "app/elastic_thread_pool.h"
#include "broker/support/loopback_connection.h"
#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

// A TCP connection to 127.0.0.1:port that never sends a byte.
using SilentConnection = testing::LoopbackConnection;

TEST_CASE("elastic pool: a job runs while every worker is blocked, up to the ceiling") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  {
    ElasticThreadPool pool(2, 8);
    for (int i = 0; i < 8; ++i) pool.enqueue([released] { released.wait(); });
    std::promise<void> ran;
    pool.enqueue([&ran] { ran.set_value(); });
    // Eight blocked jobs hold the eight workers: the ninth waits its turn.
    CHECK(pool.worker_count() == 8);
    release.set_value();
    ran.get_future().wait();
  }  // shutdown joins every worker
  ElasticThreadPool small(1, 4);
  std::promise<void> hold;
  std::shared_future<void> held = hold.get_future().share();
  std::promise<void> ran;
  for (int i = 0; i < 3; ++i) small.enqueue([held] { held.wait(); });
  small.enqueue([&ran] { ran.set_value(); });
  // Three blocked jobs, one free worker started for the fourth.
  ran.get_future().wait();
  CHECK(small.worker_count() == 4);
  hold.set_value();
}

TEST_CASE("slow clients: connections that send nothing do not starve a real client") {
  testing::RunningBroker rb;
  std::vector<std::unique_ptr<SilentConnection>> silent;
  for (int i = 0; i < 100; ++i) {
    silent.push_back(std::make_unique<SilentConnection>(rb.port));
    REQUIRE(silent.back()->connected());
  }
  // Each silent connection would hold a worker until the server's 5-second
  // read timeout: with a fixed pool of 16, a request queued behind 100 of them
  // would wait about 30 seconds.
  httplib::Client client("127.0.0.1", rb.port);
  client.set_connection_timeout(4);
  client.set_read_timeout(4);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

}  // namespace
}  // namespace passerelle
