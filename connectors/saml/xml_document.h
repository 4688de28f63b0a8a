// Reading untrusted SAML XML with libxml2: a parse that refuses any DTD (so
// no entity, internal or external, is ever declared or expanded) and never
// touches the network, plus the few strict readers the SAML code needs.
// Text values are read only when an element holds nothing but text: a
// comment or an element inside a NameID would otherwise let a signed value
// be read differently from what was signed. Thread-safe per document.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

#include "passerelle/result.h"

namespace passerelle::saml {

inline constexpr const char* kNsProtocol = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr const char* kNsAssertion = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr const char* kNsMetadata = "urn:oasis:names:tc:SAML:2.0:metadata";
inline constexpr const char* kNsDsig = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kNsExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";

// The largest document read, in bytes: far above any real response.
inline constexpr size_t kMaxXmlSize = 1 << 20;

// Prepares libxml2 for use from several threads; call once before any
// other function here (idempotent).
void init_xml();

struct XmlDocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// `xml` parsed. kInvalidArgument for malformed XML, a DTD, or a document
// larger than kMaxXmlSize; `what` names the document in messages.
Result<XmlDocPtr> parse_xml(std::string_view xml, std::string_view what);

// Whether `node` is the element `name` in namespace `ns`.
bool is_element(const xmlNode* node, const char* ns, const char* name);
// The child elements of `parent` that are `ns`:`name`, in order.
std::vector<xmlNode*> children(const xmlNode* parent, const char* ns, const char* name);
// The only such child; nullptr when there is none; kInvalidArgument
// naming `name` when there are several.
Result<xmlNode*> at_most_one(const xmlNode* parent, const char* ns, const char* name);
// The attribute `name` (no namespace), or nullopt.
std::optional<std::string> attribute(const xmlNode* node, const char* name);
// The text of an element that holds only text (and CDATA): kInvalidArgument
// naming `name` for a comment, a processing instruction or an element
// inside it.
Result<std::string> strict_text(const xmlNode* element, const char* name);
// Every ID, Id and AssertionID attribute value in the document must be
// unique (an XML signature refers to its element by that value);
// kInvalidArgument otherwise.
Status check_unique_ids(const xmlDoc* doc);

// `text` with &, <, > and both quotes escaped, for building XML.
std::string xml_escape(std::string_view text);

}  // namespace passerelle::saml
