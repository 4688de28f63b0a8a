#include "saml/saml_config.h"

#include <algorithm>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "saml/xml_document.h"

namespace passerelle::saml {
namespace {

constexpr const char* kRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const std::vector<std::string> kProfileClaims = {"email", "name", "given_name", "family_name", "picture"};

std::shared_ptr<EVP_PKEY> private_key_from_pem(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return nullptr;
  std::shared_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), PkeyFree{});
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key.get()) < 2048) return nullptr;
  return key;
}

// The base64 DER of a PEM certificate, as metadata's X509Certificate holds it.
std::string certificate_der_base64(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (cert == nullptr) return "";
  unsigned char* der = nullptr;
  int size = i2d_X509(cert, &der);
  X509_free(cert);
  if (size <= 0) return "";
  std::string out = connector_util::base64_encode(std::string(reinterpret_cast<char*>(der), size), false);
  OPENSSL_free(der);
  return out;
}

// entityID, the signing certificates and the HTTP-Redirect SSO URL of IdP
// metadata (saml-metadata §2.4.3). Returns a problem, "" when fine.
std::string read_idp_metadata(const std::string& xml, SamlConfig& c) {
  auto doc = parse_xml(xml, "idp_metadata_xml");
  if (!doc) return "is not well-formed XML without a DTD";
  xmlNode* entity = xmlDocGetRootElement(doc->get());
  if (!is_element(entity, kNsMetadata, "EntityDescriptor")) return "must be an md:EntityDescriptor";
  c.idp_entity_id = attribute(entity, "entityID").value_or("");
  if (c.idp_entity_id.empty()) return "has no entityID";
  std::vector<xmlNode*> descriptors = children(entity, kNsMetadata, "IDPSSODescriptor");
  if (descriptors.size() != 1) return "must have one IDPSSODescriptor";
  for (xmlNode* key : children(descriptors[0], kNsMetadata, "KeyDescriptor")) {
    if (attribute(key, "use").value_or("signing") != "signing") continue;
    for (xmlNode* info : children(key, kNsDsig, "KeyInfo")) {
      for (xmlNode* data : children(info, kNsDsig, "X509Data")) {
        for (xmlNode* cert : children(data, kNsDsig, "X509Certificate")) {
          auto text = strict_text(cert, "X509Certificate");
          auto pkey = text ? public_key_from_certificate(*text) : Result<PublicKey>(fail(text.error()));
          if (!pkey) return "holds a signing certificate that cannot be used: " + pkey.error().message;
          c.idp_keys.push_back(*pkey);
        }
      }
    }
  }
  if (c.idp_keys.empty()) return "has no signing certificate";
  for (xmlNode* sso : children(descriptors[0], kNsMetadata, "SingleSignOnService")) {
    if (attribute(sso, "Binding").value_or("") == kRedirectBinding && c.idp_sso_url.empty()) {
      c.idp_sso_url = attribute(sso, "Location").value_or("");
    }
  }
  return "";
}

}  // namespace

Result<SamlConfig> parse_saml_config(const nlohmann::json& options) {
  init_xml();
  connector_util::OptionsReader r(
      options, {"idp_sso_url", "idp_certificate", "idp_metadata_xml", "idp_entity_id", "sp_entity_id",
                "sign_authn_requests", "sp_private_key", "sp_certificate", "want_assertions_signed",
                "want_response_signed", "name_id_format", "clock_skew", "attribute_mapping",
                "mfa_authn_contexts", "email_verified"});
  SamlConfig c;
  c.sp_entity_id = r.required("sp_entity_id");
  std::string metadata = r.optional("idp_metadata_xml", "");
  std::string certificate = r.optional("idp_certificate", "");
  if (!metadata.empty() && !certificate.empty()) {
    r.set_error("idp_certificate", "give either idp_certificate or idp_metadata_xml");
  } else if (!metadata.empty()) {
    if (std::string problem = read_idp_metadata(metadata, c); !problem.empty()) {
      r.set_error("idp_metadata_xml", problem);
    }
  } else if (certificate.empty()) {
    r.set_error("idp_certificate", "required (or idp_metadata_xml)");
  } else if (auto key = public_key_from_certificate(certificate); !key) {
    r.set_error("idp_certificate", key.error().message);
  } else {
    c.idp_keys.push_back(*key);
  }
  // Options override what metadata says.
  c.idp_sso_url = r.url("idp_sso_url", c.idp_sso_url.empty() ? "" : c.idp_sso_url);
  c.idp_entity_id = r.optional("idp_entity_id", c.idp_entity_id);

  c.sign_authn_requests = r.flag("sign_authn_requests", false);
  std::string sp_key = r.optional("sp_private_key", "");
  std::string sp_cert = r.optional("sp_certificate", "");
  if (c.sign_authn_requests) {
    c.sp_key = private_key_from_pem(sp_key);
    c.sp_certificate_der_base64 = certificate_der_base64(sp_cert);
    if (!c.sp_key) r.set_error("sp_private_key", "required to sign AuthnRequests: an RSA key (2048 bits or more) in PEM");
    if (c.sp_certificate_der_base64.empty()) r.set_error("sp_certificate", "required to sign AuthnRequests: a PEM certificate");
  }
  c.want_assertions_signed = r.flag("want_assertions_signed", true);
  c.want_response_signed = r.flag("want_response_signed", false);
  if (!c.want_assertions_signed && !c.want_response_signed) {
    r.set_error("want_assertions_signed", "the assertion or the Response must be signed");
  }
  c.name_id_format = r.optional("name_id_format", "");
  c.clock_skew = r.integer("clock_skew", 60, 0, 600);
  c.attribute_mapping = r.string_map("attribute_mapping");
  for (const auto& [claim, attribute_name] : c.attribute_mapping) {
    if (std::find(kProfileClaims.begin(), kProfileClaims.end(), claim) == kProfileClaims.end()) {
      r.set_error("attribute_mapping." + claim, "must be one of email, name, given_name, family_name, picture");
    }
  }
  c.mfa_authn_contexts = r.string_list("mfa_authn_contexts", {});
  c.email_verified = r.flag("email_verified", false);
  if (!r.status()) return fail(r.status().error());
  return c;
}

}  // namespace passerelle::saml
