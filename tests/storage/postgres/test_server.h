// The PostgreSQL server of the tests: the one the test command starts for the
// whole run (a CTest fixture, tests/postgres/server.sh, whose state folder is
// in PASSERELLE_TEST_POSTGRES), or one a test starts for itself to stop and
// restart it. Each test works in a database of its own.
#pragma once

#include <optional>
#include <string>

namespace passerelle::testing {

// The shared server's state folder, or nullopt when the tests run without one
// (then the PostgreSQL cases skip, and CTest, which always provides one,
// treats the skip as a failure).
std::optional<std::string> shared_postgres();

// Creates a new, empty database on the server whose state folder is `state`
// and returns its connection URL. Fails the test when it cannot.
std::string fresh_database(const std::string& state);

// A server of the test's own, started in the constructor and deleted in the
// destructor, which the test may kill (as a crash would) and start again on
// the same port and data.
class OwnPostgresServer {
 public:
  explicit OwnPostgresServer(std::string state);
  ~OwnPostgresServer();
  OwnPostgresServer(const OwnPostgresServer&) = delete;
  OwnPostgresServer& operator=(const OwnPostgresServer&) = delete;

  const std::string& state() const { return state_; }
  void kill();
  void start();

 private:
  std::string state_;
};

}  // namespace passerelle::testing

// Skips the current test case when no shared server is available.
#define PASSERELLE_REQUIRE_POSTGRES(state_var)                                      \
  auto state_var##_opt = ::passerelle::testing::shared_postgres();                  \
  if (!state_var##_opt) {                                                           \
    MESSAGE("skipped: PASSERELLE_TEST_POSTGRES is not set (CTest starts a server)"); \
    return;                                                                         \
  }                                                                                 \
  const std::string state_var = *state_var##_opt
