#include "saml/xml_document.h"

#include <cstring>
#include <set>

#include <libxml/parser.h>

namespace passerelle::saml {
namespace {

const char* name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

void collect_ids(const xmlNode* node, std::set<std::string>& seen, bool& duplicate) {
  for (const xmlNode* n = node; n != nullptr && !duplicate; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
      const char* name = reinterpret_cast<const char*>(a->name);
      if (std::strcmp(name, "ID") != 0 && std::strcmp(name, "Id") != 0 && std::strcmp(name, "AssertionID") != 0) {
        continue;
      }
      auto value = attribute(n, name);
      if (value && !seen.insert(*value).second) duplicate = true;
    }
    collect_ids(n->children, seen, duplicate);
  }
}

}  // namespace

void init_xml() { xmlInitParser(); }

Result<XmlDocPtr> parse_xml(std::string_view xml, std::string_view what) {
  std::string prefix = "saml: " + std::string(what) + ": ";
  if (xml.size() > kMaxXmlSize) return fail(Error::invalid_argument(prefix + "too large"));
  // A DTD is refused before parsing, so that no entity is ever declared;
  // the check after parsing catches one the scan could not see.
  if (xml.find("<!DOCTYPE") != std::string_view::npos) {
    return fail(Error::invalid_argument(prefix + "a DTD is not allowed"));
  }
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  XmlDocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "saml.xml", nullptr, options));
  if (!doc || xmlDocGetRootElement(doc.get()) == nullptr) {
    return fail(Error::invalid_argument(prefix + "not well-formed XML"));
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return fail(Error::invalid_argument(prefix + "a DTD is not allowed"));
  }
  return doc;
}

bool is_element(const xmlNode* node, const char* ns, const char* name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(node->ns->href), ns) == 0 && std::strcmp(name_of(node), name) == 0;
}

std::vector<xmlNode*> children(const xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> out;
  for (xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (is_element(n, ns, name)) out.push_back(n);
  }
  return out;
}

Result<xmlNode*> at_most_one(const xmlNode* parent, const char* ns, const char* name) {
  std::vector<xmlNode*> found = children(parent, ns, name);
  if (found.size() > 1) {
    return fail(Error::invalid_argument("saml: more than one " + std::string(name) + " in " + name_of(parent)));
  }
  return found.empty() ? nullptr : found.front();
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

Result<std::string> strict_text(const xmlNode* element, const char* name) {
  std::string out;
  for (const xmlNode* n = element->children; n != nullptr; n = n->next) {
    if (n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE) {
      return fail(Error::invalid_argument("saml: " + std::string(name) + " holds something other than text"));
    }
    if (n->content != nullptr) out += reinterpret_cast<const char*>(n->content);
  }
  return out;
}

Status check_unique_ids(const xmlDoc* doc) {
  std::set<std::string> seen;
  bool duplicate = false;
  collect_ids(xmlDocGetRootElement(const_cast<xmlDoc*>(doc)), seen, duplicate);
  if (duplicate) return fail(Error::invalid_argument("saml: two elements carry the same ID"));
  return {};
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace passerelle::saml
