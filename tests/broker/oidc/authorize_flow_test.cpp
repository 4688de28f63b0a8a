// The authorization endpoint and login prompt over real HTTP on 127.0.0.1.
#include <doctest/doctest.h>

#include "broker/support/running_broker.h"

namespace passerelle {

using testing::log_in;
using testing::query_value;

TEST_CASE("authorize: a login returns a code with state and iss, and a new session cookie") {
  testing::RunningBroker rb;
  auto first = rb.client.Get(testing::authorize_path().c_str());
  REQUIRE(first);
  std::string anonymous = testing::session_cookie_set(first);
  std::string set_cookie = first->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Lax") != std::string::npos);

  auto login = log_in(rb, "alice-password", "", anonymous);
  CHECK(login.location.rfind("https://app.test/cb?code=", 0) == 0);
  CHECK(query_value(login.location, "state") == "st");
  CHECK(query_value(login.location, "iss") == rb.broker->config().issuer);
  CHECK_FALSE(login.cookie.empty());
  CHECK(login.cookie != anonymous);  // S3
}

TEST_CASE("authorize: a live session gets a code silently, prompt=login asks again") {
  testing::RunningBroker rb;
  auto login = log_in(rb);
  auto silent = rb.client.Get(testing::authorize_path("&prompt=none").c_str(), rb.with_cookie(login.cookie));
  REQUIRE(silent);
  CHECK(silent->status == 302);
  CHECK(query_value(silent->get_header_value("Location"), "code").size() == 51);

  auto forced = rb.client.Get(testing::authorize_path("&prompt=login").c_str(), rb.with_cookie(login.cookie));
  REQUIRE(forced);
  CHECK(forced->get_header_value("Location").find("/login?tx=") != std::string::npos);
}

TEST_CASE("authorize: prompt=none without a session answers login_required") {
  testing::RunningBroker rb;
  auto r = rb.client.Get(testing::authorize_path("&prompt=none").c_str());
  REQUIRE(r);
  std::string location = r->get_header_value("Location");
  CHECK(location.rfind("https://app.test/cb?", 0) == 0);
  CHECK(query_value(location, "error") == "login_required");
  CHECK(query_value(location, "iss") == rb.broker->config().issuer);
}

TEST_CASE("authorize: an unregistered redirect_uri gets an error page, never a redirect") {
  testing::RunningBroker rb;
  auto r = rb.client.Get("/authorize?client_id=web&redirect_uri=https%3A%2F%2Fevil.test%2Fcb&response_type=code");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK_FALSE(r->has_header("Location"));
  CHECK(r->body.find("data-error=\"invalid_request\"") != std::string::npos);
  auto unknown = rb.client.Get("/authorize?client_id=nobody&redirect_uri=https%3A%2F%2Fapp.test%2Fcb");
  REQUIRE(unknown);
  CHECK(unknown->status == 400);
  CHECK_FALSE(unknown->has_header("Location"));
}

TEST_CASE("login: a wrong password shows the form again with one generic message") {
  testing::RunningBroker rb;
  auto a = rb.client.Get(testing::authorize_path().c_str());
  std::string cookie = testing::session_cookie_set(a);
  std::string login_url = a->get_header_value("Location");
  auto page = rb.client.Get(login_url.substr(login_url.find("/login")).c_str(), rb.with_cookie(cookie));
  httplib::Params form{{"tx", testing::hidden_field(page->body, "tx")},
                       {"csrf_token", testing::hidden_field(page->body, "csrf_token")},
                       {"username", "alice@example.test"}, {"password", "wrong"}};
  auto wrong = rb.client.Post("/login", rb.with_cookie(cookie), form);
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(wrong->body.find("id=\"login-form\"") != std::string::npos);
  CHECK(wrong->body.find("role=\"alert\"") != std::string::npos);

  form.erase("username");
  form.emplace("username", "nobody@example.test");
  auto unknown = rb.client.Post("/login", rb.with_cookie(cookie), form);
  REQUIRE(unknown);
  CHECK(unknown->status == 401);
  auto message = [](const std::string& body) { return body.substr(body.find("role=\"alert\""), 60); };
  CHECK(message(unknown->body) == message(wrong->body));

  SUBCASE("a bad CSRF token is refused") {
    form.erase("csrf_token");
    form.emplace("csrf_token", "forged");
    auto forged = rb.client.Post("/login", rb.with_cookie(cookie), form);
    REQUIRE(forged);
    CHECK(forged->status == 403);
  }
  SUBCASE("the transaction cannot be completed from another browser") {
    auto other = rb.client.Post("/login", form);
    REQUIRE(other);
    CHECK(other->status == 400);
  }
}

TEST_CASE("authorize: form_post answers with a self-submitting form under a CSP nonce") {
  testing::RunningBroker rb;
  auto login = log_in(rb);
  auto r = rb.client.Get(testing::authorize_path("&response_mode=form_post").c_str(), rb.with_cookie(login.cookie));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("action=\"https://app.test/cb\"") != std::string::npos);
  CHECK(r->body.find("name=\"code\"") != std::string::npos);
  CHECK(r->body.find("name=\"iss\"") != std::string::npos);
  CHECK(r->get_header_value("Content-Security-Policy").find("'nonce-") != std::string::npos);
}

TEST_CASE("every page forbids framing") {
  testing::RunningBroker rb;
  auto r = rb.client.Get("/");
  REQUIRE(r);
  CHECK(r->get_header_value("X-Frame-Options") == "DENY");
  CHECK(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
}

}  // namespace passerelle
