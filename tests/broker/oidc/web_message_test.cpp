// Silent authentication for SPAs (S10): response_mode=web_message, framing
// rules, and cross-origin access to the endpoints an SPA calls.
#include <doctest/doctest.h>

#include "broker/support/running_broker.h"
#include "sdk/spa_sdk.h"

namespace passerelle {
namespace {

std::string silent_path(const std::string& redirect = "https%3A%2F%2Fspa.test%2Fcb", const std::string& extra = "") {
  return std::string("/authorize?client_id=spa&redirect_uri=") + redirect +
         "&response_type=code&scope=openid&state=st&nonce=no&response_mode=web_message&code_challenge=" +
         testing::kChallenge + "&code_challenge_method=S256" + extra;
}

// A browser that logged in to the web client, so the SPA can ride its session.
std::string logged_in_cookie(testing::RunningBroker& rb) { return testing::log_in(rb).cookie; }

}  // namespace

TEST_CASE("web_message: without a session the parent gets login_required, posted to its origin only") {
  testing::RunningBroker rb;
  auto r = rb.client.Get(silent_path("https%3A%2F%2Fspa.test%2Fcb", "&prompt=none").c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("\"type\":\"authorization_response\"") != std::string::npos);
  CHECK(r->body.find("\"error\":\"login_required\"") != std::string::npos);
  CHECK(r->body.find("\"state\":\"st\"") != std::string::npos);
  CHECK(r->body.find(", \"https://spa.test\");") != std::string::npos);
  CHECK(r->body.find("\"*\"") == std::string::npos);
  std::string csp = r->get_header_value("Content-Security-Policy");
  CHECK(csp.find("frame-ancestors https://spa.test") != std::string::npos);
  CHECK_FALSE(r->has_header("X-Frame-Options"));
}

TEST_CASE("web_message: a live session yields a code and the SPA joins the session") {
  testing::RunningBroker rb;
  std::string cookie = logged_in_cookie(rb);
  auto r = rb.client.Get(silent_path("https%3A%2F%2Fspa.test%2Fcb", "&prompt=none").c_str(), rb.with_cookie(cookie));
  REQUIRE(r);
  CHECK(r->body.find("\"code\":\"") != std::string::npos);
  CHECK(r->body.find("\"iss\":\"" + rb.broker->config().issuer + "\"") != std::string::npos);
  auto session = rb.broker->sessions().find(cookie);
  REQUIRE(session->has_value());
  CHECK((*session)->clients == std::vector<std::string>{"web", "spa"});
}

TEST_CASE("web_message: a redirect_uri whose origin is not a registered web origin gets a page and no message") {
  testing::RunningBroker rb;
  auto r = rb.client.Get(silent_path("https%3A%2F%2Fother.test%2Fcb", "&prompt=none").c_str());
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->body.find("data-error=\"invalid_request\"") != std::string::npos);
  CHECK(r->body.find("postMessage") == std::string::npos);
  CHECK(r->get_header_value("X-Frame-Options") == "DENY");
  // The same holds when another parameter is wrong: no message to an unregistered origin.
  auto bad = rb.client.Get(silent_path("https%3A%2F%2Fother.test%2Fcb", "&prompt=none&max_age=x").c_str());
  CHECK(bad->status == 400);
  CHECK(bad->body.find("postMessage") == std::string::npos);
}

TEST_CASE("web_message: only for prompt=none, and errors travel by message too") {
  testing::RunningBroker rb;
  auto r = rb.client.Get(silent_path().c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("\"error\":\"invalid_request\"") != std::string::npos);
  CHECK(r->body.find("postMessage") != std::string::npos);
}

TEST_CASE("web_message: the message cannot close its script element") {
  testing::RunningBroker rb;
  std::string evil_state = silent_path("https%3A%2F%2Fspa.test%2Fcb", "&prompt=none");
  evil_state.replace(evil_state.find("state=st"), 8, "state=%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  auto evil = rb.client.Get(evil_state.c_str());
  REQUIRE(evil);
  CHECK(evil->body.find("</script><script>") == std::string::npos);
  CHECK(evil->body.find("\\u003c/script>") != std::string::npos);
}

TEST_CASE("CORS: registered web origins may call the token and userinfo endpoints") {
  testing::RunningBroker rb;
  httplib::Params form{{"grant_type", "authorization_code"}, {"client_id", "spa"}, {"code", "x"}};
  auto allowed = rb.client.Post("/oauth/token", {{"Origin", "https://spa.test"}}, form);
  CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://spa.test");
  auto other = rb.client.Post("/oauth/token", {{"Origin", "https://evil.test"}}, form);
  CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));

  auto preflight = rb.client.Options("/userinfo", {{"Origin", "https://spa.test"},
                                                   {"Access-Control-Request-Method", "GET"},
                                                   {"Access-Control-Request-Headers", "authorization"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
  auto refused = rb.client.Options("/userinfo", {{"Origin", "https://evil.test"}});
  CHECK(refused->status == 403);
  auto discovery = rb.client.Get("/.well-known/openid-configuration", {{"Origin", "https://any.test"}});
  CHECK(discovery->get_header_value("Access-Control-Allow-Origin") == "*");
}

TEST_CASE("the browser SDK is served") {
  testing::RunningBroker rb;
  auto r = rb.client.Get(std::string(kSpaSdkPath).c_str());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type").find("javascript") != std::string::npos);
  CHECK(r->body == spa_sdk_source());
  CHECK_FALSE(r->body.empty());
}

}  // namespace passerelle
