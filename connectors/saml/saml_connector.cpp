#include "saml/saml_connector.h"

#include <algorithm>

#include <openssl/rand.h>

#include "common/oauth_util.h"
#include "saml/authn_request.h"
#include "saml/xml_signature.h"

namespace passerelle::saml {
namespace {

constexpr const char* kEmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

// Attribute names IdPs commonly use for each profile claim (plain names,
// the eduPerson/X.500 OIDs, and the claim URIs of AD FS and Entra ID),
// tried in order when the connection maps no attribute to the claim.
const std::map<std::string, std::vector<std::string>>& common_attribute_names() {
  static const std::map<std::string, std::vector<std::string>> names = {
      {"email",
       {"email", "mail", "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"}},
      {"name",
       {"name", "displayName", "cn", "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"}},
      {"given_name",
       {"given_name", "givenName", "firstName", "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"}},
      {"family_name",
       {"family_name", "sn", "surname", "lastName", "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"}},
      {"picture", {"picture"}},
  };
  return names;
}

// The well-known multi-factor classes: REFEDS MFA, Entra ID / AD FS, and
// the saml-authn-context two-factor and token classes.
const std::vector<std::string> kMfaContexts = {
    "https://refeds.org/profile/mfa",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
};
const std::vector<std::string> kPasswordContexts = {
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
};

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

Result<std::string> new_request_id() {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail(Error::internal("saml: no randomness for a request ID"));
  static const char* hex = "0123456789abcdef";
  std::string id = "_";
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

}  // namespace

bool ReplayCache::first_use(const std::string& id, int64_t expires_at, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(expiry_by_id_, [now](const auto& entry) { return entry.second < now; });
  return expiry_by_id_.emplace(id, expires_at).second;
}

std::vector<std::string> amr_for_context(const std::string& class_ref, const std::vector<std::string>& mfa_contexts) {
  if (contains(kMfaContexts, class_ref) || contains(mfa_contexts, class_ref)) return {"mfa"};
  if (contains(kPasswordContexts, class_ref)) return {"pwd"};
  return {};
}

Result<LoginStart> SamlConnector::begin_login(const LoginRequest& request) {
  auto id = new_request_id();
  if (!id) return fail(id.error());
  AuthnRequestParams params{*id, host_.clock.now(), request.callback_url, request.state,
                            request.force_reauthentication};
  auto url = authn_request_url(config_, params);
  if (!url) return fail(url.error());
  return LoginStart{*url, *id};
}

Result<Identity> SamlConnector::finish_login(const CallbackRequest& request, const std::string& state_data) {
  auto encoded = request.params.find("SAMLResponse");
  if (request.method != "POST" || encoded == request.params.end()) {
    return fail(Error::invalid_argument("saml: the callback carries no SAMLResponse by HTTP-POST"));
  }
  std::optional<std::string> xml = connector_util::base64_decode(encoded->second);
  if (!xml) return fail(Error::invalid_argument("saml: SAMLResponse is not base64"));
  ResponseExpectations expect{state_data,
                              request.callback_url,
                              config_.sp_entity_id,
                              config_.idp_entity_id,
                              config_.idp_keys,
                              config_.want_response_signed,
                              config_.want_assertions_signed,
                              host_.clock.now(),
                              config_.clock_skew};
  auto assertion = read_response(*xml, expect);
  if (!assertion) {
    host_.logger.log(LogLevel::kWarning, "saml_response_refused", {{"reason", assertion.error().message}});
    return fail(assertion.error());
  }
  if (!replays_.first_use(assertion->issuer + " " + assertion->id,
                          assertion->not_on_or_after + config_.clock_skew, expect.now)) {
    host_.logger.log(LogLevel::kWarning, "saml_response_refused", {{"reason", "replayed assertion"}});
    return fail(Error::invalid_argument("saml: this assertion was already used"));
  }
  return identity_for(*assertion);
}

Identity SamlConnector::identity_for(const Assertion& a) const {
  auto first_value = [&](const std::string& claim) -> std::string {
    std::vector<std::string> names;
    for (const auto& [mapped_claim, attribute_name] : config_.attribute_mapping) {
      if (mapped_claim == claim) names.push_back(attribute_name);
    }
    if (names.empty()) names = common_attribute_names().at(claim);
    for (const std::string& name : names) {
      auto found = a.attributes.find(name);
      if (found != a.attributes.end() && !found->second.empty()) return found->second.front();
    }
    return "";
  };
  Identity id;
  id.provider = "saml";
  id.user_id = a.name_id;
  id.email = first_value("email");
  if (id.email.empty() && a.name_id_format == kEmailFormat) id.email = a.name_id;
  id.email_verified = config_.email_verified && !id.email.empty();
  id.name = first_value("name");
  id.given_name = first_value("given_name");
  id.family_name = first_value("family_name");
  id.picture = first_value("picture");
  if (id.name.empty()) {
    id.name = id.given_name + (id.given_name.empty() || id.family_name.empty() ? "" : " ") + id.family_name;
  }
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [name, values] : a.attributes) attributes[name] = values;
  id.raw_profile = {{"issuer", a.issuer},
                    {"name_id", a.name_id},
                    {"name_id_format", a.name_id_format},
                    {"session_index", a.session_index},
                    {"authn_context_class_ref", a.authn_context_class_ref},
                    {"attributes", attributes}};
  id.upstream.auth_time = a.authn_instant;
  id.upstream.acr = a.authn_context_class_ref;
  id.upstream.amr = amr_for_context(a.authn_context_class_ref, config_.mfa_authn_contexts);
  id.upstream.sid = a.session_index;
  return id;
}

Result<std::string> SamlConnector::metadata_document(const std::string& callback_url) {
  return sp_metadata_xml(config_, callback_url);
}

Result<std::unique_ptr<Connector>> create_connector(const ConnectionSettings& settings, const HostServices& host) {
  auto config = parse_saml_config(settings.options);
  if (!config) return fail(config.error());
  return std::unique_ptr<Connector>(new SamlConnector(std::move(*config), host));
}

}  // namespace passerelle::saml
