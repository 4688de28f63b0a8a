#include "storage/postgres/test_server.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>

#include "storage/postgres/pg_connection.h"

namespace passerelle::testing {
namespace {

std::string server_script() { return std::string(PASSERELLE_SOURCE_ROOT) + "/tests/postgres/server.sh"; }

void run_script(const std::string& args) {
  std::string command = "bash '" + server_script() + "' " + args + " >/dev/null";
  int rc = std::system(command.c_str());
  REQUIRE_MESSAGE(rc == 0, "server.sh " << args << " failed");
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  REQUIRE_MESSAGE(!line.empty(), "nothing in " << path);
  return line;
}

void stop_quietly(const std::string& state) {
  std::string command = "bash '" + server_script() + "' stop '" + state + "' >/dev/null 2>&1";
  (void)std::system(command.c_str());
}

}  // namespace

std::optional<std::string> shared_postgres() {
  const char* state = std::getenv("PASSERELLE_TEST_POSTGRES");
  if (state == nullptr || *state == '\0') return std::nullopt;
  return std::string(state);
}

std::string fresh_database(const std::string& state) {
  static std::atomic<int> next{0};
  std::string name = "test_" + std::to_string(getpid()) + "_" + std::to_string(next++);
  std::string admin = read_line(state + "/url");
  auto conn = storage::pg::Connection::open(admin);
  REQUIRE_MESSAGE(conn.has_value(), conn.error().to_string());
  auto created = (*conn)->exec("CREATE DATABASE " + name);
  REQUIRE_MESSAGE(created.ok(), created.error());
  // The admin URL ends in /postgres: the same server, another database.
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

OwnPostgresServer::OwnPostgresServer(std::string state) : state_(std::move(state)) {
  std::string command = "bash '" + server_script() + "' start '" + state_ + "' >/dev/null";
  if (std::system(command.c_str()) == 0) return;
  // The destructor does not run for a constructor that fails: delete here.
  stop_quietly(state_);
  FAIL("server.sh start " << state_ << " failed");
}
OwnPostgresServer::~OwnPostgresServer() { stop_quietly(state_); }
void OwnPostgresServer::kill() { run_script("kill '" + state_ + "'"); }
void OwnPostgresServer::start() { run_script("start '" + state_ + "'"); }

}  // namespace passerelle::testing
