// Moving a broker's data to another store: export, import into an empty
// store, and a broker on it still knows the users, sessions and refresh
// tokens made by the first one. Then the commands' own duties: the file is
// private and never overwritten, an import needs an empty store, migrate opens
// the store alone.

#include "app/store_commands.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "broker/support/running_broker.h"
#include "storage/transfer.h"

namespace passerelle {
namespace {

using testing::RunningBroker;

constexpr const char* kOffline = "openid%20email%20offline_access";

httplib::Result refresh(RunningBroker& rb, const std::string& token) {
  return rb.client.Post("/oauth/token",
                        {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                        httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
}

// prompt=none: a code for an existing session, login_required without one.
std::string silent_authorize(RunningBroker& rb, const std::string& cookie) {
  auto r = rb.client.Get(testing::authorize_path("&prompt=none").c_str(), rb.with_cookie(cookie));
  REQUIRE(r);
  REQUIRE(r->status == 302);
  return r->get_header_value("Location");
}

// A fresh LMDB store in `dir` that holds `dump`, opened as a broker would be
// after `passerelle import`: the import runs before the broker seeds anything.
testing::StoreOpener imported(const std::string& dump) {
  return [dump](const std::string& dir) {
    auto store = testing::open_test_lmdb(dir);
    std::istringstream in(dump);
    auto summary = storage::import_store(*store, tables::all_tables(), in);
    REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());
    return store;
  };
}

TEST_CASE("store transfer: a broker on an imported store honours the old sessions and refresh tokens") {
  RunningBroker first;
  auto bob = first.broker->users().create({"bob@example.test", "bob-password-fixture", std::nullopt, {}});
  REQUIRE_MESSAGE(bob.has_value(), bob.error().to_string());
  auto alice = testing::log_in_and_exchange(first, kOffline);
  std::string refresh_token = alice.body["refresh_token"];
  std::ostringstream dump;
  auto exported = storage::export_store(first.broker->store(), tables::all_tables(), dump);
  REQUIRE_MESSAGE(exported.has_value(), exported.error().to_string());

  // The control: a broker on a store of its own knows none of it.
  RunningBroker other;
  CHECK(refresh(other, refresh_token)->status == 400);
  CHECK(silent_authorize(other, alice.cookie).find("error=login_required") != std::string::npos);

  RunningBroker second(testing::test_config(), imported(dump.str()));
  auto session = second.broker->sessions().find(alice.cookie);
  REQUIRE(session.has_value());
  REQUIRE(session->has_value());
  CHECK((*session)->authenticated);
  CHECK(silent_authorize(second, alice.cookie).rfind("https://app.test/cb?code=", 0) == 0);

  auto refreshed = refresh(second, refresh_token);
  REQUIRE(refreshed);
  CHECK(refreshed->status == 200);
  auto body = nlohmann::json::parse(refreshed->body);
  CHECK(body["access_token"].is_string());
  // Signed with the first broker's key, which came along: the second accepts it.
  auto userinfo = second.client.Get(
      "/userinfo", {{"Authorization", "Bearer " + alice.body["access_token"].get<std::string>()}});
  CHECK(userinfo->status == 200);

  auto login = testing::post_login(second, "bob@example.test", "bob-password-fixture");
  REQUIRE(login);
  CHECK(login->get_header_value("Location").rfind("https://app.test/cb?code=", 0) == 0);
  auto found = second.broker->users().find_by_email("bob@example.test");
  REQUIRE(found.has_value());
  REQUIRE(found->has_value());
  CHECK((*found)->id == bob->id);
}

// A config whose store lives in `dir`.
Config config_in(const testing::TempDir& dir) {
  Config config = testing::test_config();
  config.data_dir = dir.path();
  return config;
}

// A data_dir whose store holds what a broker wrote there (the broker closed).
struct UsedDataDir {
  testing::BrokerFixture fixture;
  UsedDataDir() { fixture.broker.reset(); }
  Config config() const { return config_in(fixture.dir); }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("store commands: export writes a file only its owner can read, and never overwrites one") {
  UsedDataDir used;
  testing::TempDir out_dir;
  std::string path = out_dir.path() + "/broker.export";
  std::ostringstream unused;
  auto st = export_configured_store(used.config(), path, unused);
  REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  std::string written = read_file(path);
  CHECK(written.rfind("{\"format\":\"passerelle-export\"", 0) == 0);
  CHECK(unused.str().empty());

  auto again = export_configured_store(used.config(), path, unused);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kAlreadyExists);
  CHECK(read_file(path) == written);

  // Nor through a symlink planted where the file would go.
  std::string target = out_dir.path() + "/elsewhere";
  std::filesystem::create_symlink(target, out_dir.path() + "/link.export");
  CHECK_FALSE(export_configured_store(used.config(), out_dir.path() + "/link.export", unused).has_value());
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("store commands: export to - writes to standard output") {
  UsedDataDir used;
  std::ostringstream out;
  auto st = export_configured_store(used.config(), "-", out);
  REQUIRE_MESSAGE(st.has_value(), st.error().to_string());
  CHECK(out.str().rfind("{\"format\":\"passerelle-export\"", 0) == 0);
}

TEST_CASE("store commands: import fills an empty store, then refuses to import into it again") {
  UsedDataDir used;
  testing::TempDir out_dir, target_dir;
  std::string path = out_dir.path() + "/broker.export";
  std::ostringstream unused;
  REQUIRE(export_configured_store(used.config(), path, unused).has_value());

  std::istringstream no_stdin;
  auto summary = import_configured_store(config_in(target_dir), path, no_stdin);
  REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());
  CHECK(summary->tables.size() == tables::all_tables().size());
  CHECK(summary->records > 0);
  uint64_t users = 0;
  for (const auto& t : summary->tables) {
    if (t.table == tables::kUsers) users = t.records;
  }
  CHECK(users == 1);  // alice, seeded by the first broker

  auto again = import_configured_store(config_in(target_dir), path, no_stdin);
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kAlreadyExists);

  std::istringstream from_stdin(read_file(path));
  testing::TempDir piped_dir;
  auto piped = import_configured_store(config_in(piped_dir), "-", from_stdin);
  REQUIRE_MESSAGE(piped.has_value(), piped.error().to_string());
  CHECK(piped->records == summary->records);
}

TEST_CASE("store commands: import of a missing file fails before opening the store") {
  testing::TempDir target_dir;
  std::istringstream no_stdin;
  auto summary = import_configured_store(config_in(target_dir), target_dir.path() + "/missing", no_stdin);
  REQUIRE_FALSE(summary.has_value());
  CHECK(summary.error().code == ErrorCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(target_dir.path() + "/lmdb"));
}

TEST_CASE("store commands: migrate opens the store and nothing else") {
  testing::TempDir dir;
  auto ready = migrate_configured_store(config_in(dir));
  REQUIRE_MESSAGE(ready.has_value(), ready.error().to_string());
  CHECK(ready->find("lmdb") != std::string::npos);
  CHECK(std::filesystem::exists(dir.path() + "/lmdb"));
  // No broker ran: no client or user was seeded, so the store is ready for an import.
  std::ostringstream dump;
  {
    storage::LmdbOptions options;
    options.path = dir.path() + "/lmdb";
    options.tables = tables::all_tables();
    auto store = storage::open_lmdb_store(options);
    REQUIRE(store.has_value());
    REQUIRE(storage::export_store(**store, tables::all_tables(), dump).has_value());
  }
  CHECK(dump.str().find("\"records\":0}") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/secret_box.key"));

  testing::TempDir blocked;
  std::ofstream(blocked.path() + "/file") << "not a folder";
  Config config = testing::test_config();
  config.data_dir = blocked.path() + "/file";
  CHECK_FALSE(migrate_configured_store(config).has_value());
}

}  // namespace
}  // namespace passerelle
