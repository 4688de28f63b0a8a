// Moving from the embedded store to the shared one with the commands an
// operator runs: export from LMDB, migrate and import into PostgreSQL, then a
// broker on PostgreSQL honours the sessions, refresh tokens, keys and users
// the LMDB broker made.
#include <doctest/doctest.h>

#include <sstream>

#include "app/store_commands.h"
#include "broker/postgres/postgres_broker.h"
#include "broker/support/running_broker.h"
#include "storage/postgres/test_server.h"

namespace passerelle {
namespace {

using testing::RunningBroker;

TEST_SUITE("postgres") {
  TEST_CASE("lmdb to postgres: export, migrate, import, and nothing is lost") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    RunningBroker before;
    auto bob = before.broker->users().create({"bob@example.test", "bob-password-fixture", std::nullopt, {}});
    REQUIRE(bob.has_value());
    auto alice = testing::log_in_and_exchange(before, "openid%20email%20offline_access");
    std::string refresh_token = alice.body["refresh_token"];

    Config lmdb_config = testing::test_config();
    lmdb_config.data_dir = before.dir.path();
    std::string dump = before.dir.path() + "/passerelle.export";
    std::ostringstream ignored;
    REQUIRE(export_configured_store(lmdb_config, dump, ignored));

    Config pg_config = testing::postgres_config(testing::fresh_database(server));
    auto migrated = migrate_configured_store(pg_config);
    REQUIRE_MESSAGE(migrated.has_value(), migrated.error().to_string());
    std::istringstream no_input;
    auto summary = import_configured_store(pg_config, dump, no_input);
    REQUIRE_MESSAGE(summary.has_value(), summary.error().to_string());

    RunningBroker after(pg_config, testing::postgres_opener(pg_config));
    auto silent = after.client.Get(testing::authorize_path("&prompt=none").c_str(), after.with_cookie(alice.cookie));
    REQUIRE(silent);
    CHECK(silent->get_header_value("Location").rfind("https://app.test/cb?code=", 0) == 0);
    auto refreshed = after.client.Post(
        "/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
        httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
    REQUIRE(refreshed);
    CHECK(refreshed->status == 200);
    // The signing key came along: the old access token still verifies.
    auto userinfo = after.client.Get(
        "/userinfo", {{"Authorization", "Bearer " + alice.body["access_token"].get<std::string>()}});
    CHECK(userinfo->status == 200);
    auto login = testing::post_login(after, "bob@example.test", "bob-password-fixture");
    REQUIRE(login);
    CHECK(login->get_header_value("Location").rfind("https://app.test/cb?code=", 0) == 0);

    // And back: PostgreSQL exports what LMDB imports.
    std::string back = before.dir.path() + "/back.export";
    REQUIRE(export_configured_store(pg_config, back, ignored));
    testing::TempDir fresh;
    Config lmdb_again = testing::test_config();
    lmdb_again.data_dir = fresh.path();
    auto round_trip = import_configured_store(lmdb_again, back, no_input);
    REQUIRE_MESSAGE(round_trip.has_value(), round_trip.error().to_string());
  }
}

}  // namespace
}  // namespace passerelle
