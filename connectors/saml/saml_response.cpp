#include "saml/saml_response.h"

#include <cstdio>
#include <ctime>

#include "common/oauth_util.h"
#include "saml/xml_document.h"

namespace passerelle::saml {
namespace {

constexpr const char* kSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
constexpr const char* kBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

Error bad(const std::string& what) { return Error::invalid_argument("saml: " + what); }

// The text of the only `name` child of `parent` (assertion namespace), ""
// when there is none.
Result<std::string> child_text(const xmlNode* parent, const char* name) {
  auto node = at_most_one(parent, kNsAssertion, name);
  if (!node) return fail(node.error());
  if (*node == nullptr) return std::string();
  return strict_text(*node, name);
}

Result<std::optional<int64_t>> time_attribute(const xmlNode* node, const char* name) {
  std::optional<std::string> text = attribute(node, name);
  if (!text) return std::optional<int64_t>();
  std::optional<int64_t> t = parse_date_time(*text);
  if (!t) return fail(bad(std::string(name) + " is not a valid dateTime"));
  return t;
}

Status check_status(const xmlNode* response) {
  auto status = at_most_one(response, kNsProtocol, "Status");
  if (!status) return fail(status.error());
  if (*status == nullptr) return fail(bad("the Response has no Status"));
  auto code = at_most_one(*status, kNsProtocol, "StatusCode");
  if (!code) return fail(code.error());
  std::string value = *code ? attribute(*code, "Value").value_or("") : "";
  if (value == kSuccess) return {};
  // The second-level code says more (AuthnFailed, RequestDenied, NoPassive).
  if (*code) {
    auto sub = at_most_one(*code, kNsProtocol, "StatusCode");
    if (sub && *sub) value = attribute(*sub, "Value").value_or(value);
  }
  std::string shown = value.substr(value.rfind(':') == std::string::npos ? 0 : value.rfind(':') + 1);
  return fail(Error::permission_denied("saml: the IdP answered " + connector_util::safe_token(shown)));
}

// saml-profiles §4.1.4.2: one bearer SubjectConfirmation for us suffices.
Status check_subject_confirmation(const xmlNode* subject, const ResponseExpectations& expect, Assertion& out) {
  std::string problem = "the assertion has no bearer SubjectConfirmation";
  for (xmlNode* confirmation : children(subject, kNsAssertion, "SubjectConfirmation")) {
    if (attribute(confirmation, "Method").value_or("") != kBearer) continue;
    auto data = at_most_one(confirmation, kNsAssertion, "SubjectConfirmationData");
    if (!data) return fail(data.error());
    if (*data == nullptr) {
      problem = "the SubjectConfirmation has no SubjectConfirmationData";
      continue;
    }
    auto not_before = time_attribute(*data, "NotBefore");
    auto not_on_or_after = time_attribute(*data, "NotOnOrAfter");
    if (!not_before) return fail(not_before.error());
    if (!not_on_or_after) return fail(not_on_or_after.error());
    if (attribute(*data, "Recipient").value_or("") != expect.acs_url) {
      problem = "the SubjectConfirmation's Recipient is not this service's callback";
    } else if (attribute(*data, "InResponseTo").value_or("") != expect.request_id) {
      problem = "the SubjectConfirmation answers another request";
    } else if (*not_before) {
      problem = "a bearer SubjectConfirmation must not have NotBefore";
    } else if (!*not_on_or_after) {
      problem = "the SubjectConfirmation has no NotOnOrAfter";
    } else if (expect.now >= **not_on_or_after + expect.clock_skew) {
      problem = "the SubjectConfirmation has expired";
    } else {
      out.not_on_or_after = std::max(out.not_on_or_after, **not_on_or_after);
      return {};
    }
  }
  return fail(bad(problem));
}

Status check_conditions(const xmlNode* assertion, const ResponseExpectations& expect, Assertion& out) {
  auto conditions = at_most_one(assertion, kNsAssertion, "Conditions");
  if (!conditions) return fail(conditions.error());
  if (*conditions == nullptr) return fail(bad("the assertion has no Conditions"));
  auto not_before = time_attribute(*conditions, "NotBefore");
  auto not_on_or_after = time_attribute(*conditions, "NotOnOrAfter");
  if (!not_before) return fail(not_before.error());
  if (!not_on_or_after) return fail(not_on_or_after.error());
  if (*not_before && expect.now + expect.clock_skew < **not_before) {
    return fail(bad("the assertion is not valid yet (Conditions NotBefore)"));
  }
  if (*not_on_or_after) {
    if (expect.now >= **not_on_or_after + expect.clock_skew) {
      return fail(bad("the assertion has expired (Conditions NotOnOrAfter)"));
    }
    out.not_on_or_after = std::max(out.not_on_or_after, **not_on_or_after);
  }
  // saml-core §2.5.1.4: each AudienceRestriction must name us.
  std::vector<xmlNode*> restrictions = children(*conditions, kNsAssertion, "AudienceRestriction");
  if (restrictions.empty()) return fail(bad("the assertion has no AudienceRestriction"));
  for (xmlNode* restriction : restrictions) {
    bool ours = false;
    for (xmlNode* audience : children(restriction, kNsAssertion, "Audience")) {
      auto text = strict_text(audience, "Audience");
      if (!text) return fail(text.error());
      ours = ours || *text == expect.sp_entity_id;
    }
    if (!ours) return fail(bad("the assertion's Audience is not this service"));
  }
  for (xmlNode* n = (*conditions)->children; n != nullptr; n = n->next) {
    if (is_element(n, kNsAssertion, "OneTimeUse") || is_element(n, kNsAssertion, "AudienceRestriction")) continue;
    if (n->type == XML_ELEMENT_NODE && !is_element(n, kNsAssertion, "ProxyRestriction")) {
      return fail(bad("the assertion has a condition this service does not understand"));
    }
  }
  return {};
}

Status read_authn_statement(const xmlNode* assertion, Assertion& out) {
  std::vector<xmlNode*> statements = children(assertion, kNsAssertion, "AuthnStatement");
  if (statements.empty()) return fail(bad("the assertion has no AuthnStatement"));
  const xmlNode* statement = statements.front();
  auto instant = time_attribute(statement, "AuthnInstant");
  if (!instant) return fail(instant.error());
  if (!*instant) return fail(bad("the AuthnStatement has no AuthnInstant"));
  out.authn_instant = **instant;
  out.session_index = attribute(statement, "SessionIndex").value_or("");
  auto context = at_most_one(statement, kNsAssertion, "AuthnContext");
  if (!context) return fail(context.error());
  if (*context) {
    auto ref = child_text(*context, "AuthnContextClassRef");
    if (!ref) return fail(ref.error());
    out.authn_context_class_ref = *ref;
  }
  return {};
}

Status read_attributes(const xmlNode* assertion, Assertion& out) {
  for (xmlNode* statement : children(assertion, kNsAssertion, "AttributeStatement")) {
    for (xmlNode* attr : children(statement, kNsAssertion, "Attribute")) {
      std::string name = attribute(attr, "Name").value_or("");
      if (name.empty()) return fail(bad("an Attribute has no Name"));
      std::vector<std::string>& values = out.attributes[name];
      for (xmlNode* value : children(attr, kNsAssertion, "AttributeValue")) {
        auto text = strict_text(value, "AttributeValue");
        if (!text) return fail(text.error());
        values.push_back(*text);
      }
    }
  }
  return {};
}

Status read_subject(const xmlNode* assertion, const ResponseExpectations& expect, Assertion& out) {
  auto subject = at_most_one(assertion, kNsAssertion, "Subject");
  if (!subject) return fail(subject.error());
  if (*subject == nullptr) return fail(bad("the assertion has no Subject"));
  auto name_id = at_most_one(*subject, kNsAssertion, "NameID");
  if (!name_id) return fail(name_id.error());
  if (*name_id == nullptr) return fail(bad("the assertion has no NameID (an encrypted one is not supported)"));
  auto text = strict_text(*name_id, "NameID");
  if (!text) return fail(text.error());
  if (text->empty()) return fail(bad("the NameID is empty"));
  out.name_id = *text;
  out.name_id_format = attribute(*name_id, "Format").value_or("");
  return check_subject_confirmation(*subject, expect, out);
}

// The signature checks of saml-profiles §4.1.3.5 and our config: a present
// signature must verify; a required one must be present.
Status check_signatures(xmlDoc* doc, xmlNode* response, xmlNode* assertion, const ResponseExpectations& expect) {
  auto response_signed = verify_enveloped_signature(doc, response, expect.idp_keys);
  if (!response_signed) return fail(response_signed.error());
  auto assertion_signed = verify_enveloped_signature(doc, assertion, expect.idp_keys);
  if (!assertion_signed) return fail(assertion_signed.error());
  if (expect.want_response_signed && !*response_signed) return fail(bad("the Response is not signed"));
  if (expect.want_assertions_signed && !*assertion_signed) return fail(bad("the assertion is not signed"));
  if (!*response_signed && !*assertion_signed) return fail(bad("neither the Response nor its assertion is signed"));
  return {};
}

Status check_issuer(const xmlNode* element, const ResponseExpectations& expect, bool required, std::string* out) {
  auto issuer = child_text(element, "Issuer");
  if (!issuer) return fail(issuer.error());
  if (issuer->empty() && !required) return {};
  if (!expect.idp_entity_id.empty() && *issuer != expect.idp_entity_id) {
    return fail(bad("the Issuer is not the configured IdP"));
  }
  if (out) *out = *issuer;
  return {};
}

}  // namespace

std::optional<int64_t> parse_date_time(const std::string& text) {
  // Fixed-width fields read digit by digit: sscanf's %d would also take a
  // sign or leading blanks ("-027-01-15T...", "2027-01-15T-1:00:00Z").
  auto number = [&text](size_t at, size_t width) -> std::optional<int> {
    if (at + width > text.size()) return std::nullopt;
    int value = 0;
    for (size_t i = at; i < at + width; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  auto is = [&text](size_t at, char ch) { return at < text.size() && text[at] == ch; };
  std::optional<int> y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
                     s = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || !is(4, '-') || !is(7, '-') || !is(10, 'T') || !is(13, ':') ||
      !is(16, ':')) {
    return std::nullopt;
  }
  size_t at = 19;
  if (is(at, '.')) {
    ++at;
    size_t digits = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == digits) return std::nullopt;
  }
  int64_t offset = 0;
  if (text.size() == at + 1 && is(at, 'Z')) {
  } else if (text.size() == at + 6 && (is(at, '+') || is(at, '-')) && is(at + 3, ':')) {
    std::optional<int> zh = number(at + 1, 2), zm = number(at + 4, 2);
    // XML Schema 1.1 §D.3.1: offsets lie within -14:00..+14:00.
    if (!zh || !zm || *zm > 59 || *zh * 60 + *zm > 14 * 60) return std::nullopt;
    offset = (is(at, '+') ? 1 : -1) * (*zh * 3600 + *zm * 60);
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  // XML Schema has no year 0000; a day must exist in its month (timegm
  // would quietly turn 02-31 into March).
  bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (*y < 1 || *mo < 1 || *mo > 12 || *d < 1 || *d > kDays[*mo - 1] + (*mo == 2 && leap ? 1 : 0) || *h > 23 ||
      *mi > 59 || *s > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *s;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::string format_date_time(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

Result<Assertion> read_response(const std::string& xml, const ResponseExpectations& expect) {
  auto doc = parse_xml(xml, "SAMLResponse");
  if (!doc) return fail(doc.error());
  xmlNode* response = xmlDocGetRootElement(doc->get());
  if (!is_element(response, kNsProtocol, "Response")) return fail(bad("the document is not a samlp:Response"));
  if (Status s = check_unique_ids(doc->get()); !s) return fail(s.error());
  if (attribute(response, "Version").value_or("") != "2.0") return fail(bad("the Response is not SAML 2.0"));
  std::string in_response_to = attribute(response, "InResponseTo").value_or("");
  if (in_response_to.empty()) {
    return fail(bad("an unsolicited Response (IdP-initiated login) is not accepted"));
  }
  if (in_response_to != expect.request_id) return fail(bad("the Response answers no pending request"));
  std::optional<std::string> destination = attribute(response, "Destination");
  if (destination && *destination != expect.acs_url) {
    return fail(bad("the Response's Destination is not this service's callback"));
  }
  if (Status s = check_issuer(response, expect, false, nullptr); !s) return fail(s.error());
  if (Status s = check_status(response); !s) return fail(s.error());

  if (!children(response, kNsAssertion, "EncryptedAssertion").empty()) {
    return fail(bad("encrypted assertions are not supported"));
  }
  std::vector<xmlNode*> assertions = children(response, kNsAssertion, "Assertion");
  if (assertions.size() != 1) return fail(bad("the Response must hold exactly one Assertion"));
  xmlNode* assertion = assertions.front();
  if (Status s = check_signatures(doc->get(), response, assertion, expect); !s) return fail(s.error());

  Assertion out;
  out.id = attribute(assertion, "ID").value_or("");
  if (out.id.empty()) return fail(bad("the assertion has no ID"));
  if (attribute(assertion, "Version").value_or("") != "2.0") return fail(bad("the assertion is not SAML 2.0"));
  if (Status s = check_issuer(assertion, expect, true, &out.issuer); !s) return fail(s.error());
  if (out.issuer.empty()) return fail(bad("the assertion has no Issuer"));
  if (Status s = read_subject(assertion, expect, out); !s) return fail(s.error());
  if (Status s = check_conditions(assertion, expect, out); !s) return fail(s.error());
  if (Status s = read_authn_statement(assertion, out); !s) return fail(s.error());
  if (Status s = read_attributes(assertion, out); !s) return fail(s.error());
  return out;
}

}  // namespace passerelle::saml
