// libFuzzer target: the SAML response reader and the XML signature checker
// (connectors/saml/saml_response.h, xml_signature.h), with the test IdP's
// certificate as the trusted key (fixtures/saml).
// Invariants: a response accepted under the IdP's key is refused under
// another key (what was accepted was signed by the IdP), and its assertion
// is usable (issuer, subject, a lifetime ending after now); an element whose
// signature verifies with the IdP's key does not verify with another key;
// xs:dateTime values read back from their own formatting.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "saml/saml_response.h"
#include "saml/xml_document.h"
#include "saml/xml_signature.h"

namespace passerelle::saml {
namespace {

constexpr int64_t kNow = 1'800'000'000;

PublicKey load_key(const char* fixture) {
  auto key = public_key_from_certificate(fuzz::read_source_file(fixture));
  fuzz::require(key.has_value(), "test certificate loads");
  return *key;
}

ResponseExpectations expectations(PublicKey key) {
  ResponseExpectations e;
  e.request_id = "_request-1";
  e.acs_url = "https://sp.example.test/login/callback";
  e.sp_entity_id = "https://sp.example.test";
  e.idp_entity_id = "https://idp.example.test/saml";
  e.idp_keys = {std::move(key)};
  e.now = kNow;
  return e;
}

struct Setup {
  ResponseExpectations idp;    // trusts the test IdP
  ResponseExpectations other;  // the same, trusting another key
};

const Setup& setup() {
  static const Setup s = [] {
    init_xml();
    return Setup{expectations(load_key("fixtures/saml/test-idp.cert.pem")),
                 expectations(load_key("fixtures/saml/test-sp.cert.pem"))};
  }();
  return s;
}

void check_response(const std::string& xml) {
  auto assertion = read_response(xml, setup().idp);
  if (!assertion) return;
  fuzz::require(assertion->issuer == setup().idp.idp_entity_id, "an accepted assertion is from the IdP");
  fuzz::require(!assertion->name_id.empty(), "an accepted assertion names its subject");
  fuzz::require(assertion->not_on_or_after > kNow - setup().idp.clock_skew, "an accepted assertion is current");
  fuzz::require(!read_response(xml, setup().other).has_value(), "a response is accepted under the IdP's key only");
}

void visit(xmlDoc* doc, xmlNode* node) {
  for (; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    auto signed_by_idp = verify_enveloped_signature(doc, node, setup().idp.idp_keys);
    if (signed_by_idp && *signed_by_idp) {
      auto other = verify_enveloped_signature(doc, node, setup().other.idp_keys);
      fuzz::require(!(other && *other), "a signature verifies under the IdP's key only");
    }
    visit(doc, node->children);
  }
}

void check_signatures(const std::string& xml) {
  auto doc = parse_xml(xml, "fuzz input");
  if (!doc) return;
  visit(doc->get(), xmlDocGetRootElement(doc->get()));
}

void check_date_time(const std::string& text) {
  auto seconds = parse_date_time(text);
  // format_date_time writes four-digit years only.
  constexpr int64_t kYear10000 = 253402300800;
  if (!seconds || *seconds < 0 || *seconds >= kYear10000) return;
  fuzz::require(parse_date_time(format_date_time(*seconds)) == seconds, "a dateTime reads back");
}

}  // namespace
}  // namespace passerelle::saml

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace passerelle::saml;
  std::string input(reinterpret_cast<const char*>(data), size);
  check_response(input);
  check_signatures(input);
  check_date_time(input);
  return 0;
}
