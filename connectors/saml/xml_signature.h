// XML Signature (xmldsig-core 1.1) verification for SAML, as the SAML 2.0
// profile of it allows (saml-core §5.4): an enveloped signature, a direct
// child of the element it signs, with one Reference "#<that element's ID>",
// the transforms enveloped-signature and exclusive c14n only, RSA with
// SHA-256 or SHA-512. The key comes from configuration, never from KeyInfo.
// Checking that the element verified is the element consumed is the whole
// defence against signature wrapping: callers pass the node they read.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>
#include <openssl/evp.h>

#include "passerelle/result.h"

namespace passerelle::saml {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PublicKey = std::shared_ptr<EVP_PKEY>;

// The public key of a PEM certificate (or base64 DER, as metadata holds
// it); kInvalidArgument when it cannot be read or is not RSA of at least
// 2048 bits.
Result<PublicKey> public_key_from_certificate(const std::string& pem_or_base64_der);

// Whether `element` (in `doc`) carries an enveloped signature: false when it
// has none; true when its one ds:Signature verifies with one of `keys`.
// kInvalidArgument for a signature that does not follow the profile above
// or does not verify, with a message saying which check failed.
Result<bool> verify_enveloped_signature(xmlDoc* doc, xmlNode* element, const std::vector<PublicKey>& keys);

// The exclusive canonical form (without comments) of `element` minus the
// subtree `excluded` (nullptr: none), rendering the namespaces of
// `inclusive_prefixes` as inclusive c14n would. Shared with the tests'
// signer so that both sides canonicalize the same way.
Result<std::string> exclusive_c14n(xmlDoc* doc, xmlNode* element, xmlNode* excluded,
                                   const std::vector<std::string>& inclusive_prefixes);

}  // namespace passerelle::saml
