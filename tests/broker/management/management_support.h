// A RunningBroker with a Management API token in hand, and JSON helpers.
#pragma once

#include <string>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "broker/support/running_broker.h"

namespace passerelle::testing {

struct JsonReply {
  int status = 0;
  nlohmann::json body;
};

struct ManagedBroker : RunningBroker {
  explicit ManagedBroker(Config config = test_config()) : RunningBroker(std::move(config)) {}

  std::string token = management_token("admin-api", "admin-api-secret-fixture");

  std::string management_token(const std::string& client_id, const std::string& secret) {
    auto r = client.Post("/oauth/token", {httplib::make_basic_authentication_header(client_id, secret)},
                         httplib::Params{{"grant_type", "client_credentials"},
                                         {"audience", broker->config().issuer + "/api/v2/"}});
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return nlohmann::json::parse(r->body)["access_token"];
  }

  // `method` on `path` with `body` (null: none) and `bearer` (default: the admin token).
  JsonReply call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
                 const std::string& bearer = "\x01") {
    httplib::Headers headers;
    std::string use = bearer == "\x01" ? token : bearer;
    if (!use.empty()) headers.emplace("Authorization", "Bearer " + use);
    std::string text = body.is_null() ? "" : body.dump();
    httplib::Result r = method == "GET"      ? client.Get(path.c_str(), headers)
                        : method == "POST"   ? client.Post(path.c_str(), headers, text, "application/json")
                        : method == "PATCH"  ? client.Patch(path.c_str(), headers, text, "application/json")
                                             : client.Delete(path.c_str(), headers);
    REQUIRE(r);
    JsonReply reply{r->status, nullptr};
    if (!r->body.empty()) reply.body = nlohmann::json::parse(r->body);
    return reply;
  }

  std::string alice_id() {
    auto alice = broker->users().find_by_email("alice@example.test");
    REQUIRE(alice.has_value());
    REQUIRE(alice->has_value());
    return (*alice)->id;
  }
};

}  // namespace passerelle::testing
