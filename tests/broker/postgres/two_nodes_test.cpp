// Two brokers in one process, each with its own store on one PostgreSQL
// database, as two nodes behind a load balancer: a flow may hop between them,
// and the refresh-token rules hold across them. (The end-to-end tests do the
// same with three processes.)
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "broker/postgres/postgres_broker.h"
#include "broker/support/running_broker.h"
#include "storage/postgres/test_server.h"

namespace passerelle {
namespace {

using testing::RunningBroker;

constexpr const char* kOffline = "openid%20email%20offline_access";

// The shared test config, with a rotating refresh-token policy and no reuse
// leeway for the web client: any second use of a token is reuse.
Config node_config(const std::string& url) {
  Config config = testing::postgres_config(url);
  for (ClientConfig& client : config.clients) {
    if (client.client_id != "web") continue;
    client.refresh_token.rotating = true;
    client.refresh_token.expiring = true;
    client.refresh_token.leeway = 0;
  }
  return config;
}

httplib::Result refresh(httplib::Client& client, const std::string& token) {
  return client.Post("/oauth/token", {httplib::make_basic_authentication_header("web", "web-secret-fixture")},
                     httplib::Params{{"grant_type", "refresh_token"}, {"refresh_token", token}});
}

std::string oauth_error(const httplib::Result& r) { return nlohmann::json::parse(r->body).value("error", ""); }

// Nodes A and B on one fresh database, and a login made on A.
struct TwoNodes {
  Config config;
  RunningBroker a, b;
  testing::LoginResult login;

  explicit TwoNodes(const std::string& url)
      : config(node_config(url)),
        a(config, testing::postgres_opener(config)),
        b(config, testing::postgres_opener(config)),
        login(testing::log_in(a, "alice-password", "", "", kOffline)) {}

  std::string code() const { return testing::query_value(login.location, "code"); }
};

TEST_SUITE("postgres") {
  TEST_CASE("two nodes: login on one, exchange, refresh, reuse and silent login on the other") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    TwoNodes nodes(testing::fresh_database(server));
    auto& [config, a, b, login] = nodes;
    auto exchanged = testing::redeem_code(b, nodes.code());
    REQUIRE(exchanged);
    REQUIRE(exchanged->status == 200);
    std::string first = nlohmann::json::parse(exchanged->body)["refresh_token"];

    // The code is spent for both nodes.
    auto again = testing::redeem_code(a, nodes.code());
    CHECK(oauth_error(again) == "invalid_grant");

    auto rotated = refresh(a.client, first);
    REQUIRE(rotated->status == 200);
    std::string second = nlohmann::json::parse(rotated->body)["refresh_token"];

    // The session made on A lets B answer prompt=none.
    auto silent = b.client.Get(testing::authorize_path("&prompt=none").c_str(), b.with_cookie(login.cookie));
    REQUIRE(silent);
    CHECK(silent->status == 302);
    CHECK(testing::query_value(silent->get_header_value("Location"), "code").size() == 51);

    // Reuse of the first token on B revokes the family: A refuses the successor.
    CHECK(oauth_error(refresh(b.client, first)) == "invalid_grant");
    CHECK(oauth_error(refresh(a.client, second)) == "invalid_grant");
  }

  TEST_CASE("two nodes: concurrent refreshes of one token with no leeway yield one lineage") {
    PASSERELLE_REQUIRE_POSTGRES(server);
    TwoNodes nodes(testing::fresh_database(server));
    auto& [config, a, b, login] = nodes;
    auto exchanged = testing::redeem_code(a, nodes.code());
    REQUIRE(exchanged->status == 200);
    std::string token = nlohmann::json::parse(exchanged->body)["refresh_token"];

    constexpr int kRequests = 40;
    std::atomic<int> granted{0}, refused{0}, other{0};
    std::mutex mutex;
    std::string successor;
    std::vector<std::string> unexpected;
    std::vector<std::thread> threads;
    for (int i = 0; i < kRequests; ++i) {
      threads.emplace_back([&, i] {
        httplib::Client client("127.0.0.1", i % 2 ? a.port : b.port);
        auto r = refresh(client, token);
        if (r && r->status == 200) {
          ++granted;
          std::lock_guard lock(mutex);
          successor = nlohmann::json::parse(r->body)["refresh_token"];
        } else if (r && r->status == 400 && oauth_error(r) == "invalid_grant") {
          ++refused;
        } else {
          ++other;
          std::lock_guard lock(mutex);
          unexpected.push_back(r ? std::to_string(r->status) + " " + r->body : httplib::to_string(r.error()));
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(granted == 1);
    CHECK(refused == kRequests - 1);
    CHECK(other == 0);
    for (const std::string& answer : unexpected) MESSAGE(answer);
    // Every other request was a reuse: the family, successor included, is revoked.
    REQUIRE_FALSE(successor.empty());
    CHECK(oauth_error(refresh(a.client, successor)) == "invalid_grant");
  }
}

}  // namespace
}  // namespace passerelle
