// The oidc connector: its options, discovery, and the ID token checks, with
// a fake IdP answering in process (no sockets) and keys made at run time.
#include <doctest/doctest.h>

#include <functional>
#include <map>

#include "broker/connectors/test_signing_key.h"
#include "common/oauth_util.h"
#include "connectors/host_services.h"
#include "core/clock.h"
#include "oidc/oidc_connector.h"

namespace passerelle {
namespace {

using testing::TestSigningKey;

// Secrets here are test fixtures.
constexpr const char* kIssuer = "https://idp.example.test";
constexpr const char* kClientId = "oidc-client-fixture";
constexpr const char* kClientSecret = "oidc-secret-fixture";
constexpr const char* kCallback = "https://broker.example.test/login/callback";
constexpr const char* kJwksUri = "https://idp.example.test/jwks";
constexpr int64_t kNow = 1'800'000'000;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The query parameter `name` of `url`, decoded enough for the values tests
// read (base64url and plain words need no decoding).
std::string query_param(const std::string& url, const std::string& name) {
  size_t at = url.find("?" + name + "=");
  if (at == std::string::npos) at = url.find("&" + name + "=");
  if (at == std::string::npos) return "";
  size_t start = at + name.size() + 2;
  return url.substr(start, url.find('&', start) - start);
}

LoginRequest login_request() {
  LoginRequest r;
  r.callback_url = kCallback;
  r.state = "state-fixture";
  return r;
}

// A fake IdP behind the HttpClient interface: discovery, JWKS, token and
// userinfo endpoints. The test sets the next ID token and the keys.
class FakeIdp final : public HttpClient {
 public:
  nlohmann::json discovery = {{"issuer", kIssuer},
                              {"authorization_endpoint", "https://idp.example.test/authorize"},
                              {"token_endpoint", "https://idp.example.test/token"},
                              {"userinfo_endpoint", "https://idp.example.test/userinfo"},
                              {"jwks_uri", kJwksUri},
                              {"end_session_endpoint", "https://idp.example.test/logout"}};
  int discovery_status = 200;
  nlohmann::json jwks = {{"keys", nlohmann::json::array()}};
  std::string id_token;                     // not sent when ""
  std::string refresh_token = "rt-fixture";  // not sent when ""
  nlohmann::json userinfo = {{"sub", "user-1"}, {"email", "ada@example.test"}, {"email_verified", true}};
  std::map<std::string, int> calls;  // by path
  HttpRequest last_token_request;

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::string path = request.url.substr(std::string(kIssuer).size());
    path = path.substr(0, path.find('?'));
    ++calls[path];
    if (path == "/.well-known/openid-configuration") return HttpResponse{discovery_status, {}, discovery.dump()};
    if (path == "/jwks") return HttpResponse{200, {}, jwks.dump()};
    if (path == "/token") {
      last_token_request = request;
      nlohmann::json body = {{"access_token", "at-fixture"}, {"token_type", "Bearer"}, {"expires_in", 300}};
      if (!id_token.empty()) body["id_token"] = id_token;
      if (!refresh_token.empty()) body["refresh_token"] = refresh_token;
      return HttpResponse{200, {}, body.dump()};
    }
    if (path == "/userinfo") return HttpResponse{200, {}, userinfo.dump()};
    return HttpResponse{404, {}, ""};
  }
};

// RSA key generation is slow and every SUBCASE reruns its test case from
// the top: each key is made once per run.
// `copy` tells apart keys that share a kid.
const TestSigningKey& shared_key(const std::string& kty, const std::string& kid, int copy = 0) {
  static std::map<std::string, std::unique_ptr<TestSigningKey>> keys;
  auto& key = keys[kty + "/" + kid + "/" + std::to_string(copy)];
  if (!key) key = std::make_unique<TestSigningKey>(kty, kid);
  return *key;
}

class NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view, const nlohmann::json&) override {}
};

struct Fixture {
  ManualClock clock{kNow};
  FakeIdp idp;
  NullLogger logger;
  HttpJsonCache cache{idp, clock};
  const TestSigningKey& rsa = shared_key("RSA", "rsa-1");
  const TestSigningKey& ec = shared_key("EC", "ec-1");

  Fixture() { idp.jwks["keys"] = {rsa.public_jwk(), ec.public_jwk()}; }

  HostServices host() { return HostServices{idp, clock, logger, cache}; }

  std::unique_ptr<Connector> connector(nlohmann::json changes = nlohmann::json::object(),
                                       const std::string& strategy = "oidc") {
    nlohmann::json options = {{"issuer", kIssuer}, {"client_id", kClientId}, {"client_secret", kClientSecret}};
    options.update(changes);
    auto c = oidc::create_connector({"corp", strategy, options}, host());
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return std::move(*c);
  }

  nlohmann::json claims(const std::string& nonce) const {
    return {{"iss", kIssuer},         {"sub", "user-1"},        {"aud", kClientId},
            {"exp", clock.now() + 300}, {"iat", clock.now()},     {"nonce", nonce},
            {"auth_time", clock.now() - 5}, {"amr", {"pwd", "otp"}}, {"acr", "urn:example:mfa"},
            {"sid", "idp-session-1"},  {"name", "Ada Lovelace"}};
  }

  // Begins a login, lets `make_token` sign the IdP's ID token for the nonce
  // it was sent, and finishes the login.
  template <class MakeToken>
  Result<Identity> login(Connector& c, MakeToken make_token, LoginRequest request = {}) {
    request.callback_url = kCallback;
    request.state = "state-fixture";
    auto start = c.begin_login(request);
    REQUIRE_MESSAGE(start.has_value(), start.error().message);
    idp.id_token = make_token(query_param(start->redirect_url, "nonce"));
    return c.finish_login({"GET", kCallback, {{"code", "code-fixture"}, {"state", "state-fixture"}}},
                          start->state_data);
  }
};

TEST_CASE("oidc: a login verifies the ID token and maps claims, userinfo and the IdP's session facts") {
  Fixture f;
  auto c = f.connector();
  LoginRequest request;
  request.force_reauthentication = true;
  request.max_age = 0;
  request.login_hint = "ada";
  request.callback_url = kCallback;
  request.state = "state-fixture";
  auto start = c->begin_login(request);
  REQUIRE(start.has_value());
  const std::string& url = start->redirect_url;
  CHECK(url.rfind("https://idp.example.test/authorize?", 0) == 0);
  CHECK(query_param(url, "response_type") == "code");
  CHECK(query_param(url, "state") == "state-fixture");
  CHECK(query_param(url, "code_challenge_method") == "S256");
  CHECK(query_param(url, "prompt") == "login");
  CHECK(query_param(url, "max_age") == "0");
  CHECK(query_param(url, "login_hint") == "ada");
  CHECK(query_param(url, "scope") == "openid%20profile%20email");
  std::string nonce = query_param(url, "nonce");
  CHECK(nonce.size() >= 43);
  f.idp.id_token = f.rsa.sign(f.claims(nonce));
  auto id = c->finish_login({"GET", kCallback, {{"code", "code-fixture"}, {"iss", kIssuer}}}, start->state_data);
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->provider == "oidc");
  CHECK(id->user_id == "user-1");
  CHECK(id->email == "ada@example.test");
  CHECK(id->email_verified);
  CHECK(id->name == "Ada Lovelace");
  CHECK(id->upstream.auth_time == kNow - 5);
  CHECK(id->upstream.amr == std::vector<std::string>{"pwd", "otp"});
  CHECK(id->upstream.acr == "urn:example:mfa");
  CHECK(id->upstream.sid == "idp-session-1");
  CHECK(id->upstream.token_expires_at == kNow + 300);
  CHECK_FALSE(id->raw_profile.contains("nonce"));
  auto data = nlohmann::json::parse(id->connector_data);
  CHECK(data["id_token"] == f.idp.id_token);
  CHECK(data["refresh_token"] == "rt-fixture");
  // client_secret_basic by default; the verifier goes with the code.
  bool basic = false;
  for (const HttpHeader& h : f.idp.last_token_request.headers) {
    basic |= h.name == "Authorization" && h.value.rfind("Basic ", 0) == 0;
  }
  CHECK(basic);
  CHECK(has(f.idp.last_token_request.body, "code_verifier="));
  CHECK_FALSE(has(f.idp.last_token_request.body, "client_secret"));

  SUBCASE("federated logout goes through the end_session_endpoint with the ID token as hint") {
    REQUIRE(c->logout() != nullptr);
    auto out = c->logout()->logout_url(*id, "https://app.example.test/bye");
    REQUIRE(out.has_value());
    CHECK(out->rfind("https://idp.example.test/logout?id_token_hint=", 0) == 0);
    CHECK(query_param(*out, "post_logout_redirect_uri") == "https%3A%2F%2Fapp.example.test%2Fbye");
    CHECK(query_param(*out, "client_id") == kClientId);
    auto bare = c->logout()->logout_url(*id, "");
    REQUIRE(bare.has_value());
    CHECK_FALSE(has(*bare, "post_logout_redirect_uri"));
  }
}

TEST_CASE("oidc: ID tokens that must be refused") {
  Fixture f;
  const TestSigningKey& stranger = shared_key("RSA", "rsa-1", 1);  // same kid, another key
  using Claims = nlohmann::json;
  auto with = [&](std::function<void(Claims&)> change) {
    return [&f, change](const std::string& nonce) {
      Claims c = f.claims(nonce);
      change(c);
      return f.rsa.sign(c);
    };
  };
  struct Row {
    const char* name;
    std::function<std::string(const std::string&)> token;
    ErrorCode code;
    std::string message;
  };
  auto ec_alg = [&](const char* alg) {
    return [&f, alg](const std::string& nonce) {
      return f.ec.sign({{"alg", alg}, {"kid", "ec-1"}}, f.claims(nonce), "ES256");
    };
  };
  const Row rows[] = {
      {"bad signature", [&](const std::string& n) { return stranger.sign(f.claims(n)); }, ErrorCode::kUnavailable,
       "signature is invalid"},
      {"alg none",
       [&](const std::string& n) {
         std::string signed_token = f.rsa.sign(f.claims(n));
         std::string header = connector_util::base64_encode(R"({"alg":"none","kid":"rsa-1"})", true);
         return header + signed_token.substr(signed_token.find('.'), signed_token.rfind('.') - signed_token.find('.')) +
                ".";
       },
       ErrorCode::kUnavailable, "algorithm none is not allowed"},
      {"alg HS256", ec_alg("HS256"), ErrorCode::kUnavailable, "algorithm HS256 is not allowed"},
      {"alg PS256 not in the allow-list",
       [&](const std::string& n) { return f.rsa.sign({{"alg", "PS256"}, {"kid", "rsa-1"}}, f.claims(n), "PS256"); },
       ErrorCode::kUnavailable, "algorithm PS256 is not allowed"},
      {"an EC key under an RSA alg",
       [&](const std::string& n) { return f.ec.sign({{"alg", "RS256"}, {"kid", "ec-1"}}, f.claims(n), "ES256"); },
       ErrorCode::kUnavailable, "no key in the JWKS matches"},
      {"wrong iss", with([](Claims& c) { c["iss"] = "https://evil.example.test"; }), ErrorCode::kUnavailable,
       "wrong iss"},
      {"wrong aud", with([](Claims& c) { c["aud"] = "another-client"; }), ErrorCode::kUnavailable, "(aud)"},
      {"several aud without azp", with([](Claims& c) { c["aud"] = {kClientId, "another-client"}; }),
       ErrorCode::kUnavailable, "(azp)"},
      {"azp of another party", with([](Claims& c) { c["azp"] = "another-client"; }), ErrorCode::kUnavailable,
       "(azp)"},
      {"expired beyond the skew", with([](Claims& c) { c["exp"] = kNow - 61; }), ErrorCode::kUnavailable,
       "has expired"},
      {"iat in the future beyond the skew", with([](Claims& c) { c["iat"] = kNow + 61; }), ErrorCode::kUnavailable,
       "in the future"},
      {"no exp", with([](Claims& c) { c.erase("exp"); }), ErrorCode::kUnavailable, "no exp or iat"},
      {"no sub", with([](Claims& c) { c.erase("sub"); }), ErrorCode::kUnavailable, "no sub"},
      {"wrong nonce", with([](Claims& c) { c["nonce"] = "another-login"; }), ErrorCode::kInvalidArgument,
       "nonce does not match"},
      {"missing nonce", with([](Claims& c) { c.erase("nonce"); }), ErrorCode::kInvalidArgument,
       "nonce does not match"},
      {"not a JWS", [](const std::string&) { return std::string("not.a-token"); }, ErrorCode::kUnavailable,
       "not a compact JWS"},
      {"crit header",
       [&](const std::string& n) { return f.rsa.sign({{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", {"x"}}},
                                                     f.claims(n), "RS256"); },
       ErrorCode::kUnavailable, "crit"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto c = f.connector();
      auto id = f.login(*c, row.token);
      REQUIRE_FALSE(id.has_value());
      CHECK(id.error().code == row.code);
      CHECK_MESSAGE(has(id.error().message, row.message), id.error().message);
      CHECK(id.error().message.rfind("oidc: ", 0) == 0);
      CHECK_FALSE(has(id.error().message, "code-fixture"));
      CHECK_FALSE(has(id.error().message, "at-fixture"));
    }
  }
  SUBCASE("within the skew, exp and iat are accepted") {
    auto c = f.connector();
    auto id = f.login(*c, with([](Claims& c) {
                        c["exp"] = kNow - 59;
                        c["iat"] = kNow + 59;
                      }));
    CHECK_MESSAGE(id.has_value(), id.error().message);
  }
  SUBCASE("ES256 and, when allowed, PS256 verify") {
    auto c = f.connector({{"id_token_signed_response_algs", {"PS256", "ES256"}}});
    CHECK(f.login(*c, [&](const std::string& n) { return f.ec.sign(f.claims(n)); }).has_value());
    CHECK(f.login(*c, [&](const std::string& n) {
             return f.rsa.sign({{"alg", "PS256"}, {"kid", "rsa-1"}}, f.claims(n), "PS256");
           }).has_value());
  }
  SUBCASE("max_age asked: auth_time required and recent enough") {
    auto c = f.connector();
    LoginRequest r;
    r.max_age = 30;
    auto missing = f.login(*c, with([](Claims& c) { c.erase("auth_time"); }), r);
    REQUIRE_FALSE(missing.has_value());
    CHECK(has(missing.error().message, "no auth_time"));
    auto old = f.login(*c, with([](Claims& c) { c["auth_time"] = kNow - 200; }), r);
    REQUIRE_FALSE(old.has_value());
    CHECK(has(old.error().message, "older than max_age"));
    CHECK(f.login(*c, with([](Claims&) {}), r).has_value());
  }
}

TEST_CASE("oidc: an unknown kid refetches the JWKS at most once a minute") {
  Fixture f;
  auto c = f.connector();
  REQUIRE(f.login(*c, [&](const std::string& n) { return f.rsa.sign(f.claims(n)); }).has_value());
  CHECK(f.idp.calls["/jwks"] == 1);

  // The IdP rotates: a new key first in its JWKS, the cached set lacks it.
  const TestSigningKey& rotated = shared_key("RSA", "rsa-2");
  f.idp.jwks["keys"] = {rotated.public_jwk(), f.rsa.public_jwk()};
  f.clock.advance(10);
  auto id = f.login(*c, [&](const std::string& n) { return rotated.sign(f.claims(n)); });
  CHECK_MESSAGE(id.has_value(), id.error().message);
  CHECK(f.idp.calls["/jwks"] == 2);

  SUBCASE("a second unknown kid within the interval is refused without a fetch") {
    const TestSigningKey& forged = shared_key("RSA", "rsa-made-up");
    f.clock.advance(30);
    auto refused = f.login(*c, [&](const std::string& n) { return forged.sign(f.claims(n)); });
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kUnavailable);
    CHECK(has(refused.error().message, "rate limit"));
    CHECK(f.idp.calls["/jwks"] == 2);
    // After the interval, the IdP's next rotation is found again.
    f.idp.jwks["keys"].push_back(forged.public_jwk());
    f.clock.advance(31);
    auto later = f.login(*c, [&](const std::string& n) { return forged.sign(f.claims(n)); });
    CHECK_MESSAGE(later.has_value(), later.error().message);
    CHECK(f.idp.calls["/jwks"] == 3);
  }
}

TEST_CASE("oidc: refresh verifies a new ID token for the same subject, or keeps the login's facts") {
  Fixture f;
  auto c = f.connector();
  REQUIRE(c->refresher() != nullptr);
  auto login = f.login(*c, [&](const std::string& n) { return f.rsa.sign(f.claims(n)); });
  REQUIRE(login.has_value());
  login->connection = "corp";
  std::string first_id_token = f.idp.id_token;
  f.clock.advance(600);
  auto refreshed_claims = [&](const std::string& sub) {
    nlohmann::json claims = f.claims("");
    claims.erase("nonce");  // §12.2: no nonce on refresh
    claims["sub"] = sub;
    claims["auth_time"] = kNow - 5;
    return claims;
  };

  SUBCASE("a new ID token, a rotated refresh token") {
    f.idp.id_token = f.rsa.sign(refreshed_claims("user-1"));
    f.idp.refresh_token = "rt-fixture-2";
    auto id = c->refresher()->refresh(*login);
    REQUIRE_MESSAGE(id.has_value(), id.error().message);
    CHECK(has(f.idp.last_token_request.body, "grant_type=refresh_token"));
    CHECK(has(f.idp.last_token_request.body, "refresh_token=rt-fixture"));
    CHECK(id->connection == "corp");
    CHECK(id->user_id == "user-1");
    CHECK(id->upstream.token_expires_at == kNow + 600 + 300);
    auto data = nlohmann::json::parse(id->connector_data);
    CHECK(data["id_token"] == f.idp.id_token);
    CHECK(data["refresh_token"] == "rt-fixture-2");
  }
  SUBCASE("a new ID token about another subject") {
    f.idp.id_token = f.rsa.sign(refreshed_claims("user-2"));
    auto id = c->refresher()->refresh(*login);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kUnavailable);
    CHECK(has(id.error().message, "another subject"));
  }
  SUBCASE("a new ID token with a bad signature") {
    f.idp.id_token = shared_key("RSA", "rsa-1", 1).sign(refreshed_claims("user-1"));
    auto id = c->refresher()->refresh(*login);
    REQUIRE_FALSE(id.has_value());
    CHECK(has(id.error().message, "signature is invalid"));
  }
  SUBCASE("no ID token and no new refresh token: the login's facts and tokens stay") {
    f.idp.id_token = "";
    f.idp.refresh_token = "";
    auto id = c->refresher()->refresh(*login);
    REQUIRE_MESSAGE(id.has_value(), id.error().message);
    CHECK(id->upstream.sid == "idp-session-1");
    CHECK(id->upstream.amr == std::vector<std::string>{"pwd", "otp"});
    CHECK(id->email == "ada@example.test");
    auto data = nlohmann::json::parse(id->connector_data);
    CHECK(data["id_token"] == first_id_token);
    CHECK(data["refresh_token"] == "rt-fixture");
  }
  SUBCASE("no refresh token from the login: log in again") {
    Identity without = *login;
    without.connector_data = nlohmann::json{{"id_token", first_id_token}}.dump();
    auto id = c->refresher()->refresh(without);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kPermissionDenied);
  }
}

TEST_CASE("oidc: the callback's own errors and issuer") {
  Fixture f;
  auto c = f.connector();
  auto start = c->begin_login(login_request());
  REQUIRE(start.has_value());
  struct Row {
    const char* name;
    std::map<std::string, std::string> params;
    ErrorCode code;
  };
  const Row rows[] = {
      {"access_denied", {{"error", "access_denied"}}, ErrorCode::kPermissionDenied},
      {"temporarily_unavailable", {{"error", "temporarily_unavailable"}}, ErrorCode::kUnavailable},
      {"no code", {}, ErrorCode::kInvalidArgument},
      {"another issuer (RFC 9207)", {{"code", "code-fixture"}, {"iss", "https://evil.example.test"}},
       ErrorCode::kInvalidArgument},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto id = c->finish_login({"GET", kCallback, row.params}, start->state_data);
      REQUIRE_FALSE(id.has_value());
      CHECK(id.error().code == row.code);
      CHECK(f.idp.calls["/token"] == 0);
    }
  }
  SUBCASE("no iss although discovery says the IdP always sends one (RFC 9207)") {
    f.idp.discovery["authorization_response_iss_parameter_supported"] = true;
    f.cache.invalidate(std::string(kIssuer) + "/.well-known/openid-configuration");
    auto id = c->finish_login({"GET", kCallback, {{"code", "code-fixture"}}}, start->state_data);
    REQUIRE_FALSE(id.has_value());
    CHECK(id.error().code == ErrorCode::kInvalidArgument);
    CHECK(f.idp.calls["/token"] == 0);
  }
}

TEST_CASE("oidc: discovery") {
  Fixture f;
  auto begin = [&](Connector& c) { return c.begin_login(login_request()); };
  SUBCASE("the document is fetched once and cached") {
    auto c = f.connector();
    REQUIRE(begin(*c).has_value());
    REQUIRE(begin(*c).has_value());
    CHECK(f.idp.calls["/.well-known/openid-configuration"] == 1);
  }
  struct Row {
    const char* name;
    std::function<void(FakeIdp&)> change;
    std::string message;
  };
  const Row rows[] = {
      {"HTTP 500", [](FakeIdp& i) { i.discovery_status = 500; }, "HTTP 500"},
      {"another issuer", [](FakeIdp& i) { i.discovery["issuer"] = "https://evil.example.test"; },
       "not the configured issuer"},
      {"no jwks_uri", [](FakeIdp& i) { i.discovery.erase("jwks_uri"); }, "no jwks_uri"},
      {"an endpoint not http(s)", [](FakeIdp& i) { i.discovery["token_endpoint"] = "file:///etc/passwd"; },
       "token_endpoint is not an http(s) URL"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      row.change(f.idp);
      auto c = f.connector();
      auto start = begin(*c);
      REQUIRE_FALSE(start.has_value());
      CHECK(start.error().code == ErrorCode::kUnavailable);
      CHECK_MESSAGE(has(start.error().message, row.message), start.error().message);
    }
  }
  SUBCASE("explicit endpoints skip discovery; no end_session_endpoint means no logout") {
    auto c = f.connector({{"authorization_endpoint", "https://idp.example.test/authorize"},
                          {"token_endpoint", "https://idp.example.test/token"},
                          {"jwks_uri", kJwksUri}});
    auto id = f.login(*c, [&](const std::string& n) { return f.rsa.sign(f.claims(n)); });
    CHECK_MESSAGE(id.has_value(), id.error().message);
    CHECK(f.idp.calls["/.well-known/openid-configuration"] == 0);
    CHECK(f.idp.calls["/userinfo"] == 0);
    CHECK(c->logout() == nullptr);
  }
  SUBCASE("google: its issuer and scope by default, and provider google") {
    auto c = oidc::create_connector({"g", "google", {{"client_id", kClientId}, {"client_secret", kClientSecret}}},
                                    f.host());
    REQUIRE(c.has_value());
    f.idp.discovery_status = 404;  // the fake is not Google: the URL is what counts
    auto start = (*c)->begin_login(login_request());
    REQUIRE_FALSE(start.has_value());
    CHECK(has(start.error().message, "https://accounts.google.com/.well-known/openid-configuration"));
  }
}

TEST_CASE("oidc: options errors name the option and never quote a value") {
  Fixture f;
  auto with = [](nlohmann::json changes) {
    nlohmann::json o = {{"issuer", kIssuer}, {"client_id", "c"}, {"client_secret", "s3cr3t-value"}};
    o.update(changes);
    for (auto it = changes.begin(); it != changes.end(); ++it) {
      if (it->is_null()) o.erase(it.key());
    }
    return o;
  };
  struct Row {
    const char* name;
    nlohmann::json options;
    std::string expected;
  };
  const Row rows[] = {
      {"unknown option", with({{"clientsecret", "s3cr3t-value"}}), "options.clientsecret: unknown option"},
      {"no issuer", with({{"issuer", nullptr}}), "options.issuer: required"},
      {"issuer not http(s)", with({{"issuer", "idp.example.test"}}), "options.issuer: must be an http(s) URL"},
      {"issuer with a trailing slash", with({{"issuer", "https://idp.example.test/"}}),
       "options.issuer: must not end with /"},
      {"no client_id", with({{"client_id", nullptr}}), "options.client_id: required"},
      {"no client_secret", with({{"client_secret", nullptr}}), "options.client_secret: required"},
      {"jwks_uri not http(s)", with({{"jwks_uri", "s3cr3t-value"}}), "options.jwks_uri: must be an http(s) URL"},
      {"scope without openid", with({{"scope", "profile email"}}), "options.scope: must contain openid"},
      {"unknown auth method", with({{"token_endpoint_auth_method", "private_key_jwt"}}),
       "options.token_endpoint_auth_method: must be one of client_secret_basic, client_secret_post"},
      {"alg none", with({{"id_token_signed_response_algs", {"RS256", "none"}}}),
       "options.id_token_signed_response_algs: each must be one of RS256, PS256, ES256"},
      {"algs not an array", with({{"id_token_signed_response_algs", "RS256"}}),
       "options.id_token_signed_response_algs: must be a non-empty array of strings"},
      {"empty algs", with({{"id_token_signed_response_algs", nlohmann::json::array()}}),
       "options.id_token_signed_response_algs: must be a non-empty array of strings"},
      {"skew negative", with({{"clock_skew", -1}}), "options.clock_skew: must be an integer from 0 to 600"},
      {"skew too large", with({{"clock_skew", 3600}}), "options.clock_skew: must be an integer from 0 to 600"},
      {"skew not a number", with({{"clock_skew", "60"}}), "options.clock_skew: must be an integer from 0 to 600"},
      {"nonce set in the options", with({{"authorization_params", {{"nonce", "fixed"}}}}),
       "options.authorization_params.nonce: is set by the connector"},
  };
  for (const Row& row : rows) {
    SUBCASE(row.name) {
      auto c = oidc::create_connector({"corp", "oidc", row.options}, f.host());
      REQUIRE_FALSE(c.has_value());
      CHECK(c.error().code == ErrorCode::kInvalidArgument);
      CHECK(c.error().message == row.expected);
      CHECK_FALSE(has(c.error().message, "s3cr3t"));
    }
  }
  SUBCASE("google needs only the client") {
    CHECK(oidc::create_connector({"g", "google", {{"client_id", "c"}, {"client_secret", "s"}}}, f.host())
              .has_value());
  }
}

}  // namespace
}  // namespace passerelle
