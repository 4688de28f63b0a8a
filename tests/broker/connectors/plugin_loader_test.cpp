// The plugin loader and the connection registry: each way a connection can
// fail to open stops start-up with one line naming the connection.
#include <fstream>

#include <doctest/doctest.h>

#include "broker/support/broker_fixture.h"
#include "connectors/connection_registry.h"
#include "connectors/plugin_loader.h"
#include "storage/temp_dir.h"

namespace passerelle {
namespace {

ConnectionConfig connection(std::string name, std::string strategy, nlohmann::json options = nlohmann::json::object()) {
  ConnectionConfig c;
  c.name = std::move(name);
  c.strategy = std::move(strategy);
  c.options = std::move(options);
  c.enabled_clients = {"web"};
  return c;
}

// Secrets here are test fixtures.
const nlohmann::json kFacebookOptions = {{"client_id", "1234"}, {"client_secret", "fb-app-secret-fixture"}};

Result<std::unique_ptr<ConnectionRegistry>> open_one(const ConnectionConfig& c, std::vector<std::string> dirs,
                                                     const Clock& clock) {
  PluginSearchPath path;
  path.dirs = std::move(dirs);
  return ConnectionRegistry::open({c}, path, std::make_unique<HostBundle>(clock));
}

TEST_CASE("connection registry: each loader error names the connection in one line") {
  ManualClock clock(testing::kStartTime);
  testing::TempDir empty;
  std::string garbage = empty.path() + "/garbage.so";
  std::ofstream(garbage) << "not an ELF file";
  const std::string tests = PASSERELLE_TEST_PLUGIN_DIR;
  const std::string builtin = PASSERELLE_BUILTIN_PLUGIN_DIR;

  struct Row {
    const char* name;
    ConnectionConfig connection;
    std::vector<std::string> dirs;
    std::string expected;  // the whole message, or its start when it ends in "..."
  };
  const Row rows[] = {
      {"missing file", connection("fb", "nothere"), {empty.path()},
       "connection \"fb\": plugin file nothere.so not found in " + empty.path()},
      {"no plugin dir at all", connection("fb", "nothere"), {""},
       "connection \"fb\": plugin file nothere.so not found (no plugins_dir set)"},
      {"not a shared library", connection("junk", "garbage"), {empty.path()},
       "connection \"junk\": " + garbage + ": cannot load: ..."},
      {"missing entry point", connection("odd", "no_entry"), {tests},
       "connection \"odd\": " + tests + "/no_entry.so: no entry point passerelle_connector_plugin ..."},
      {"wrong ABI version", connection("future", "wrong_abi"), {tests},
       "connection \"future\": " + tests + "/wrong_abi.so: ABI version 999, this broker supports " + std::to_string(kPluginAbiVersion)},
      {"strategy not served", connection("other", "other_strategy"), {tests},
       "connection \"other\": " + tests + "/other_strategy.so: does not serve strategy \"other_strategy\""},
      {"strategy that is a path", connection("sneaky", "../facebook"), {tests},
       "connection \"sneaky\": strategy \"../facebook\" is not a valid plugin name"},
      {"invalid options", connection("facebook", "facebook"), {builtin},
       "connection \"facebook\": options.client_id: required"},
      {"unknown option", connection("facebook", "facebook", {{"client_id", "1"}, {"clientsecret", "x"}}), {builtin},
       "connection \"facebook\": options.clientsecret: unknown option"},
      {"oauth2 without endpoints", connection("acme", "oauth2", {{"client_id", "1"}, {"client_secret", "s"}}),
       {builtin}, "connection \"acme\": options.authorization_endpoint: required"},
      {"non-URL endpoint",
       connection("facebook", "facebook",
                  {{"client_id", "1"}, {"client_secret", "s"}, {"token_endpoint", "file:///etc/passwd"}}),
       {builtin}, "connection \"facebook\": options.token_endpoint: must be an http(s) URL"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto opened = open_one(row.connection, row.dirs, clock);
      REQUIRE_FALSE(opened.has_value());
      const std::string& message = opened.error().message;
      CHECK(message.find('\n') == std::string::npos);
      if (row.expected.size() > 3 && row.expected.substr(row.expected.size() - 3) == "...") {
        std::string start = row.expected.substr(0, row.expected.size() - 3);
        CHECK_MESSAGE(message.rfind(start, 0) == 0, message);
      } else {
        CHECK(message == row.expected);
      }
    }
  }
}

TEST_CASE("connection registry: opens the built-in facebook module and skips database connections") {
  ManualClock clock(testing::kStartTime);
  PluginSearchPath path;
  path.dirs = {"", PASSERELLE_BUILTIN_PLUGIN_DIR};
  auto opened = ConnectionRegistry::open({connection("Username-Password-Authentication", "database"),
                                          connection("facebook", "facebook", kFacebookOptions)},
                                         path, std::make_unique<HostBundle>(clock));
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  CHECK((*opened)->size() == 1);
  const OpenConnection* fb = (*opened)->find("facebook");
  REQUIRE(fb != nullptr);
  CHECK(fb->module != nullptr);
  CHECK(fb->connector->refresher() == nullptr);
  CHECK((*opened)->enabled_for("web").size() == 1);
  CHECK((*opened)->enabled_for("spa").empty());
}

TEST_CASE("connection registry: opens the built-in github and oauth2 modules") {
  ManualClock clock(testing::kStartTime);
  PluginSearchPath path;
  path.dirs = {PASSERELLE_BUILTIN_PLUGIN_DIR};
  const nlohmann::json oauth2_options = {{"client_id", "c"},
                                         {"client_secret", "oauth2-secret-fixture"},
                                         {"authorization_endpoint", "https://idp.example.test/authorize"},
                                         {"token_endpoint", "https://idp.example.test/token"},
                                         {"userinfo_endpoint", "https://idp.example.test/userinfo"}};
  auto opened = ConnectionRegistry::open(
      {connection("github", "github", {{"client_id", "c"}, {"client_secret", "gh-client-secret-fixture"}}),
       connection("acme", "oauth2", oauth2_options)},
      path, std::make_unique<HostBundle>(clock));
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  CHECK((*opened)->size() == 2);
  const OpenConnection* github = (*opened)->find("github");
  REQUIRE(github != nullptr);
  CHECK(github->connector->refresher() == nullptr);
  const OpenConnection* acme = (*opened)->find("acme");
  REQUIRE(acme != nullptr);
  CHECK(acme->connector->refresher() != nullptr);
  auto start = acme->connector->begin_login({"https://broker.example.test/login/callback", "s", false, {}, ""});
  REQUIRE(start.has_value());
  CHECK(start->redirect_url.rfind("https://idp.example.test/authorize?", 0) == 0);
}

TEST_CASE("connection registry: the plugins_dir comes before the built-in modules") {
  Config config;
  config.plugins_dir = "/opt/passerelle/plugins";
  PluginSearchPath path = default_plugin_search_path(config);
  REQUIRE(path.dirs.size() == 2);
  CHECK(path.dirs[0] == "/opt/passerelle/plugins");
  CHECK(path.dirs[1] == PASSERELLE_BUILTIN_PLUGIN_DIR);
}

TEST_CASE("broker start-up fails with the connection's error") {
  Config config = testing::test_config();
  config.connections.push_back(connection("facebook", "facebook", {{"client_id", "1234"}}));
  testing::TempDir dir;
  config.data_dir = dir.path();
  ManualClock clock(testing::kStartTime);
  auto broker = Broker::open(std::move(config), clock, PasswordHashCost{1, 1024, 1});
  REQUIRE_FALSE(broker.has_value());
  CHECK(broker.error().message == "connection \"facebook\": options.client_secret: required");
}

}  // namespace
}  // namespace passerelle
