#include "saml/authn_request.h"

#include <zlib.h>

#include "saml/saml_response.h"
#include "saml/xml_document.h"

namespace passerelle::saml {
namespace {

constexpr const char* kPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
constexpr const char* kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

std::string authn_request_xml(const SamlConfig& config, const AuthnRequestParams& p) {
  std::string xml = "<samlp:AuthnRequest xmlns:samlp=\"" + std::string(kNsProtocol) + "\" xmlns:saml=\"" +
                    kNsAssertion + "\" ID=\"" + xml_escape(p.id) + "\" Version=\"2.0\" IssueInstant=\"" +
                    format_date_time(p.issue_instant) + "\" Destination=\"" + xml_escape(config.idp_sso_url) +
                    "\" AssertionConsumerServiceURL=\"" + xml_escape(p.acs_url) + "\" ProtocolBinding=\"" +
                    kPostBinding + "\"";
  if (p.force_authn) xml += " ForceAuthn=\"true\"";
  xml += "><saml:Issuer>" + xml_escape(config.sp_entity_id) + "</saml:Issuer><samlp:NameIDPolicy";
  if (!config.name_id_format.empty()) xml += " Format=\"" + xml_escape(config.name_id_format) + "\"";
  return xml + " AllowCreate=\"true\"/></samlp:AuthnRequest>";
}

Result<std::string> sign_rsa_sha256(EVP_PKEY* key, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return fail(Error::internal("saml: cannot sign the AuthnRequest"));
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return fail(Error::internal("saml: cannot sign the AuthnRequest"));
  }
  signature.resize(size);
  return signature;
}

// `data` compressed with raw DEFLATE (RFC 1951), as the HTTP-Redirect
// binding sends it.
Result<std::string> deflate_raw(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return fail(Error::internal("saml: deflate failed"));
  }
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return fail(Error::internal("saml: deflate failed"));
  return out;
}

}  // namespace

Result<std::string> authn_request_url(const SamlConfig& config, const AuthnRequestParams& params) {
  auto deflated = deflate_raw(authn_request_xml(config, params));
  if (!deflated) return fail(deflated.error());
  // §3.4.4.1: the signature covers the query exactly as sent, in this order.
  std::string query = "SAMLRequest=" + connector_util::url_encode(connector_util::base64_encode(*deflated, false)) +
                      "&RelayState=" + connector_util::url_encode(params.relay_state);
  if (config.sign_authn_requests) {
    query += "&SigAlg=" + connector_util::url_encode(kRsaSha256);
    auto signature = sign_rsa_sha256(config.sp_key.get(), query);
    if (!signature) return fail(signature.error());
    query += "&Signature=" + connector_util::url_encode(connector_util::base64_encode(*signature, false));
  }
  const char* join = config.idp_sso_url.find('?') == std::string::npos ? "?" : "&";
  return config.idp_sso_url + join + query;
}

std::string sp_metadata_xml(const SamlConfig& config, const std::string& acs_url) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntityDescriptor xmlns:md=\"" +
                    std::string(kNsMetadata) + "\" entityID=\"" + xml_escape(config.sp_entity_id) + "\">" +
                    "<md:SPSSODescriptor AuthnRequestsSigned=\"" + (config.sign_authn_requests ? "true" : "false") +
                    "\" WantAssertionsSigned=\"" + (config.want_assertions_signed ? "true" : "false") +
                    "\" protocolSupportEnumeration=\"" + kNsProtocol + "\">";
  if (config.sign_authn_requests) {
    xml += "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"" + std::string(kNsDsig) +
           "\"><ds:X509Data><ds:X509Certificate>" + config.sp_certificate_der_base64 +
           "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>";
  }
  if (!config.name_id_format.empty()) {
    xml += "<md:NameIDFormat>" + xml_escape(config.name_id_format) + "</md:NameIDFormat>";
  }
  return xml + "<md:AssertionConsumerService Binding=\"" + kPostBinding + "\" Location=\"" + xml_escape(acs_url) +
         "\" index=\"0\" isDefault=\"true\"/></md:SPSSODescriptor></md:EntityDescriptor>\n";
}

}  // namespace passerelle::saml
