// The example connector of fixtures/example_connector, built outside the tree
// against the installed SDK (tests/sdk/build_example_connector.sh) and opened
// by the broker's own loader and registry. It needs that build, so it runs
// only when PASSERELLE_EXAMPLE_PLUGIN_DIR names the folder holding
// example.so, as the CTest test sdk.example_plugin_loads does.
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <doctest/doctest.h>
#include <httplib.h>

#include "broker/support/broker_fixture.h"
#include "connectors/connection_registry.h"
#include "connectors/plugin_loader.h"

namespace passerelle {
namespace {

constexpr const char* kCallback = "https://id.example.test/login/callback";

// The token endpoint of the example IdP (fixtures/example_connector/
// example-idp.mjs), reduced to one user and one code.
class FakeTokenEndpoint {
 public:
  FakeTokenEndpoint() {
    server_.Post("/token", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        received_ = req.params;
      }
      if (req.get_param_value("code") != "code-1") {
        res.status = 400;
        res.set_content(R"({"error": "invalid_grant"})", "application/json");
        return;
      }
      res.set_content(R"({"sub": "ex-1001", "email": "ada@example.test", "email_verified": true,
                          "name": "Ada Lovelace"})",
                      "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeTokenEndpoint() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/token"; }
  httplib::Params received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  mutable std::mutex mutex_;
  httplib::Params received_;  // the last request's form
};

ConnectionConfig example_connection(nlohmann::json options) {
  ConnectionConfig c;
  c.name = "partner";
  c.strategy = "example";
  c.options = std::move(options);
  c.enabled_clients = {"web"};
  return c;
}

// Secrets here are test fixtures.
nlohmann::json example_options(const std::string& token_endpoint) {
  return {{"client_id", "example-client"},
          {"client_secret", "example-secret-fixture"},
          {"authorization_endpoint", "http://127.0.0.1:9/authorize?tenant=t1"},
          {"token_endpoint", token_endpoint}};
}

TEST_CASE("example plugin: the broker loads example.so built outside the tree") {
  const char* dir = std::getenv("PASSERELLE_EXAMPLE_PLUGIN_DIR");
  if (dir == nullptr || *dir == '\0') {
    MESSAGE("skipped: PASSERELLE_EXAMPLE_PLUGIN_DIR is not set (run `ctest -R sdk`)");
    return;
  }
  ManualClock clock(testing::kStartTime);
  PluginSearchPath path;
  path.dirs = {dir};
  auto open = [&](nlohmann::json options) {
    return ConnectionRegistry::open({example_connection(std::move(options))}, path,
                                    std::make_unique<HostBundle>(clock));
  };

  SUBCASE("a login goes to the authorization endpoint and comes back with the user") {
    FakeTokenEndpoint idp;
    auto opened = open(example_options(idp.url()));
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    const OpenConnection* partner = (*opened)->find("partner");
    REQUIRE(partner != nullptr);
    CHECK(partner->module != nullptr);  // from the file, not linked in

    LoginRequest request;
    request.callback_url = kCallback;
    request.state = "state-123";
    auto start = partner->connector->begin_login(request);
    REQUIRE_MESSAGE(start.has_value(), start.error().message);
    CHECK(start->redirect_url ==
          "http://127.0.0.1:9/authorize?tenant=t1&client_id=example-client"
          "&redirect_uri=https%3A%2F%2Fid.example.test%2Flogin%2Fcallback&state=state-123");

    auto identity = partner->connector->finish_login(
        CallbackRequest{"GET", kCallback, {{"code", "code-1"}, {"state", "state-123"}}}, start->state_data);
    REQUIRE_MESSAGE(identity.has_value(), identity.error().message);
    CHECK(identity->provider == "example");
    CHECK(identity->user_id == "ex-1001");
    CHECK(identity->email == "ada@example.test");
    CHECK(identity->email_verified);
    CHECK(identity->name == "Ada Lovelace");
    const httplib::Params sent = idp.received();
    auto value = [&](const char* key) {
      auto it = sent.find(key);
      return it == sent.end() ? std::string("<none>") : it->second;
    };
    CHECK(value("client_id") == "example-client");
    CHECK(value("client_secret") == "example-secret-fixture");
    CHECK(value("redirect_uri") == kCallback);

    auto replayed =
        partner->connector->finish_login(CallbackRequest{"GET", kCallback, {{"code", "code-2"}}}, "");
    REQUIRE_FALSE(replayed.has_value());
    CHECK(replayed.error().code == ErrorCode::kPermissionDenied);
    auto cancelled = partner->connector->finish_login(
        CallbackRequest{"GET", kCallback, {{"error", "access_denied"}, {"state", "state-123"}}}, "");
    REQUIRE_FALSE(cancelled.has_value());
    CHECK(cancelled.error().code == ErrorCode::kPermissionDenied);
  }

  SUBCASE("bad options stop start-up with one line naming the connection") {
    struct Row {
      const char* name;
      nlohmann::json options;
      std::string expected;
    };
    nlohmann::json without_secret = example_options("http://127.0.0.1:9/token");
    without_secret.erase("client_secret");
    nlohmann::json misspelt = example_options("http://127.0.0.1:9/token");
    misspelt["clientsecret"] = "x";
    const Row rows[] = {
        {"missing client_secret", without_secret, "connection \"partner\": options.client_secret: required"},
        {"unknown key", misspelt, "connection \"partner\": options.clientsecret: unknown option"},
        {"non-URL endpoint", example_options("file:///etc/passwd"),
         "connection \"partner\": options.token_endpoint: must be an http(s) URL"},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      auto opened = open(row.options);
      REQUIRE_FALSE(opened.has_value());
      CHECK(opened.error().code == ErrorCode::kInvalidArgument);
      CHECK(opened.error().message == row.expected);
    }
  }
}

}  // namespace
}  // namespace passerelle
