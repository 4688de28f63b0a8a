// SAML logins at the broker's HTTP level: the real saml plugin behind a
// connection, the test IdP of saml_test_idp.h answering its AuthnRequests,
// the Response posted to /login/callback as the HTTP-POST binding does.
// Proves the SP metadata route, the same-site bounce of a cross-site POST,
// a login making saml|<NameID> with its upstream facts, and that every
// crafted response of the fixture set is refused with no user and no
// session.
#include <doctest/doctest.h>

#include "broker/connectors/saml/saml_test_idp.h"
#include "broker/support/running_broker.h"
#include "common/oauth_util.h"

namespace passerelle {
namespace {

using testing::SamlResponseSpec;

constexpr const char* kSsoUrl = "https://idp.example.test/sso";
constexpr const char* kIdpIssuer = "https://idp.example.test/saml";
constexpr const char* kSpEntityId = "urn:passerelle:test-sp";
constexpr const char* kCallback = "http://127.0.0.1:9/login/callback";

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Config config_with_saml(bool trust_upstream_mfa = false, bool require_mfa = false, bool link_by_email = false) {
  Config config = testing::test_config();
  for (auto& client : config.clients) {
    if (client.client_id == "web") client.require_mfa = require_mfa;
  }
  ConnectionConfig c;
  c.name = "corp-saml";
  c.strategy = "saml";
  c.options = {{"idp_sso_url", kSsoUrl},
               {"idp_certificate", testing::read_text_file(testing::saml_fixture_path("test-idp.cert.pem"))},
               {"idp_entity_id", kIdpIssuer},
               {"sp_entity_id", kSpEntityId}};
  c.trust_upstream_mfa = trust_upstream_mfa;
  if (link_by_email) {
    c.link_by_verified_email = true;
    c.options["email_verified"] = true;  // this IdP vouches for its addresses
  }
  c.enabled_clients = {"web"};
  config.connections.push_back(c);
  return config;
}

struct SamlBed {
  SamlBed() = default;
  SamlBed(bool trust_upstream_mfa, bool require_mfa, bool link_by_email = false)
      : rb(config_with_saml(trust_upstream_mfa, require_mfa, link_by_email)) {}

  testing::RunningBroker rb{config_with_saml()};
  std::string cookie;       // the browser's broker session
  std::string relay_state;  // of the login under way
  SamlResponseSpec spec;    // what the IdP will answer to it

  // /authorize?connection=corp-saml: the broker sends the browser to the IdP.
  void start_login() {
    auto a = rb.client.Get(testing::authorize_path("&connection=corp-saml").c_str(), rb.with_cookie(cookie));
    REQUIRE(a);
    REQUIRE(a->status == 302);
    if (std::string set = testing::session_cookie_set(a); !set.empty()) cookie = set;
    std::string location = a->get_header_value("Location");
    REQUIRE(location.rfind(std::string(kSsoUrl) + "?SAMLRequest=", 0) == 0);
    relay_state = testing::query_value(location, "RelayState");
    const int64_t now = rb.broker->clock().now();
    spec.in_response_to = testing::authn_request_id_of(location);
    spec.destination = spec.recipient = kCallback;
    spec.audience = kSpEntityId;
    spec.issuer = kIdpIssuer;
    spec.now = now;
    spec.not_before = now;
    spec.not_on_or_after = spec.confirmation_not_on_or_after = now + 300;
    spec.attributes = {{"email", "ada@example.test"}, {"givenName", "Ada"}, {"sn", "Lovelace"}};
  }

  std::string signed_response() const {
    return testing::signed_saml_response(spec);
  }

  httplib::Result post_callback(const std::string& xml, const std::string& with_cookie,
                                httplib::Params extra = {}) {
    extra.emplace("SAMLResponse", connector_util::base64_encode(xml, false));
    extra.emplace("RelayState", relay_state);
    return rb.client.Post("/login/callback", rb.with_cookie(with_cookie), extra);
  }

  bool user_exists(const std::string& id) {
    auto found = rb.broker->users().find_by_id(id);
    REQUIRE(found.has_value());
    return found->has_value();
  }

  bool session_authenticated() {
    auto session = rb.broker->sessions().find(cookie);
    REQUIRE(session.has_value());
    return session->has_value() && (*session)->authenticated;
  }
};

std::string html_escaped(std::string text) {
  for (size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at)) text.replace(at, 1, "&#39;");
  return text;
}

bool is_code_for_app(const std::string& location) {
  return location.rfind("https://app.test/cb?", 0) == 0 && !testing::query_value(location, "code").empty();
}

TEST_CASE("saml login: the SP metadata is served per connection at /samlp/metadata") {
  SamlBed bed;
  auto r = bed.rb.client.Get("/samlp/metadata?connection=corp-saml");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/samlmetadata+xml");
  CHECK(has(r->body, "entityID=\"urn:passerelle:test-sp\""));
  CHECK(has(r->body, "Location=\"" + std::string(kCallback) + "\""));

  auto unknown = bed.rb.client.Get("/samlp/metadata?connection=nope");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(has(unknown->body, "data-error=\"invalid_request\""));
}

TEST_CASE("saml login: a signed response logs the user in as saml|<NameID> with the IdP's facts") {
  SamlBed bed;
  bed.start_login();
  std::string before = bed.cookie;
  auto r = bed.post_callback(bed.signed_response(), bed.cookie);
  REQUIRE(r);
  REQUIRE(r->status == 302);
  CHECK(is_code_for_app(r->get_header_value("Location")));
  bed.cookie = testing::session_cookie_set(r);
  CHECK(bed.cookie != before);

  auto user = bed.rb.broker->users().find_by_id("saml|ada@example.test");
  REQUIRE(user.has_value());
  REQUIRE(user->has_value());
  CHECK((*user)->email == "ada@example.test");
  CHECK((*user)->name == "Ada Lovelace");
  auto session = bed.rb.broker->sessions().find(bed.cookie);
  REQUIRE(session.has_value());
  REQUIRE(session->has_value());
  auto upstream = bed.rb.broker->upstream_sessions().find((*session)->upstream_session_id);
  REQUIRE(upstream.has_value());
  REQUIRE(upstream->has_value());
  CHECK((*upstream)->connection == "corp-saml");
  CHECK((*upstream)->amr == std::vector<std::string>{"pwd"});
  CHECK((*upstream)->acr == testing::kSamlPasswordContext);
  CHECK((*upstream)->sid == "_session-1");

  // The same answer again finds nothing to resume.
  auto replay = bed.post_callback(bed.signed_response(), bed.cookie);
  REQUIRE(replay);
  CHECK(replay->status == 400);
}

TEST_CASE("saml login: a cross-site POST without the session cookie is posted again by the broker's own page") {
  SamlBed bed;
  bed.start_login();
  std::string xml = bed.signed_response();
  auto bounce = bed.post_callback(xml, "");
  REQUIRE(bounce);
  CHECK(bounce->status == 200);
  CHECK(has(bounce->body, "action=\"/login/callback\""));
  CHECK(has(bounce->body, "name=\"passerelle_bounced\" value=\"1\""));
  CHECK(has(bounce->body, "name=\"RelayState\" value=\"" + bed.relay_state + "\""));
  CHECK(has(bounce->get_header_value("Content-Security-Policy"), "frame-ancestors 'none'"));
  CHECK_FALSE(bed.user_exists("saml|ada@example.test"));

  // The browser posts it again, same-site now, with its cookie: the login
  // was not spent by the bounce.
  auto r = bed.post_callback(xml, bed.cookie, {{"passerelle_bounced", "1"}});
  REQUIRE(r);
  REQUIRE(r->status == 302);
  CHECK(is_code_for_app(r->get_header_value("Location")));

  SUBCASE("a bounced POST still without the cookie is another browser") {
    SamlBed other;
    other.start_login();
    auto again = other.post_callback(other.signed_response(), "", {{"passerelle_bounced", "1"}});
    REQUIRE(again);
    CHECK(again->status == 400);
    CHECK(has(again->body, "started in another browser"));
  }
}

TEST_CASE("saml login: every crafted response is refused with a clear error, no user and no session") {
  SamlBed probe;
  probe.start_login();
  const size_t count = testing::crafted_saml_responses(probe.spec).size();
  for (size_t i = 0; i < count; ++i) {
    SamlBed bed;
    bed.start_login();
    const testing::CraftedResponse crafted = testing::crafted_saml_responses(bed.spec)[i];
    CAPTURE(crafted.name);
    auto r = bed.post_callback(crafted.xml, bed.cookie);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(has(r->body, "data-error=\"invalid_request\""));
    CHECK_MESSAGE(has(r->body, html_escaped(crafted.reason)), r->body);
    CHECK(testing::session_cookie_set(r).empty());
    CHECK_FALSE(bed.session_authenticated());
    CHECK_FALSE(bed.user_exists("saml|ada@example.test"));
    CHECK_FALSE(bed.user_exists("saml|eve@example.test"));
  }
}

TEST_CASE("saml login: an IdP that refuses the login sends access_denied to the app") {
  SamlBed bed;
  bed.start_login();
  bed.spec.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
  bed.spec.sub_status = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
  auto r = bed.post_callback(testing::saml_response_xml(bed.spec), bed.cookie);
  REQUIRE(r);
  REQUIRE(r->status == 302);
  std::string location = r->get_header_value("Location");
  CHECK(location.rfind("https://app.test/cb?", 0) == 0);
  CHECK(testing::query_value(location, "error") == "access_denied");
  CHECK_FALSE(bed.session_authenticated());
}

TEST_CASE("saml login: prompt=login asks the IdP for ForceAuthn") {
  SamlBed bed;
  bed.start_login();
  auto r = bed.post_callback(bed.signed_response(), bed.cookie);
  REQUIRE(r);
  bed.cookie = testing::session_cookie_set(r);
  auto again = bed.rb.client.Get(testing::authorize_path("&prompt=login&connection=corp-saml").c_str(),
                                 bed.rb.with_cookie(bed.cookie));
  REQUIRE(again);
  REQUIRE(again->status == 302);
  CHECK(has(testing::authn_request_of(again->get_header_value("Location")), "ForceAuthn=\"true\""));
}

TEST_CASE("saml login: MFA reported by the IdP counts for a require_mfa client only where the connection trusts it") {
  struct Row {
    bool trust;
    std::string context;
    bool asks_mfa;
  };
  for (const Row& row : {Row{true, testing::kSamlMfaContext, false}, Row{true, testing::kSamlPasswordContext, true},
                         Row{false, testing::kSamlMfaContext, true}}) {
    CAPTURE(row.trust);
    CAPTURE(row.context);
    SamlBed bed(row.trust, true);
    bed.start_login();
    bed.spec.authn_context = row.context;
    auto r = bed.post_callback(bed.signed_response(), bed.cookie);
    REQUIRE(r);
    REQUIRE(r->status == 302);
    std::string location = r->get_header_value("Location");
    if (row.asks_mfa) {
      CHECK_MESSAGE(location.find("127.0.0.1:9/mfa") != std::string::npos, location);
    } else {
      CHECK(is_code_for_app(location));
    }
  }
}

TEST_CASE("saml login: link_by_verified_email joins the existing user only when the broker verified the address too") {
  for (bool verified_here : {true, false}) {
    CAPTURE(verified_here);
    SamlBed bed(false, false, true);
    auto alice = bed.rb.broker->users().find_by_email("alice@example.test");
    REQUIRE(alice.has_value());
    REQUIRE(alice->has_value());
    UserChanges changes;
    changes.email_verified = verified_here;
    REQUIRE(bed.rb.broker->users().update((*alice)->id, changes).has_value());

    bed.start_login();
    bed.spec.name_id_xml = "alice@example.test";
    bed.spec.attributes = {{"email", "alice@example.test"}};
    auto r = bed.post_callback(bed.signed_response(), bed.cookie);
    REQUIRE(r);
    REQUIRE(r->status == 302);
    bed.cookie = testing::session_cookie_set(r);
    auto session = bed.rb.broker->sessions().find(bed.cookie);
    REQUIRE(session.has_value());
    REQUIRE(session->has_value());
    auto user = bed.rb.broker->users().find_by_id((*alice)->id);
    REQUIRE(user.has_value());
    if (verified_here) {
      CHECK((*session)->user_id == (*alice)->id);
      REQUIRE((*user)->identities.size() == 1);
      CHECK((*user)->identities[0].connection == "corp-saml");
      CHECK_FALSE(bed.user_exists("saml|alice@example.test"));
    } else {
      CHECK((*session)->user_id == "saml|alice@example.test");
      CHECK((*user)->identities.empty());
    }
  }
}

}  // namespace
}  // namespace passerelle
