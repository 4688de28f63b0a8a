#include "broker/connectors/saml/saml_test_idp.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <libxml/parser.h>
#include <openssl/pem.h>
#include <zlib.h>

#include "broker/support/running_broker.h"
#include "common/oauth_util.h"
#include "saml/saml_response.h"
#include "saml/xml_signature.h"

namespace passerelle::testing {
namespace {

using saml::format_date_time;

std::string sign_with(const std::string& key_file, const std::string& method, const std::string& data) {
  std::string pem = read_text_file(key_file);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) throw std::runtime_error("cannot read " + key_file);
  const EVP_MD* md = method.find("sha1") != std::string::npos ? EVP_sha1() : EVP_sha256();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t size = 0;
  EVP_DigestSignInit(ctx, nullptr, md, nullptr, key);
  EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string signature(size, '\0');
  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  signature.resize(size);
  return signature;
}

std::string sha256(const std::string& data) {
  unsigned char out[32];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(out), size);
}

// The HTTP-Redirect binding's raw DEFLATE (RFC 1951), undone.
std::string inflate_raw(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) throw std::runtime_error("inflate failed");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) rc = Z_DATA_ERROR;  // truncated
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("SAMLRequest is not valid DEFLATE data");
  return out;
}

xmlNode* find_by_id(xmlNode* node, const std::string& id) {
  for (xmlNode* n = node; n != nullptr; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xmlChar* v = xmlGetNoNsProp(n, reinterpret_cast<const xmlChar*>("ID"))) {
      bool match = id == reinterpret_cast<const char*>(v);
      xmlFree(v);
      if (match) return n;
    }
    if (xmlNode* found = find_by_id(n->children, id)) return found;
  }
  return nullptr;
}

// The element's Issuer child, after which saml-schema puts ds:Signature.
xmlNode* issuer_of(xmlNode* element) {
  for (xmlNode* n = element->children; n != nullptr; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(n->name)) == "Issuer") return n;
  }
  return nullptr;
}

}  // namespace

std::string authn_request_of(const std::string& url) {
  // Not query_value: cpp-httplib 0.11 hands Location over percent-decoded
  // already, and a '+' of base64 must not become a space.
  std::string raw = text_between(url, "SAMLRequest=", '&');
  auto deflated = connector_util::base64_decode(httplib::detail::decode_url(raw, false));
  if (!deflated) throw std::runtime_error("SAMLRequest is not base64");
  return inflate_raw(*deflated);
}

std::string authn_request_id_of(const std::string& url) {
  std::string xml = authn_request_of(url);
  std::string id = text_between(xml, " ID=\"", '"');
  if (id.empty()) throw std::runtime_error("the AuthnRequest has no ID");
  return id;
}

std::string signed_saml_response(const SamlResponseSpec& spec) {
  return sign_saml_element(saml_response_xml(spec), spec.assertion_id, saml_fixture_path("test-idp.key.pem"));
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string saml_fixture_path(const std::string& name) {
  return std::string(PASSERELLE_SOURCE_ROOT) + "/fixtures/saml/" + name;
}

std::string saml_assertion_xml(const SamlResponseSpec& s) {
  std::string xml = "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + s.assertion_id +
                    "\" Version=\"2.0\" IssueInstant=\"" + format_date_time(s.now) + "\"><saml:Issuer>" + s.issuer +
                    "</saml:Issuer><saml:Subject><saml:NameID Format=\"" + s.name_id_format + "\">" + s.name_id_xml +
                    "</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">"
                    "<saml:SubjectConfirmationData InResponseTo=\"" + s.in_response_to + "\" Recipient=\"" +
                    s.recipient + "\" NotOnOrAfter=\"" + format_date_time(s.confirmation_not_on_or_after) +
                    "\"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore=\"" +
                    format_date_time(s.not_before) + "\" NotOnOrAfter=\"" + format_date_time(s.not_on_or_after) +
                    "\"><saml:AudienceRestriction><saml:Audience>" + s.audience +
                    "</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant=\"" +
                    format_date_time(s.now) + "\" SessionIndex=\"" + s.session_index +
                    "\"><saml:AuthnContext><saml:AuthnContextClassRef>" + s.authn_context +
                    "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>";
  if (!s.attributes.empty()) {
    xml += "<saml:AttributeStatement>";
    for (const auto& [name, value] : s.attributes) {
      xml += "<saml:Attribute Name=\"" + name + "\"><saml:AttributeValue>" + value +
             "</saml:AttributeValue></saml:Attribute>";
    }
    xml += "</saml:AttributeStatement>";
  }
  return xml + "</saml:Assertion>";
}

std::string saml_response_xml(const SamlResponseSpec& s) {
  std::string xml = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
                    "xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"" + s.response_id +
                    "\" Version=\"2.0\" IssueInstant=\"" + format_date_time(s.now) + "\" InResponseTo=\"" +
                    s.in_response_to + "\"";
  if (!s.destination.empty()) xml += " Destination=\"" + s.destination + "\"";
  xml += "><saml:Issuer>" + s.issuer + "</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"" + s.status + "\"";
  xml += s.sub_status.empty() ? "/>" : "><samlp:StatusCode Value=\"" + s.sub_status + "\"/></samlp:StatusCode>";
  xml += "</samlp:Status>";
  if (s.status.find("Success") != std::string::npos) xml += saml_assertion_xml(s);
  return xml + "</samlp:Response>";
}

std::string sign_saml_element(const std::string& xml, const std::string& id, const std::string& key_file,
                              const std::string& signature_method) {
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "test.xml", nullptr, 0);
  if (doc == nullptr) throw std::runtime_error("the document to sign is not XML");
  xmlNode* element = find_by_id(xmlDocGetRootElement(doc), id);
  if (element == nullptr) throw std::runtime_error("no element with ID " + id);
  auto canonical = saml::exclusive_c14n(doc, element, nullptr, {});
  if (!canonical) throw std::runtime_error(canonical.error().message);
  std::string digest = connector_util::base64_encode(sha256(*canonical), false);
  std::string signature_xml =
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"" + signature_method + "\"/><ds:Reference URI=\"#" + id +
      "\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
      "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>" + digest +
      "</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue></ds:Signature>";
  xmlNode* parsed = nullptr;
  if (xmlParseInNodeContext(element, signature_xml.data(), static_cast<int>(signature_xml.size()), 0, &parsed) !=
          XML_ERR_OK ||
      parsed == nullptr) {
    throw std::runtime_error("cannot build the Signature element");
  }
  xmlNode* issuer = issuer_of(element);
  xmlNode* signature = issuer ? xmlAddNextSibling(issuer, parsed) : xmlAddPrevSibling(element->children, parsed);
  xmlNode* signed_info = xmlFirstElementChild(signature);
  auto info = saml::exclusive_c14n(doc, signed_info, nullptr, {});
  if (!info) throw std::runtime_error(info.error().message);
  std::string value = connector_util::base64_encode(sign_with(key_file, signature_method, *info), false);
  xmlNodeSetContent(xmlLastElementChild(signature), reinterpret_cast<const xmlChar*>(value.c_str()));
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemory(doc, &out, &size);
  std::string text(reinterpret_cast<char*>(out), size);
  xmlFree(out);
  xmlFreeDoc(doc);
  return text;
}

}  // namespace passerelle::testing

namespace passerelle::testing {
namespace {

// The <saml:Assertion> element of a document, as text.
std::string assertion_of(const std::string& xml) {
  const std::string end_tag = "</saml:Assertion>";
  size_t start = xml.find("<saml:Assertion");
  return xml.substr(start, xml.find(end_tag) + end_tag.size() - start);
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("crafting: no " + from);
  return text.replace(at, from.size(), to);
}

}  // namespace

std::vector<CraftedResponse> crafted_saml_responses(const SamlResponseSpec& valid) {
  const std::string key = saml_fixture_path("test-idp.key.pem");
  auto with = [&](auto change) {
    SamlResponseSpec s = valid;
    change(s);
    return signed_saml_response(s);
  };
  const std::string good = signed_saml_response(valid);
  SamlResponseSpec evil = valid;
  evil.assertion_id = "_evil";
  evil.name_id_xml = "eve@example.test";
  SamlResponseSpec evil_same_id = evil;
  evil_same_id.assertion_id = valid.assertion_id;
  std::string signature = good.substr(good.find("<ds:Signature"),
                                      good.find("</ds:Signature>") + 15 - good.find("<ds:Signature"));
  SamlResponseSpec second = valid;
  second.assertion_id = "_assertion-2";
  const std::string hidden = "<samlp:Extensions>" + assertion_of(good) + "</samlp:Extensions><saml:Assertion";

  return {
      {"unsigned", saml_response_xml(valid), "the assertion is not signed"},
      {"changed after signing",
       replace_first(good, valid.name_id_xml + "</saml:NameID>", "eve@example.test</saml:NameID>"),
       "the digest does not match"},
      {"signed by another key", sign_saml_element(saml_response_xml(valid), valid.assertion_id,
                                                  saml_fixture_path("test-sp.key.pem")),
       "does not verify with the IdP's certificate"},
      {"signed with RSA-SHA1", sign_saml_element(saml_response_xml(valid), valid.assertion_id, key,
                                                 "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
       "signature algorithm not allowed"},
      {"wrapping: the signed assertion hidden, another consumed",
       replace_first(saml_response_xml(evil), "<saml:Assertion", hidden), "the assertion is not signed"},
      {"wrapping: the consumed assertion takes the signed one's ID",
       replace_first(saml_response_xml(evil_same_id), "<saml:Assertion", hidden), "two elements carry the same ID"},
      {"wrapping: the signature moved into another assertion",
       replace_first(saml_response_xml(evil), "</saml:Issuer><saml:Subject>",
                     "</saml:Issuer>" + signature + "<saml:Subject>"),
       "the Reference does not point at the element it is in"},
      {"two assertions", replace_first(good, "</samlp:Response>", assertion_of(signed_saml_response(second)) + "</samlp:Response>"),
       "exactly one Assertion"},
      {"a DTD with an internal entity",
       replace_first(good, "<samlp:Response", "<!DOCTYPE r [<!ENTITY who \"eve@example.test\">]><samlp:Response"),
       "a DTD is not allowed"},
      {"an external entity",
       replace_first(good, "<samlp:Response", "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><samlp:Response"),
       "a DTD is not allowed"},
      {"a comment inside NameID, validly signed",
       with([&](SamlResponseSpec& s) { s.name_id_xml = valid.name_id_xml + "<!---->.evil.test"; }),
       "NameID holds something other than text"},
      {"expired conditions", with([&](SamlResponseSpec& s) { s.not_on_or_after = valid.now - 61; }),
       "the assertion has expired"},
      {"conditions not valid yet", with([&](SamlResponseSpec& s) { s.not_before = valid.now + 61; }),
       "the assertion is not valid yet"},
      {"an expired bearer confirmation",
       with([&](SamlResponseSpec& s) { s.confirmation_not_on_or_after = valid.now - 61; }),
       "the SubjectConfirmation has expired"},
      {"another audience", with([](SamlResponseSpec& s) { s.audience = "urn:some-other-sp"; }),
       "Audience is not this service"},
      {"another recipient", with([](SamlResponseSpec& s) { s.recipient = "https://other.example.test/acs"; }),
       "Recipient is not this service's callback"},
      {"another destination", with([](SamlResponseSpec& s) { s.destination = "https://other.example.test/acs"; }),
       "Destination is not this service's callback"},
      {"another issuer", with([](SamlResponseSpec& s) { s.issuer = "https://evil.example.test"; }),
       "the Issuer is not the configured IdP"},
      {"an InResponseTo that matches no pending request",
       with([](SamlResponseSpec& s) { s.in_response_to = "_some-other-request"; }), "answers no pending request"},
      {"an unsolicited response (IdP-initiated)", with([](SamlResponseSpec& s) { s.in_response_to = ""; }),
       "unsolicited Response"},
  };
}

}  // namespace passerelle::testing
