// The SP's side of the HTTP-Redirect binding (saml-bindings §3.4): an
// <samlp:AuthnRequest> for one login, DEFLATEd and base64-encoded into the
// IdP's URL with RelayState, signed over the query string (§3.4.4.1) when
// the connection signs its requests. The SP metadata document (saml-metadata
// §2.4.4) that tells an IdP where and how to answer.
#pragma once

#include <cstdint>
#include <string>

#include "passerelle/result.h"
#include "saml/saml_config.h"

namespace passerelle::saml {

struct AuthnRequestParams {
  std::string id;  // unique, starting with a letter or "_" (an xs:ID)
  int64_t issue_instant = 0;
  std::string acs_url;
  std::string relay_state;
  bool force_authn = false;
};

// The URL that carries the AuthnRequest to the IdP.
Result<std::string> authn_request_url(const SamlConfig& config, const AuthnRequestParams& params);

// This SP's metadata with `acs_url` as its HTTP-POST AssertionConsumerService.
std::string sp_metadata_xml(const SamlConfig& config, const std::string& acs_url);

}  // namespace passerelle::saml
