// The PostgreSQL backend: the storage conformance suite on a real server,
// then what is particular to a shared engine (schema versions, connections
// lost and found, a pool smaller than the number of callers).
#include "storage/postgres/pg_kv_store.h"

#include <doctest/doctest.h>

#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/kv_store_conformance.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_schema.h"
#include "storage/postgres/test_server.h"
#include "storage/temp_dir.h"

namespace passerelle::storage {
namespace {

PostgresOptions options_for(const std::string& url) {
  PostgresOptions options;
  options.url = url;
  options.tables = {"t", "u"};
  return options;
}

std::unique_ptr<KvStore> open_or_fail(const PostgresOptions& options) {
  auto store = open_postgres_store(options);
  REQUIRE_MESSAGE(store.has_value(), store.error().to_string());
  return std::move(*store);
}

std::vector<int> recorded_versions(const std::string& url) {
  auto conn = pg::Connection::open(url);
  REQUIRE(conn.has_value());
  auto rows = (*conn)->query("SELECT version FROM passerelle_schema_version ORDER BY version", {});
  REQUIRE_MESSAGE(rows.ok(), rows.error());
  std::vector<int> versions;
  for (int i = 0; i < rows.size(); ++i) versions.push_back(static_cast<int>(rows.integer(i, 0)));
  return versions;
}

Status put(KvStore& store, std::string_view key, std::string_view value) {
  return store.update([&](WriteTxn& txn) { return txn.put("t", key, value); });
}

Result<std::optional<std::string>> get(KvStore& store, std::string_view key) {
  Result<std::optional<std::string>> out = std::nullopt;
  Status ok = store.view([&](ReadTxn& txn) -> Status {
    out = txn.get("t", key);
    return {};
  });
  if (!ok) return fail(ok.error());
  return out;
}

TEST_SUITE("postgres") {
  TEST_CASE("postgres store: the storage conformance suite") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    testing::kv_store_conformance([&] { return open_or_fail(options_for(testing::fresh_database(server))); },
                                  {.concurrent_writers = true});
  }

  TEST_CASE("postgres store: the schema is created once, recorded, and a newer one is refused") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    std::string url = testing::fresh_database(server);
    {
      auto conn = pg::Connection::open(url);
      REQUIRE(conn.has_value());
      auto migrated = pg::migrate(**conn);
      REQUIRE(migrated.has_value());
      CHECK(migrated->from == 0);
      CHECK(migrated->to == pg::kSchemaVersion);
      auto again = pg::migrate(**conn);
      REQUIRE(again.has_value());
      CHECK(again->from == pg::kSchemaVersion);  // nothing left to do
    }
    CHECK(recorded_versions(url) == std::vector<int>{1});
    auto store = open_or_fail(options_for(url));
    REQUIRE(put(*store, "k", "v"));

    auto conn = pg::Connection::open(url);
    REQUIRE(conn.has_value());
    REQUIRE((*conn)->exec("INSERT INTO passerelle_schema_version (version) VALUES (99)").ok());
    auto newer = open_postgres_store(options_for(url));
    REQUIRE_FALSE(newer.has_value());
    CHECK(newer.error().code == ErrorCode::kInvalidArgument);
    CHECK(newer.error().message.find("version 99") != std::string::npos);
  }

  TEST_CASE("postgres store: nodes starting together on an empty database migrate it once") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    std::string url = testing::fresh_database(server);
    std::vector<std::future<Result<std::unique_ptr<KvStore>>>> nodes;
    for (int i = 0; i < 4; ++i) {
      nodes.push_back(std::async(std::launch::async, [&] { return open_postgres_store(options_for(url)); }));
    }
    for (auto& node : nodes) {
      auto store = node.get();
      CHECK_MESSAGE(store.has_value(), (store ? "" : store.error().to_string()));
    }
    CHECK(recorded_versions(url) == std::vector<int>{1});
  }

  TEST_CASE("postgres store: an unreachable server is kUnavailable, and the message has no password") {
    // Port 1 on loopback: nothing listens, the connect is refused at once.
    auto store = open_postgres_store(options_for("postgresql://someone:hunter2-secret@127.0.0.1:1/db"));
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kUnavailable);
    CHECK(store.error().message.find("hunter2-secret") == std::string::npos);
    CHECK(store.error().message.find("cannot connect") != std::string::npos);
  }

  TEST_CASE("postgres store: bad options are kInvalidArgument") {
    PostgresOptions empty;
    CHECK(open_postgres_store(empty).error().code == ErrorCode::kInvalidArgument);
    PostgresOptions no_pool = options_for("postgresql://127.0.0.1:1/db");
    no_pool.pool_size = 0;
    CHECK(open_postgres_store(no_pool).error().code == ErrorCode::kInvalidArgument);
    PostgresOptions duplicate = options_for("postgresql://127.0.0.1:1/db");
    duplicate.tables = {"t", "t"};
    CHECK(open_postgres_store(duplicate).error().code == ErrorCode::kInvalidArgument);
  }

  TEST_CASE("postgres store: more callers than connections wait their turn") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    PostgresOptions options = options_for(testing::fresh_database(server));
    options.pool_size = 2;
    auto store = open_or_fail(options);
    std::vector<std::future<Status>> writers;
    for (int i = 0; i < 8; ++i) {
      writers.push_back(std::async(std::launch::async, [&store, i] {
        for (int j = 0; j < 10; ++j) {
          if (auto ok = put(*store, std::to_string(i) + "-" + std::to_string(j), "v"); !ok) return ok;
        }
        return Status{};
      }));
    }
    for (auto& w : writers) {
      Status ok = w.get();
      CHECK_MESSAGE(ok.has_value(), (ok ? "" : ok.error().to_string()));
    }
    Result<uint64_t> n = uint64_t{0};
    REQUIRE(store->view([&](ReadTxn& txn) -> Status {
      n = txn.count("t");
      return {};
    }));
    CHECK(*n == 80);
  }

  TEST_CASE("postgres store: while the server is down calls fail with kUnavailable, then it reconnects") {
    PASSERELLE_REQUIRE_POSTGRES(shared);  // the package is installed; this test runs its own server
    testing::TempDir dir;
    testing::OwnPostgresServer server(dir.path() + "/pg");
    std::string url = testing::fresh_database(server.state());
    std::mutex mutex;
    std::vector<std::string> states;
    PostgresOptions options = options_for(url);
    options.on_state_change = [&](const std::string& state) {
      std::lock_guard lock(mutex);
      states.push_back(state);
    };
    auto store = open_or_fail(options);
    REQUIRE(put(*store, "before", "kept"));

    server.kill();
    Status down = put(*store, "during", "v");
    REQUIRE_FALSE(down.has_value());
    CHECK(down.error().code == ErrorCode::kUnavailable);
    auto read_down = get(*store, "before");
    REQUIRE_FALSE(read_down.has_value());
    CHECK(read_down.error().code == ErrorCode::kUnavailable);

    server.start();
    REQUIRE(put(*store, "after", "v"));
    CHECK(*get(*store, "before") == "kept");
    CHECK(*get(*store, "during") == std::nullopt);  // refused, so never half-written
    std::lock_guard lock(mutex);
    REQUIRE(states.size() == 2);  // one line when it went, one when it came back
    CHECK(states[0].starts_with("unreachable: "));
    CHECK(states[0].find("test-only-password") == std::string::npos);
    CHECK(states[1] == "reachable again");
  }
}

}  // namespace
}  // namespace passerelle::storage
