// A test SAML IdP in process: builds <samlp:Response> documents from a
// spec and signs elements the way IdPs do (enveloped signature, exclusive
// c14n, RSA-SHA256, SHA-256 digest) with the TEST-ONLY key in
// fixtures/saml. The crafted responses of the refusal tests start from
// these and are changed as an attacker would.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace passerelle::testing {

inline constexpr const char* kSamlPasswordContext =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
inline constexpr const char* kSamlMfaContext = "https://refeds.org/profile/mfa";
inline constexpr const char* kSamlEmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

struct SamlResponseSpec {
  std::string response_id = "_response-1";
  std::string assertion_id = "_assertion-1";
  std::string in_response_to;  // the AuthnRequest's ID
  std::string destination;     // the ACS; omitted when ""
  std::string recipient;       // SubjectConfirmationData's Recipient
  std::string audience;
  std::string issuer = "https://idp.example.test/saml";
  // The NameID element's content, as XML (so a test can put a comment in).
  std::string name_id_xml = "ada@example.test";
  std::string name_id_format = kSamlEmailFormat;
  int64_t now = 0;  // IssueInstant and AuthnInstant
  int64_t not_before = 0;
  int64_t not_on_or_after = 0;
  int64_t confirmation_not_on_or_after = 0;
  std::string authn_context = kSamlPasswordContext;
  std::string session_index = "_session-1";
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string status = "urn:oasis:names:tc:SAML:2.0:status:Success";
  std::string sub_status;  // a second-level StatusCode when not ""
};

// The Response as XML, unsigned.
std::string saml_response_xml(const SamlResponseSpec& spec);
// Only the <saml:Assertion> of the spec (to move around in crafted documents).
std::string saml_assertion_xml(const SamlResponseSpec& spec);

// `xml` with an enveloped signature added to the element whose ID is `id`,
// made with the PEM private key in file `key_file`; `signature_method`
// lets a test use an algorithm the SP must refuse.
std::string sign_saml_element(const std::string& xml, const std::string& id, const std::string& key_file,
                              const std::string& signature_method =
                                  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");

// A response an SP must refuse, and the words its refusal must contain.
struct CraftedResponse {
  std::string name;
  std::string xml;
  std::string reason;
};

// The fixture set of refusals: from `valid` (a spec the SP accepts, with
// `now` its current time and a clock skew of 60 s), one crafted response
// per rule of the profile (unsigned, changed, wrapped, DTD, comment, time,
// audience, recipient, destination, issuer, InResponseTo...).
std::vector<CraftedResponse> crafted_saml_responses(const SamlResponseSpec& valid);

// The XML of the AuthnRequest an HTTP-Redirect URL carries, and its ID.
std::string authn_request_of(const std::string& url);
std::string authn_request_id_of(const std::string& url);

// The response of `spec` with its assertion signed by the test IdP.
std::string signed_saml_response(const SamlResponseSpec& spec);

// The fixture files, from the source tree.
std::string saml_fixture_path(const std::string& name);
std::string read_text_file(const std::string& path);

}  // namespace passerelle::testing
