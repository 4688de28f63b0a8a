// The "tls" and "trusted_proxies" sections of the config.

#include <doctest/doctest.h>

#include "config/config.h"

namespace passerelle {
namespace {

Result<Config> parse(const char* text) { return parse_config(nlohmann::json::parse(text)); }

TEST_CASE("config: tls and trusted proxies") {
  auto plain = parse(R"({"issuer": "https://id.example.com"})");
  REQUIRE(plain.has_value());
  CHECK(plain->tls_certificate_file.empty());
  CHECK(plain->trusted_proxies.empty());

  auto served = parse(R"({"issuer": "https://id.example.com",
                          "tls": {"certificate_file": "/etc/passerelle/tls/chain.pem",
                                  "private_key_file": "/etc/passerelle/tls/key.pem"},
                          "trusted_proxies": ["10.0.0.0/8", "::1"]})");
  REQUIRE(served.has_value());
  CHECK(served->tls_certificate_file == "/etc/passerelle/tls/chain.pem");
  CHECK(served->tls_private_key_file == "/etc/passerelle/tls/key.pem");
  REQUIRE(served->trusted_proxies.size() == 2);
  CHECK(served->trusted_proxies[0].text() == "10.0.0.0/8");
  CHECK(served->trusted_proxies[1].text() == "::1");
}

TEST_CASE("config errors: tls and trusted proxies") {
  struct Row {
    const char* name;
    const char* doc;
    const char* message;
  };
  const Row rows[] = {
      {"tls under an http issuer",
       R"({"issuer": "http://id.example.com", "tls": {"certificate_file": "c.pem", "private_key_file": "k.pem"}})",
       "config: issuer: must be an https URL when the broker serves TLS"},
      {"tls without its key", R"({"issuer": "https://id.example.com", "tls": {"certificate_file": "c.pem"}})",
       "config: tls.private_key_file: required"},
      {"tls with an empty certificate",
       R"({"issuer": "https://id.example.com", "tls": {"certificate_file": "", "private_key_file": "k.pem"}})",
       "config: tls.certificate_file: must not be empty"},
      {"tls with an unknown key",
       R"({"issuer": "https://id.example.com",
           "tls": {"certificate_file": "c.pem", "private_key_file": "k.pem", "min_version": "1.0"}})",
       "config: tls.min_version: unknown key"},
      {"a proxy that is not an address", R"({"issuer": "https://id.example.com", "trusted_proxies": ["proxy.local"]})",
       "config: trusted_proxies[0]: must be an IP address or a CIDR range"},
      {"a range with host bits", R"({"issuer": "https://id.example.com", "trusted_proxies": ["::1", "10.0.0.1/8"]})",
       "config: trusted_proxies[1]: must be an IP address or a CIDR range"},
      {"proxies not a list", R"({"issuer": "https://id.example.com", "trusted_proxies": "10.0.0.0/8"})",
       "config: trusted_proxies: "},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto config = parse(row.doc);
    REQUIRE_FALSE(config.has_value());
    CAPTURE(config.error().message);
    CHECK(config.error().message.rfind(row.message, 0) == 0);
  }
}

}  // namespace
}  // namespace passerelle
