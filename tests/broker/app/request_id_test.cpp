// X-Request-Id on every response: a safe incoming id is kept, anything
// else is replaced, and error pages show the id.

#include <doctest/doctest.h>

#include "broker/support/running_broker.h"
#include "http/request_id.h"

namespace passerelle {
namespace {

TEST_CASE("request ids: which incoming ids are safe") {
  struct Row {
    const char* name;
    std::string id;
    bool safe;
  };
  const Row rows[] = {
      {"letters digits dot underscore dash", "Abc-123_x.y", true},
      {"64 characters", std::string(64, 'a'), true},
      {"65 characters", std::string(65, 'a'), false},
      {"empty", "", false},
      {"space", "a b", false},
      {"markup", "<script>", false},
      {"quote", "a\"b", false},
      {"newline", "a\nb", false},
      {"non-ascii", "caf\xc3\xa9", false},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    CHECK(is_safe_request_id(row.id) == row.safe);
  }
}

TEST_CASE("request ids: every response carries one, fresh per request") {
  testing::RunningBroker rb;
  auto first = rb.client.Get("/healthz");
  auto second = rb.client.Get("/.well-known/openid-configuration");
  REQUIRE(first);
  REQUIRE(second);
  std::string a = first->get_header_value("X-Request-Id");
  std::string b = second->get_header_value("X-Request-Id");
  CHECK(is_safe_request_id(a));
  CHECK(is_safe_request_id(b));
  CHECK(a != b);
}

TEST_CASE("request ids: a safe incoming id is echoed, an unsafe one replaced") {
  testing::RunningBroker rb;
  auto echoed = rb.client.Get("/healthz", {{"X-Request-Id", "proxy-4f2a.9_Z"}});
  REQUIRE(echoed);
  CHECK(echoed->get_header_value("X-Request-Id") == "proxy-4f2a.9_Z");
  for (const std::string& unsafe : {std::string("<b>x</b>"), std::string(65, 'a'), std::string("a;b")}) {
    CAPTURE(unsafe);
    auto replaced = rb.client.Get("/healthz", {{"X-Request-Id", unsafe}});
    REQUIRE(replaced);
    std::string id = replaced->get_header_value("X-Request-Id");
    CHECK(id != unsafe);
    CHECK(is_safe_request_id(id));
  }
}

TEST_CASE("request ids: error pages show the request id") {
  testing::RunningBroker rb;
  SUBCASE("a page the handler rejects") {
    auto r =
        rb.client.Get("/authorize?client_id=nobody&response_type=code", {{"X-Request-Id", "report-me-1"}});
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("data-error=") != std::string::npos);
    CHECK(r->body.find("<code data-request-id>report-me-1</code>") != std::string::npos);
  }
  SUBCASE("an unknown page") {
    auto r = rb.client.Get("/no-such-page");
    REQUIRE(r);
    CHECK(r->status == 404);
    std::string id = r->get_header_value("X-Request-Id");
    REQUIRE(is_safe_request_id(id));
    CHECK(r->body.find("<code data-request-id>" + id + "</code>") != std::string::npos);
  }
}

}  // namespace
}  // namespace passerelle
