// The saml connection's options (ARCHITECTURE §5): the IdP from
// `idp_sso_url` + `idp_certificate` (PEM) or from `idp_metadata_xml`, this
// service as `sp_entity_id`, optional AuthnRequest signing, which parts of
// a response must be signed, and how attributes map to the profile.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/oauth_util.h"
#include "passerelle/result.h"
#include "saml/xml_signature.h"

namespace passerelle::saml {

struct SamlConfig {
  std::string sp_entity_id;
  std::string idp_entity_id;  // "" to accept any issuer (only without metadata)
  std::string idp_sso_url;    // HTTP-Redirect binding
  std::vector<PublicKey> idp_keys;
  // Signing AuthnRequests (sign_authn_requests): the key, and the
  // certificate published in the SP metadata (base64 DER).
  bool sign_authn_requests = false;
  std::shared_ptr<EVP_PKEY> sp_key;  // private; null when not signing
  std::string sp_certificate_der_base64;
  bool want_assertions_signed = true;
  bool want_response_signed = false;
  std::string name_id_format;  // "" to let the IdP choose
  int64_t clock_skew = 60;
  // Profile claim -> attribute name; unmapped claims try common names.
  connector_util::Params attribute_mapping;
  // AuthnContextClassRefs that mean multi-factor (amr "mfa"), besides the
  // well-known ones.
  std::vector<std::string> mfa_authn_contexts;
  bool email_verified = false;  // whether the IdP vouches for its addresses
};

// kInvalidArgument "options.<key>: <problem>" for the first problem.
Result<SamlConfig> parse_saml_config(const nlohmann::json& options);

}  // namespace passerelle::saml
