// Reading a SAML 2.0 <samlp:Response> from the HTTP-POST binding, as the
// Web Browser SSO profile (saml-profiles §4.1.4) asks an SP to check it:
// the answer to our own request (InResponseTo; unsolicited responses are
// refused), exactly one assertion, signatures where required and valid
// where present, the issuer, a bearer SubjectConfirmation for our ACS, the
// time conditions (with a small skew) and our audience. Pure function.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "passerelle/result.h"
#include "saml/xml_signature.h"

namespace passerelle::saml {

struct ResponseExpectations {
  std::string request_id;    // the ID of the AuthnRequest this login sent
  std::string acs_url;       // our AssertionConsumerService (the callback URL)
  std::string sp_entity_id;  // our entityID: the audience we must be in
  std::string idp_entity_id;  // "" to accept any issuer
  std::vector<PublicKey> idp_keys;
  bool want_response_signed = false;
  bool want_assertions_signed = true;
  int64_t now = 0;
  int64_t clock_skew = 60;
};

struct Assertion {
  std::string id;
  std::string issuer;
  std::string name_id;
  std::string name_id_format;
  std::string session_index;
  int64_t authn_instant = 0;
  std::string authn_context_class_ref;
  // The latest time the assertion may be used (conditions and bearer
  // confirmation): a replay cache keeps its ID until then.
  int64_t not_on_or_after = 0;
  std::map<std::string, std::vector<std::string>> attributes;
};

// The assertion of `xml` (the decoded SAMLResponse). Errors:
// kPermissionDenied when the IdP answered with a status other than
// Success (the user cancelled or was refused), naming the status code;
// kInvalidArgument for everything that breaks the checks above.
Result<Assertion> read_response(const std::string& xml, const ResponseExpectations& expect);

// An xs:dateTime in UTC ("2026-11-23T17:00:00Z", fractions and offsets
// allowed) as seconds since the epoch, or nullopt.
std::optional<int64_t> parse_date_time(const std::string& text);
// Seconds since the epoch as "YYYY-MM-DDThh:mm:ssZ".
std::string format_date_time(int64_t seconds);

}  // namespace passerelle::saml
