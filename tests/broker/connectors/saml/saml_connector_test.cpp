// The saml connector: its options, the AuthnRequest and SP metadata it
// makes, and the responses it accepts and refuses. Every refusal is a
// crafted response from the test IdP (saml_test_idp.h) changed the way an
// attacker or a broken IdP would change it.
#include <doctest/doctest.h>

#include "broker/connectors/saml/saml_test_idp.h"
#include "broker/support/running_broker.h"
#include "common/oauth_util.h"
#include "connectors/host_services.h"
#include "core/clock.h"
#include "saml/authn_request.h"
#include "saml/saml_connector.h"
#include "saml/xml_signature.h"

namespace passerelle {
namespace {

using testing::SamlResponseSpec;

constexpr const char* kCallback = "https://broker.example.test/login/callback";
constexpr const char* kSpEntityId = "urn:passerelle:test-sp";
constexpr const char* kIdpIssuer = "https://idp.example.test/saml";
constexpr const char* kSsoUrl = "https://idp.example.test/sso";
constexpr int64_t kNow = 1'800'000'000;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class NoNetwork final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest&) override { return fail(Error::unavailable("no network in this test")); }
};

class NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view, const nlohmann::json&) override {}
};

std::string idp_key() { return testing::saml_fixture_path("test-idp.key.pem"); }
std::string sp_key() { return testing::saml_fixture_path("test-sp.key.pem"); }

struct Fixture {
  ManualClock clock{kNow};
  NoNetwork network;
  NullLogger logger;
  HttpJsonCache cache{network, clock};

  HostServices host() { return HostServices{network, clock, logger, cache}; }

  nlohmann::json options(nlohmann::json changes = nlohmann::json::object()) {
    nlohmann::json o = {{"idp_sso_url", kSsoUrl},
                        {"idp_certificate", testing::read_text_file(testing::saml_fixture_path("test-idp.cert.pem"))},
                        {"idp_entity_id", kIdpIssuer},
                        {"sp_entity_id", kSpEntityId}};
    o.update(changes);
    return o;
  }

  Result<std::unique_ptr<Connector>> create(const nlohmann::json& options) {
    return saml::create_connector({"corp-saml", "saml", options}, host());
  }

  std::unique_ptr<Connector> connector(nlohmann::json changes = nlohmann::json::object()) {
    auto c = create(options(std::move(changes)));
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    return std::move(*c);
  }
};

// One login against a connector: the request it sent and what the IdP answers.
struct Login {
  Connector& connector;
  LoginStart start;
  SamlResponseSpec spec;

  explicit Login(Connector& c, int64_t now) : connector(c), start(begin(c)) {
    spec.in_response_to = start.state_data;
    spec.destination = kCallback;
    spec.recipient = kCallback;
    spec.audience = kSpEntityId;
    spec.issuer = kIdpIssuer;
    spec.now = now;
    spec.not_before = now - 5;
    spec.not_on_or_after = now + 300;
    spec.confirmation_not_on_or_after = now + 300;
    spec.attributes = {{"email", "ada@example.test"}, {"firstName", "Ada"}, {"lastName", "Lovelace"}};
  }

  static LoginStart begin(Connector& c) {
    LoginRequest r;
    r.callback_url = kCallback;
    r.state = "relay-state-fixture";
    auto start = c.begin_login(r);
    REQUIRE(start.has_value());
    return *start;
  }

  // The response with its assertion signed by the IdP.
  std::string signed_response() const {
    return testing::signed_saml_response(spec);
  }

  Result<Identity> post(const std::string& xml, const std::string& method = "POST") {
    CallbackRequest cb{method, kCallback,
                       {{"SAMLResponse", connector_util::base64_encode(xml, false)},
                        {"RelayState", "relay-state-fixture"}}};
    return connector.finish_login(cb, start.state_data);
  }
};

void check_refused(const Result<Identity>& r, const std::string& reason) {
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInvalidArgument);
  CHECK_MESSAGE(has(r.error().message, reason), r.error().message);
}

TEST_CASE("saml: base64 as XML and form posts carry it: padding, line breaks, no base64url characters") {
  CHECK(connector_util::base64_decode("Zm9v\nYmFy") == std::optional<std::string>("foobar"));
  CHECK(connector_util::base64_decode("Zm8=") == std::optional<std::string>("fo"));
  CHECK(connector_util::base64_decode("+/8=") == std::optional<std::string>(std::string("\xfb\xff")));
  CHECK_FALSE(connector_util::base64_decode("-_8=").has_value());
  CHECK_FALSE(connector_util::base64_decode("Zm9v!").has_value());
}

TEST_CASE("saml: options are checked and name the key") {
  Fixture f;
  struct Row {
    nlohmann::json changes;
    std::string message;
  };
  std::vector<Row> rows = {
      {{{"sp_entity_id", nullptr}}, "options.sp_entity_id: required"},
      {{{"idp_certificate", nullptr}}, "options.idp_certificate: required (or idp_metadata_xml)"},
      {{{"idp_certificate", "not a certificate"}}, "options.idp_certificate: not a PEM or base64 DER"},
      {{{"idp_sso_url", "ftp://idp"}}, "options.idp_sso_url: must be an http(s) URL"},
      {{{"want_assertions_signed", false}}, "options.want_assertions_signed: the assertion or the Response must be signed"},
      {{{"sign_authn_requests", true}}, "options.sp_private_key: required to sign AuthnRequests"},
      {{{"attribute_mapping", {{"phone", "tel"}}}}, "options.attribute_mapping.phone: must be one of"},
      {{{"clock_skew", 3600}}, "options.clock_skew"},
      {{{"idp_metadata_xml", "<x/>"}}, "options.idp_certificate: give either"},
      {{{"surprise", 1}}, "options.surprise"},
  };
  for (const Row& row : rows) {
    nlohmann::json o = f.options();
    for (const auto& [key, value] : row.changes.items()) {
      if (value.is_null()) o.erase(key);
      else o[key] = value;
    }
    auto c = f.create(o);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(has(c.error().message, row.message), c.error().message);
  }
}

TEST_CASE("saml: IdP metadata gives the entityID, the certificate and the SSO URL") {
  Fixture f;
  std::string pem = testing::read_text_file(testing::saml_fixture_path("test-idp.cert.pem"));
  std::string der = pem.substr(pem.find('\n') + 1);
  der = der.substr(0, der.find("-----END"));
  std::string metadata =
      "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://idp.example.test/saml\">"
      "<md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
      "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data>"
      "<ds:X509Certificate>" + der + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
      "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" "
      "Location=\"https://idp.example.test/from-metadata\"/></md:IDPSSODescriptor></md:EntityDescriptor>";
  nlohmann::json o = {{"idp_metadata_xml", metadata}, {"sp_entity_id", kSpEntityId}};
  auto c = f.create(o);
  REQUIRE_MESSAGE(c.has_value(), c.error().message);
  Login login(**c, kNow);
  CHECK(login.start.redirect_url.rfind("https://idp.example.test/from-metadata?SAMLRequest=", 0) == 0);
  CHECK(login.post(login.signed_response()).has_value());

  SUBCASE("metadata with a DTD is refused") {
    auto bad = f.create({{"idp_metadata_xml", "<!DOCTYPE x [<!ENTITY e \"v\">]>" + metadata},
                         {"sp_entity_id", kSpEntityId}});
    REQUIRE_FALSE(bad.has_value());
    CHECK(has(bad.error().message, "options.idp_metadata_xml"));
  }
}

TEST_CASE("saml: the AuthnRequest goes by HTTP-Redirect, deflated, with RelayState, ForceAuthn when asked") {
  Fixture f;
  auto c = f.connector({{"name_id_format", testing::kSamlEmailFormat}});
  LoginRequest r;
  r.callback_url = kCallback;
  r.state = "relay/state+fixture";
  auto start = c->begin_login(r);
  REQUIRE(start.has_value());
  CHECK(start->redirect_url.rfind(std::string(kSsoUrl) + "?SAMLRequest=", 0) == 0);
  CHECK(testing::query_value(start->redirect_url, "RelayState") == "relay/state+fixture");
  CHECK(testing::query_value(start->redirect_url, "Signature").empty());
  std::string xml = testing::authn_request_of(start->redirect_url);
  CHECK(has(xml, "ID=\"" + start->state_data + "\""));
  CHECK(start->state_data.size() == 41);  // "_" and 160 random bits in hex
  CHECK(has(xml, "AssertionConsumerServiceURL=\"" + std::string(kCallback) + "\""));
  CHECK(has(xml, "Destination=\"" + std::string(kSsoUrl) + "\""));
  CHECK(has(xml, "<saml:Issuer>urn:passerelle:test-sp</saml:Issuer>"));
  CHECK(has(xml, "Format=\"" + std::string(testing::kSamlEmailFormat) + "\""));
  CHECK_FALSE(has(xml, "ForceAuthn"));
  CHECK(c->begin_login(r)->state_data != start->state_data);

  r.force_reauthentication = true;
  CHECK(has(testing::authn_request_of(c->begin_login(r)->redirect_url), "ForceAuthn=\"true\""));
}

TEST_CASE("saml: a signed AuthnRequest's signature covers the query as sent") {
  Fixture f;
  auto c = f.connector({{"sign_authn_requests", true},
                        {"sp_private_key", testing::read_text_file(sp_key())},
                        {"sp_certificate", testing::read_text_file(testing::saml_fixture_path("test-sp.cert.pem"))}});
  std::string url = Login::begin(*c).redirect_url;
  CHECK(testing::query_value(url, "SigAlg") == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  std::string signed_part = url.substr(url.find('?') + 1, url.find("&Signature=") - url.find('?') - 1);
  auto signature = connector_util::base64_decode(testing::query_value(url, "Signature"));
  REQUIRE(signature.has_value());
  auto key = saml::public_key_from_certificate(testing::read_text_file(testing::saml_fixture_path("test-sp.cert.pem")));
  REQUIRE(key.has_value());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key->get());
  CHECK(EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1);
  EVP_MD_CTX_free(ctx);

  // The SP metadata publishes that certificate and says requests are signed.
  auto metadata = c->metadata()->metadata_document(kCallback);
  REQUIRE(metadata.has_value());
  CHECK(has(*metadata, "AuthnRequestsSigned=\"true\""));
  CHECK(has(*metadata, "<ds:X509Certificate>"));
}

TEST_CASE("saml: SP metadata names the entity, the ACS and what it wants signed") {
  Fixture f;
  auto c = f.connector();
  REQUIRE(c->metadata() != nullptr);
  CHECK(c->metadata()->metadata_content_type() == "application/samlmetadata+xml");
  auto metadata = c->metadata()->metadata_document(kCallback);
  REQUIRE(metadata.has_value());
  CHECK(has(*metadata, "entityID=\"urn:passerelle:test-sp\""));
  CHECK(has(*metadata, "WantAssertionsSigned=\"true\""));
  CHECK(has(*metadata, "AuthnRequestsSigned=\"false\""));
  CHECK(has(*metadata, "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"" +
                           std::string(kCallback) + "\""));
}

TEST_CASE("saml: a valid signed response gives the profile and the IdP's session facts") {
  Fixture f;
  auto c = f.connector({{"attribute_mapping", {{"name", "displayName"}}}});
  Login login(*c, kNow);
  login.spec.attributes.emplace_back("displayName", "Countess Ada");
  auto id = login.post(login.signed_response());
  REQUIRE_MESSAGE(id.has_value(), id.error().message);
  CHECK(id->provider == "saml");
  CHECK(id->user_id == "ada@example.test");
  CHECK(id->email == "ada@example.test");
  CHECK_FALSE(id->email_verified);
  CHECK(id->given_name == "Ada");
  CHECK(id->family_name == "Lovelace");
  CHECK(id->name == "Countess Ada");
  CHECK(id->upstream.auth_time == kNow);
  CHECK(id->upstream.acr == testing::kSamlPasswordContext);
  CHECK(id->upstream.amr == std::vector<std::string>{"pwd"});
  CHECK(id->upstream.sid == "_session-1");
  CHECK(id->raw_profile["attributes"]["firstName"] == nlohmann::json::array({"Ada"}));
  CHECK(id->raw_profile["issuer"] == kIdpIssuer);
}

TEST_CASE("saml: AuthnContextClassRef maps to amr") {
  CHECK(saml::amr_for_context(testing::kSamlMfaContext, {}) == std::vector<std::string>{"mfa"});
  CHECK(saml::amr_for_context("http://schemas.microsoft.com/claims/multipleauthn", {}) ==
        std::vector<std::string>{"mfa"});
  CHECK(saml::amr_for_context("urn:oasis:names:tc:SAML:2.0:ac:classes:Password", {}) ==
        std::vector<std::string>{"pwd"});
  CHECK(saml::amr_for_context("urn:example:strong", {}).empty());
  CHECK(saml::amr_for_context("urn:example:strong", {"urn:example:strong"}) == std::vector<std::string>{"mfa"});
}

TEST_CASE("saml: a response signed as a whole is accepted where the connection asks for that") {
  Fixture f;
  auto c = f.connector({{"want_assertions_signed", false}, {"want_response_signed", true}});
  Login login(*c, kNow);
  std::string whole = testing::sign_saml_element(testing::saml_response_xml(login.spec), "_response-1", idp_key());
  CHECK(login.post(whole).has_value());

  auto strict = f.connector();
  Login second(*strict, kNow);
  check_refused(second.post(testing::sign_saml_element(testing::saml_response_xml(second.spec), "_response-1",
                                                       idp_key())),
                "the assertion is not signed");
}

TEST_CASE("saml: crafted responses are refused, each with its reason") {
  Fixture f;
  auto c = f.connector();
  Login login(*c, kNow);
  for (const testing::CraftedResponse& crafted : testing::crafted_saml_responses(login.spec)) {
    CAPTURE(crafted.name);
    check_refused(login.post(crafted.xml), crafted.reason);
  }
  // None of them spent the login: the real answer still gets in.
  CHECK(login.post(login.signed_response()).has_value());
}

TEST_CASE("saml: a replayed assertion, a response that is not XML or not posted are refused") {
  Fixture f;
  auto c = f.connector();
  Login login(*c, kNow);
  std::string doc = login.signed_response();
  REQUIRE(login.post(doc).has_value());
  check_refused(login.post(doc), "this assertion was already used");
  check_refused(login.post("<samlp:Response"), "not well-formed XML");
  check_refused(login.post(login.signed_response(), "GET"), "no SAMLResponse by HTTP-POST");
}

TEST_CASE("saml: the clock skew is honoured to the second") {
  Fixture f;
  auto c = f.connector({{"clock_skew", 30}});
  Login login(*c, kNow);
  login.spec.not_before = kNow + 30;
  CHECK(login.post(testing::signed_saml_response(login.spec)).has_value());
  Login late(*c, kNow);
  late.spec.not_before = kNow + 31;
  late.spec.assertion_id = "_assertion-late";
  check_refused(late.post(testing::signed_saml_response(late.spec)),
                "not valid yet");
}

TEST_CASE("saml: an IdP that refuses the login gives access_denied") {
  Fixture f;
  auto c = f.connector();
  Login login(*c, kNow);
  login.spec.status = "urn:oasis:names:tc:SAML:2.0:status:Responder";
  login.spec.sub_status = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed";
  auto r = login.post(testing::saml_response_xml(login.spec));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kPermissionDenied);
  CHECK(has(r.error().message, "AuthnFailed"));
}

}  // namespace
}  // namespace passerelle
