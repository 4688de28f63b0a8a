// S8 over real HTTP: MFA enrolment and step-up, silent re-entry after MFA,
// prompt=none errors, full re-login for prompt=login and max_age, remembered
// browsers, the brute-force block, and consent for third-party clients.
#include <doctest/doctest.h>

#include "broker/support/running_broker.h"
#include "core/encoding.h"
#include "jose/jwt.h"
#include "mfa/remember_browser.h"
#include "mfa/totp.h"
#include "session/reprompt.h"

namespace passerelle {
namespace {

using testing::hidden_field;
using testing::query_value;
using testing::RunningBroker;

// "web" as in the shared fixture; "secure" requires MFA; "partner" is a
// third-party client. Secrets here are test fixtures.
Config mfa_config() {
  auto config = parse_config(nlohmann::json::parse(R"({
    "issuer": "http://127.0.0.1:9",
    "session": {"idle_lifetime": 600, "absolute_lifetime": 3600},
    "clients": [
      {"client_id": "web", "client_secret": "web-secret-fixture", "redirect_uris": ["https://app.test/cb"]},
      {"client_id": "secure", "client_secret": "secure-secret-fixture", "name": "Secure",
       "redirect_uris": ["https://secure.test/cb"], "require_mfa": true},
      {"client_id": "partner", "client_secret": "partner-secret-fixture", "name": "Partner",
       "redirect_uris": ["https://partner.test/cb"], "is_first_party": false}],
    "users": [{"email": "alice@example.test", "password": "alice-password"}]
  })"));
  REQUIRE_MESSAGE(config.has_value(), config.error().message);
  return *config;
}

std::string authorize_path(const std::string& client, const std::string& extra = "") {
  return "/authorize?client_id=" + client + "&redirect_uri=https%3A%2F%2F" + (client == "web" ? "app" : client) +
         ".test%2Fcb&response_type=code&scope=openid%20email&state=st&nonce=no&code_challenge=" +
         testing::kChallenge + "&code_challenge_method=S256" + extra;
}

// The path (with query) of an absolute URL on the broker.
std::string local(const std::string& location) { return location.substr(location.find('/', 8)); }

bool is_prompt(const std::string& location, const std::string& path) {
  return location.find("127.0.0.1:9" + path + "?tx=") != std::string::npos;
}

struct Browser {
  explicit Browser(RunningBroker& broker) : rb(broker) {}

  RunningBroker& rb;
  std::string cookie;      // passerelle_session
  std::string remembered;  // passerelle_mfa_remembered

  httplib::Headers headers() const {
    std::string c = std::string(kSessionCookie) + "=" + cookie;
    if (!remembered.empty()) c += std::string("; ") + kRememberBrowserCookie + "=" + remembered;
    return {{"Cookie", c}};
  }

  void take_cookies(const httplib::Result& r) {
    auto range = r->headers.equal_range("Set-Cookie");
    for (auto it = range.first; it != range.second; ++it) {
      if (auto v = find_cookie(it->second.substr(0, it->second.find(';')), kSessionCookie)) cookie = *v;
      if (auto v = find_cookie(it->second.substr(0, it->second.find(';')), kRememberBrowserCookie)) remembered = *v;
    }
  }

  httplib::Result get(const std::string& path) {
    auto r = rb.client.Get(path.c_str(), headers());
    REQUIRE(r);
    take_cookies(r);
    return r;
  }

  httplib::Result post(const std::string& path, const httplib::Params& form) {
    auto r = rb.client.Post(path.c_str(), headers(), form);
    REQUIRE(r);
    take_cookies(r);
    return r;
  }

  // Posts the form of the page at `page_path` with `fields` added.
  httplib::Result submit(const std::string& page_path, const std::string& action, httplib::Params fields) {
    auto page = get(page_path);
    REQUIRE(page->status == 200);
    fields.emplace("tx", hidden_field(page->body, "tx"));
    fields.emplace("csrf_token", hidden_field(page->body, "csrf_token"));
    return post(action, fields);
  }

  // /authorize for `client`, then the password if the login page comes.
  std::string authorize(const std::string& client, const std::string& extra = "") {
    auto a = get(authorize_path(client, extra));
    REQUIRE(a->status == 302);
    std::string location = a->get_header_value("Location");
    if (!is_prompt(location, "/login")) return location;
    auto login = submit(local(location), "/login", {{"username", "alice@example.test"}, {"password", "alice-password"}});
    REQUIRE(login->status == 302);
    return login->get_header_value("Location");
  }

  std::string session_sid() {
    auto s = rb.broker->sessions().find(cookie);
    REQUIRE(s.has_value());
    return *s ? (*s)->sid : "";
  }
};

// The TOTP key shown on the enrolment page, read from its otpauth:// URI.
std::string enrolment_key(const std::string& page) {
  std::string uri = testing::text_between(page, "data-otpauth-uri=\"", '"');
  REQUIRE(uri.rfind("otpauth://totp/", 0) == 0);
  auto key = base32_decode(testing::text_between(uri, "secret=", '&'));
  REQUIRE(key.has_value());
  return *key;
}

// Enrols through the pages from an /mfa/enroll location; returns the key
// and where the browser went after the recovery codes.
std::pair<std::string, std::string> enrol(Browser& browser, const std::string& location) {
  REQUIRE(is_prompt(location, "/mfa/enroll"));
  auto page = browser.get(local(location));
  REQUIRE(page->status == 200);
  std::string key = enrolment_key(page->body);
  CHECK(page->body.find("<svg") != std::string::npos);
  CHECK(page->body.find("name=\"otp\"") != std::string::npos);
  auto confirmed = browser.post("/mfa/enroll", {{"tx", hidden_field(page->body, "tx")},
                                                {"csrf_token", hidden_field(page->body, "csrf_token")},
                                                {"otp", totp(key, browser.rb.clock.now())}});
  REQUIRE(confirmed->status == 200);
  CHECK(confirmed->body.find("data-recovery-codes") != std::string::npos);
  auto next = browser.post("/mfa/continue", {{"tx", hidden_field(confirmed->body, "tx")},
                                             {"csrf_token", hidden_field(confirmed->body, "csrf_token")}});
  REQUIRE(next->status == 302);
  return {key, next->get_header_value("Location")};
}

nlohmann::json id_token_claims(RunningBroker& rb, const std::string& client, const std::string& location) {
  httplib::Headers basic = {httplib::make_basic_authentication_header(client, client + "-secret-fixture")};
  auto r = rb.client.Post("/oauth/token", basic,
                          httplib::Params{{"grant_type", "authorization_code"},
                                          {"code", query_value(location, "code")},
                                          {"redirect_uri", "https://" + (client == "web" ? std::string("app") : client) + ".test/cb"},
                                          {"code_verifier", testing::kVerifier}});
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  JwsAlg algs[] = {JwsAlg::kRS256};
  auto jwt = verify_jwt(nlohmann::json::parse(r->body)["id_token"].get<std::string>(), rb.broker->keys().jwks(), algs);
  REQUIRE(jwt.has_value());
  return jwt->claims;
}

bool is_code(const std::string& location, const std::string& client) {
  return location.find(".test/cb?code=") != std::string::npos &&
         location.rfind("https://" + (client == "web" ? std::string("app") : client), 0) == 0;
}

// A browser that logged in for "secure" and enrolled; returns the key.
std::string enrolled_browser(Browser& browser) {
  std::string location = browser.authorize("secure");
  auto [key, after] = enrol(browser, location);
  REQUIRE(is_code(after, "secure"));
  browser.rb.clock.advance(60);  // the next code is a new one
  return key;
}

}  // namespace

TEST_CASE("mfa: a client requiring MFA has a new user enrol, and the tokens say pwd, otp, mfa") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  std::string location = browser.authorize("secure");
  std::string sid = browser.session_sid();
  auto [key, after] = enrol(browser, location);
  REQUIRE(is_code(after, "secure"));
  CHECK(browser.session_sid() == sid);  // the second factor keeps the session

  auto claims = id_token_claims(rb, "secure", after);
  CHECK(claims["amr"] == nlohmann::json::array({"pwd", "otp", "mfa"}));
  CHECK(claims["acr"] == kAcrMultiFactor);
  auto session = rb.broker->sessions().find(browser.cookie);
  CHECK((*session)->mfa_method == "otp");
  CHECK((*session)->mfa_time == rb.clock.now());
}

TEST_CASE("mfa: after MFA the user gets back in silently, prompt=none included") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  enrolled_browser(browser);
  CHECK(is_code(browser.authorize("secure"), "secure"));
  CHECK(is_code(browser.authorize("secure", "&prompt=none"), "secure"));
  CHECK(is_code(browser.authorize("web", "&prompt=none"), "web"));
}

TEST_CASE("mfa: a password-only session is asked for the OTP only, then gets a code") {
  RunningBroker rb(mfa_config());
  std::string key;
  {
    Browser first(rb);
    key = enrolled_browser(first);
  }
  Browser browser(rb);
  CHECK(is_code(browser.authorize("web"), "web"));  // password only: enough for "web"
  std::string sid = browser.session_sid();

  auto a = browser.get(authorize_path("secure"));
  std::string location = a->get_header_value("Location");
  REQUIRE(is_prompt(location, "/mfa"));
  auto page = browser.get(local(location));
  REQUIRE(page->status == 200);
  CHECK(page->body.find("name=\"otp\"") != std::string::npos);
  CHECK(page->body.find("name=\"password\"") == std::string::npos);

  auto wrong = browser.post("/mfa", {{"tx", hidden_field(page->body, "tx")},
                                     {"csrf_token", hidden_field(page->body, "csrf_token")}, {"otp", "000000"}});
  CHECK(wrong->status == 401);
  CHECK(wrong->body.find("role=\"alert\"") != std::string::npos);
  auto right = browser.post("/mfa", {{"tx", hidden_field(page->body, "tx")},
                                     {"csrf_token", hidden_field(page->body, "csrf_token")},
                                     {"otp", totp(key, rb.clock.now())}});
  REQUIRE(right->status == 302);
  CHECK(is_code(right->get_header_value("Location"), "secure"));
  CHECK(browser.session_sid() == sid);
}

TEST_CASE("mfa: prompt=none on a password-only session answers interaction_required") {
  RunningBroker rb(mfa_config());
  { Browser first(rb); enrolled_browser(first); }
  Browser browser(rb);
  CHECK(is_code(browser.authorize("web"), "web"));
  std::string location = browser.authorize("secure", "&prompt=none");
  CHECK(query_value(location, "error") == "interaction_required");
  CHECK(query_value(location, "state") == "st");
  // Never enrolled: the same answer (enrolment is an interaction too).
  RunningBroker fresh(mfa_config());
  Browser other(fresh);
  CHECK(is_code(other.authorize("web"), "web"));
  CHECK(query_value(other.authorize("secure", "&prompt=none"), "error") == "interaction_required");
}

TEST_CASE("mfa: acr_values asking for multi-factor steps a password-only session up") {
  RunningBroker rb(mfa_config());
  std::string key;
  { Browser first(rb); key = enrolled_browser(first); }
  Browser browser(rb);
  CHECK(is_code(browser.authorize("web"), "web"));
  std::string acr = "&acr_values=http%3A%2F%2Fschemas.openid.net%2Fpape%2Fpolicies%2F2007%2F06%2Fmulti-factor";
  std::string location = browser.get(authorize_path("web", acr))->get_header_value("Location");
  REQUIRE(is_prompt(location, "/mfa"));
  auto done = browser.submit(local(location), "/mfa", {{"otp", totp(key, rb.clock.now())}});
  REQUIRE(done->status == 302);
  auto claims = id_token_claims(rb, "web", done->get_header_value("Location"));
  CHECK(claims["acr"] == kAcrMultiFactor);
}

TEST_CASE("mfa: max_age=0 and prompt=login ask for a full login with a new session") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  std::string key = enrolled_browser(browser);
  std::string sid = browser.session_sid();
  std::string cookie = browser.cookie;

  auto a = browser.get(authorize_path("secure", "&max_age=0"));
  REQUIRE(is_prompt(a->get_header_value("Location"), "/login"));
  std::string location = browser.authorize("secure", "&max_age=0");
  CHECK(browser.cookie != cookie);  // S3
  CHECK(browser.session_sid() != sid);
  // A new session has no MFA yet: the OTP follows the password, and after it
  // max_age=0 does not send the user back to the password.
  REQUIRE(is_prompt(location, "/mfa"));
  auto done = browser.submit(local(location), "/mfa", {{"otp", totp(key, rb.clock.now())}});
  REQUIRE(done->status == 302);
  CHECK(is_code(done->get_header_value("Location"), "secure"));

  rb.clock.advance(60);
  cookie = browser.cookie;
  auto forced = browser.get(authorize_path("web", "&prompt=login"));
  REQUIRE(is_prompt(forced->get_header_value("Location"), "/login"));
  CHECK(is_code(browser.authorize("web", "&prompt=login"), "web"));
  CHECK(browser.cookie != cookie);
}

TEST_CASE("mfa: a remembered browser skips the OTP after a password login, until MFA is reset") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  std::string key = enrolled_browser(browser);
  // Log in again (a new session), this time ticking "remember this browser".
  std::string location = browser.authorize("secure", "&prompt=login");
  REQUIRE(is_prompt(location, "/mfa"));
  auto page = browser.get(local(location));
  CHECK(page->body.find("name=\"remember\"") != std::string::npos);
  auto done = browser.post("/mfa", {{"tx", hidden_field(page->body, "tx")},
                                    {"csrf_token", hidden_field(page->body, "csrf_token")},
                                    {"otp", totp(key, rb.clock.now())}, {"remember", "yes"}});
  REQUIRE(done->status == 302);
  REQUIRE_FALSE(browser.remembered.empty());

  rb.clock.advance(86400);
  std::string again = browser.authorize("secure", "&prompt=login");
  CHECK(is_code(again, "secure"));
  auto claims = id_token_claims(rb, "secure", again);
  CHECK(claims["amr"] == nlohmann::json::array({"pwd", "mfa"}));
  CHECK(claims["acr"] == kAcrMultiFactor);

  // An MFA reset ends remembered browsers: the user enrols again.
  REQUIRE(rb.broker->mfa().reset((*rb.broker->sessions().find(browser.cookie))->user_id).has_value());
  CHECK(is_prompt(browser.authorize("secure", "&prompt=login"), "/mfa/enroll"));
}

TEST_CASE("mfa: the remembered browser lapses after 30 days") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  std::string key = enrolled_browser(browser);
  std::string location = browser.authorize("secure", "&prompt=login");
  REQUIRE(browser.submit(local(location), "/mfa", {{"otp", totp(key, rb.clock.now())}, {"remember", "yes"}})->status ==
          302);
  rb.clock.advance(kRememberBrowserLifetime);
  CHECK(is_prompt(browser.authorize("secure", "&prompt=login"), "/mfa"));
}

TEST_CASE("mfa: five wrong codes block the OTP with 429 and Retry-After, even the right code") {
  RunningBroker rb(mfa_config());
  std::string key;
  { Browser first(rb); key = enrolled_browser(first); }
  Browser browser(rb);
  std::string location = browser.authorize("secure");
  REQUIRE(is_prompt(location, "/mfa"));
  auto page = browser.get(local(location));
  httplib::Params form{{"tx", hidden_field(page->body, "tx")}, {"csrf_token", hidden_field(page->body, "csrf_token")}};
  auto with_code = [&](const std::string& code) {
    httplib::Params f = form;
    f.emplace("otp", code);
    return browser.post("/mfa", f);
  };
  for (int i = 1; i < MfaStore::kMaxFailedAttempts; ++i) CHECK(with_code("000000")->status == 401);
  auto blocked = with_code("000000");
  CHECK(blocked->status == 429);
  CHECK(blocked->get_header_value("Retry-After") == std::to_string(MfaStore::kBlockDuration));
  CHECK(blocked->body.find("Too many wrong codes") != std::string::npos);
  CHECK(with_code(totp(key, rb.clock.now()))->status == 429);

  // The block outlives this session's idle lifetime: log in again after it.
  rb.clock.advance(MfaStore::kBlockDuration);
  std::string again = browser.authorize("secure");
  REQUIRE(is_prompt(again, "/mfa"));
  auto done = browser.submit(local(again), "/mfa", {{"otp", totp(key, rb.clock.now())}});
  REQUIRE(done->status == 302);
  CHECK(is_code(done->get_header_value("Location"), "secure"));
}

TEST_CASE("mfa: the MFA form refuses a missing CSRF token and another browser's transaction") {
  RunningBroker rb(mfa_config());
  std::string key;
  { Browser first(rb); key = enrolled_browser(first); }
  Browser browser(rb);
  std::string location = browser.authorize("secure");
  auto page = browser.get(local(location));
  auto no_csrf = browser.post("/mfa", {{"tx", hidden_field(page->body, "tx")}, {"otp", totp(key, rb.clock.now())}});
  CHECK(no_csrf->status == 403);
  Browser stranger(rb);
  stranger.cookie = "not-this-browser";
  auto elsewhere = stranger.post("/mfa", {{"tx", hidden_field(page->body, "tx")},
                                          {"csrf_token", hidden_field(page->body, "csrf_token")},
                                          {"otp", totp(key, rb.clock.now())}});
  CHECK(elsewhere->status == 400);
}

TEST_CASE("mfa: an idle-expired session cannot be revived by the MFA step") {
  RunningBroker rb(mfa_config());
  std::string key;
  { Browser first(rb); key = enrolled_browser(first); }
  Browser browser(rb);
  std::string location = browser.authorize("secure");
  auto page = browser.get(local(location));
  rb.clock.advance(600);  // the session's idle lifetime
  auto late = browser.post("/mfa", {{"tx", hidden_field(page->body, "tx")},
                                    {"csrf_token", hidden_field(page->body, "csrf_token")},
                                    {"otp", totp(key, rb.clock.now())}});
  CHECK(late->status == 400);
  CHECK(query_value(browser.authorize("secure", "&prompt=none"), "error") == "login_required");
}

TEST_CASE("consent: a third-party client asks once, prompt=none before it says consent_required") {
  RunningBroker rb(mfa_config());
  Browser browser(rb);
  CHECK(is_code(browser.authorize("web"), "web"));
  CHECK(query_value(browser.authorize("partner", "&prompt=none"), "error") == "consent_required");

  std::string location = browser.authorize("partner");
  REQUIRE(is_prompt(location, "/consent"));
  auto page = browser.get(local(location));
  CHECK(page->body.find("name=\"consent\" value=\"accept\"") != std::string::npos);
  auto denied = browser.post("/consent", {{"tx", hidden_field(page->body, "tx")},
                                          {"csrf_token", hidden_field(page->body, "csrf_token")},
                                          {"consent", "deny"}});
  CHECK(query_value(denied->get_header_value("Location"), "error") == "access_denied");

  auto accepted = browser.submit(local(browser.authorize("partner")), "/consent", {{"consent", "accept"}});
  CHECK(is_code(accepted->get_header_value("Location"), "partner"));
  CHECK(is_code(browser.authorize("partner", "&prompt=none"), "partner"));
  // prompt=consent asks again, even though consent was given.
  CHECK(is_prompt(browser.authorize("partner", "&prompt=consent"), "/consent"));
  // First-party clients are never asked unless prompt=consent.
  CHECK(is_code(browser.authorize("web"), "web"));
}

}  // namespace passerelle

namespace passerelle {
namespace {

TEST_CASE("mfa: each code checked at /mfa is counted by outcome") {
  RunningBroker rb(mfa_config());
  std::string key;
  {
    Browser first(rb);
    key = enrolled_browser(first);
  }
  const auto& counted = rb.broker->metrics().mfa_challenges();
  CHECK(counted.value({"success"}) == 0);  // an enrolment's first code is no challenge
  Browser browser(rb);
  CHECK(is_code(browser.authorize("web"), "web"));
  auto a = browser.get(authorize_path("secure"));
  std::string location = a->get_header_value("Location");
  REQUIRE(is_prompt(location, "/mfa"));
  auto page = browser.get(local(location));
  httplib::Params form{{"tx", hidden_field(page->body, "tx")}, {"csrf_token", hidden_field(page->body, "csrf_token")}};
  auto with_otp = [&form](const std::string& otp) {
    httplib::Params p = form;
    p.emplace("otp", otp);
    return p;
  };
  CHECK(browser.post("/mfa", with_otp("000000"))->status == 401);
  REQUIRE(browser.post("/mfa", with_otp(totp(key, rb.clock.now())))->status == 302);
  CHECK(counted.value({"wrong_code"}) == 1);
  CHECK(counted.value({"success"}) == 1);
  CHECK(counted.value({"blocked"}) == 0);
}

}  // namespace
}  // namespace passerelle
