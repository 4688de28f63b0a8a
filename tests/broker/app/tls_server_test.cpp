// HTTPS served directly (config "tls"): the broker answers over TLS 1.2+
// with the configured certificate, refuses older protocol versions, and a bad
// certificate or key is a clear start-up error naming the config key.

#include <doctest/doctest.h>

#include "app/tls_context.h"
#include "broker/support/running_broker.h"

namespace passerelle {
namespace {

std::string tls_fixture(const std::string& name) { return std::string(PASSERELLE_SOURCE_ROOT) + "/fixtures/tls/" + name; }

Config tls_config() {
  Config config = testing::test_config();
  config.issuer = "https://127.0.0.1:9";
  config.tls_certificate_file = tls_fixture("test-server.pem");
  config.tls_private_key_file = tls_fixture("test-server.key");
  return config;
}

// A client that trusts only the test CA, limited to `max_version`. Its own
// security level is lowered so that it does offer the old versions: a refusal
// then comes from the server.
std::unique_ptr<httplib::SSLClient> tls_client(int port, int max_version = 0) {
  auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  client->set_ca_cert_path(tls_fixture("test-ca.pem").c_str());
  client->enable_server_certificate_verification(true);
  client->set_connection_timeout(5);
  SSL_CTX* ctx = client->ssl_context();
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  if (max_version) SSL_CTX_set_max_proto_version(ctx, max_version);
  return client;
}

TEST_CASE("tls: the broker serves HTTPS with the configured certificate") {
  testing::RunningBroker rb(tls_config());
  auto client = tls_client(rb.port);
  auto health = client->Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto discovery = client->Get("/.well-known/openid-configuration");
  REQUIRE(discovery);
  CHECK(nlohmann::json::parse(discovery->body)["issuer"] == "https://127.0.0.1:9");
  // Plain HTTP on the TLS port gets no answer.
  auto plain = rb.client.Get("/healthz");
  CHECK_FALSE((plain && plain->status == 200));
}

TEST_CASE("tls: TLS 1.2 is the oldest version accepted") {
  testing::RunningBroker rb(tls_config());
  auto tls12 = tls_client(rb.port, TLS1_2_VERSION)->Get("/healthz");
  REQUIRE(tls12);
  CHECK(tls12->status == 200);
  for (int old_version : {TLS1_1_VERSION, TLS1_VERSION}) {
    CAPTURE(old_version);
    auto refused = tls_client(rb.port, old_version)->Get("/healthz");
    CHECK_FALSE(refused);
  }
}

TEST_CASE("tls: unusable files are reported with the config key") {
  struct Row {
    const char* name;
    std::string certificate;
    std::string key;
    const char* message;
  };
  const Row rows[] = {
      {"missing certificate", tls_fixture("absent.pem"), tls_fixture("test-server.key"), "tls.certificate_file: "},
      {"certificate not PEM", tls_fixture("README.md"), tls_fixture("test-server.key"), "tls.certificate_file: "},
      {"missing key", tls_fixture("test-server.pem"), tls_fixture("absent.key"), "tls.private_key_file: "},
      {"key of another certificate", tls_fixture("test-server.pem"),
       std::string(PASSERELLE_SOURCE_ROOT) + "/fixtures/saml/test-sp.key.pem",
       "tls.private_key_file: "},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto checked = check_tls_files(row.certificate, row.key);
    REQUIRE_FALSE(checked.has_value());
    CAPTURE(checked.error().message);
    CHECK(checked.error().message.rfind(row.message, 0) == 0);
    CHECK(checked.error().message.find('\n') == std::string::npos);

    // The server built on the same files refuses to bind, with the same reason.
    Config config = tls_config();
    config.tls_certificate_file = row.certificate;
    config.tls_private_key_file = row.key;
    testing::BrokerFixture fixture(config);
    HttpServer server(*fixture.broker);
    auto bound = server.bind("127.0.0.1", 0);
    REQUIRE_FALSE(bound.has_value());
    CHECK(bound.error().message == checked.error().message);
  }
  CHECK(check_tls_files(tls_fixture("test-server.pem"), tls_fixture("test-server.key")).has_value());
}

}  // namespace
}  // namespace passerelle
