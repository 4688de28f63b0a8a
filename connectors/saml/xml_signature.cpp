#include "saml/xml_signature.h"

#include <cstring>

#include <libxml/c14n.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/oauth_util.h"
#include "saml/xml_document.h"

namespace passerelle::saml {
namespace {

constexpr const char* kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

Error bad(const std::string& what) { return Error::invalid_argument("saml: signature: " + what); }

const EVP_MD* signature_digest(const std::string& algorithm) {
  if (algorithm == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256") return EVP_sha256();
  if (algorithm == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512") return EVP_sha512();
  return nullptr;  // SHA-1 and anything else: refused
}

const EVP_MD* reference_digest(const std::string& algorithm) {
  if (algorithm == "http://www.w3.org/2001/04/xmlenc#sha256") return EVP_sha256();
  if (algorithm == "http://www.w3.org/2001/04/xmlenc#sha512") return EVP_sha512();
  return nullptr;
}

std::string digest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), out, &size, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), size);
}

struct Subtree {
  xmlNode* root;
  xmlNode* excluded;
};

// libxml2's c14n asks about every node; namespace nodes come with the
// element that holds them as `parent`.
int visible_in_subtree(void* data, xmlNode* node, xmlNode* parent) {
  const auto* s = static_cast<const Subtree*>(data);
  xmlNode* n = (node != nullptr && node->type == XML_NAMESPACE_DECL) ? parent : node;
  for (xmlNode* p = n; p != nullptr; p = p->parent) {
    if (p == s->excluded) return 0;
    if (p == s->root) return 1;
  }
  return 0;
}

// The PrefixList of an ec:InclusiveNamespaces child of `method`.
std::vector<std::string> inclusive_prefixes(const xmlNode* method) {
  std::vector<std::string> out;
  for (xmlNode* ns : children(method, kNsExcC14n, "InclusiveNamespaces")) {
    std::string list = attribute(ns, "PrefixList").value_or("");
    size_t at = 0;
    while (at < list.size()) {
      size_t end = list.find_first_of(" \t\r\n", at);
      if (end == std::string::npos) end = list.size();
      if (end > at) out.push_back(list.substr(at, end - at));
      at = end + 1;
    }
  }
  return out;
}

std::string algorithm_of(const xmlNode* node) { return node ? attribute(node, "Algorithm").value_or("") : ""; }

bool verifies(const PublicKey& key, const EVP_MD* md, const std::string& data, const std::string& signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
}

// The only element child of `parent` with this name, else an error.
Result<xmlNode*> exactly_one(const xmlNode* parent, const char* name) {
  std::vector<xmlNode*> found = children(parent, kNsDsig, name);
  if (found.size() != 1) return fail(bad("expected exactly one " + std::string(name)));
  return found.front();
}

// The Reference's checks: it names `element` and its digest matches.
Status check_reference(xmlDoc* doc, xmlNode* element, xmlNode* signature, const xmlNode* reference) {
  std::optional<std::string> id = attribute(element, "ID");
  if (!id || id->empty()) return fail(bad("the signed element has no ID"));
  if (attribute(reference, "URI").value_or("") != "#" + *id) {
    return fail(bad("the Reference does not point at the element it is in"));
  }
  bool enveloped = false;
  bool exclusive = false;
  std::vector<std::string> prefixes;
  auto transforms = at_most_one(reference, kNsDsig, "Transforms");
  if (!transforms) return fail(transforms.error());
  if (*transforms != nullptr) {
    for (xmlNode* t : children(*transforms, kNsDsig, "Transform")) {
      std::string algorithm = algorithm_of(t);
      if (algorithm == kEnveloped && !enveloped) {
        enveloped = true;
      } else if (algorithm == kNsExcC14n && !exclusive) {
        exclusive = true;
        prefixes = inclusive_prefixes(t);
      } else {
        return fail(bad("transform not allowed"));
      }
    }
  }
  if (!enveloped || !exclusive) return fail(bad("the transforms must be enveloped-signature and exclusive c14n"));
  auto method = exactly_one(reference, "DigestMethod");
  if (!method) return fail(method.error());
  const EVP_MD* md = reference_digest(algorithm_of(*method));
  if (md == nullptr) return fail(bad("digest algorithm not allowed"));
  auto value = exactly_one(reference, "DigestValue");
  if (!value) return fail(value.error());
  auto text = strict_text(*value, "DigestValue");
  if (!text) return fail(text.error());
  std::optional<std::string> expected = connector_util::base64_decode(*text);
  auto canonical = exclusive_c14n(doc, element, signature, prefixes);
  if (!canonical) return fail(canonical.error());
  std::string actual = digest(md, *canonical);
  if (!expected || expected->size() != actual.size() ||
      CRYPTO_memcmp(expected->data(), actual.data(), actual.size()) != 0) {
    return fail(bad("the digest does not match (the signed content was changed)"));
  }
  return {};
}

}  // namespace

Result<PublicKey> public_key_from_certificate(const std::string& pem_or_base64_der) {
  X509* cert = nullptr;
  if (pem_or_base64_der.find("-----BEGIN CERTIFICATE-----") != std::string::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem_or_base64_der.data(), static_cast<int>(pem_or_base64_der.size())), &BIO_free);
    if (bio) cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  } else if (auto der = connector_util::base64_decode(pem_or_base64_der)) {
    const auto* p = reinterpret_cast<const unsigned char*>(der->data());
    cert = d2i_X509(nullptr, &p, static_cast<long>(der->size()));
  }
  if (cert == nullptr) return fail(Error::invalid_argument("not a PEM or base64 DER X.509 certificate"));
  PublicKey key(X509_get_pubkey(cert), PkeyFree{});
  X509_free(cert);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA || EVP_PKEY_get_bits(key.get()) < 2048) {
    return fail(Error::invalid_argument("the certificate's key must be RSA of at least 2048 bits"));
  }
  return key;
}

Result<std::string> exclusive_c14n(xmlDoc* doc, xmlNode* element, xmlNode* excluded,
                                   const std::vector<std::string>& inclusive_prefixes) {
  std::vector<xmlChar*> prefixes;
  for (const std::string& p : inclusive_prefixes) {
    prefixes.push_back(const_cast<xmlChar*>(reinterpret_cast<const xmlChar*>(p.c_str())));
  }
  prefixes.push_back(nullptr);
  xmlOutputBuffer* out = xmlAllocOutputBuffer(nullptr);
  if (out == nullptr) return fail(Error::internal("saml: out of memory"));
  Subtree subtree{element, excluded};
  int rc = xmlC14NExecute(doc, &visible_in_subtree, &subtree, XML_C14N_EXCLUSIVE_1_0,
                          inclusive_prefixes.empty() ? nullptr : prefixes.data(), 0, out);
  std::string text;
  if (rc >= 0) {
    text.assign(reinterpret_cast<const char*>(xmlOutputBufferGetContent(out)), xmlOutputBufferGetSize(out));
  }
  xmlOutputBufferClose(out);
  if (rc < 0) return fail(Error::invalid_argument("saml: the XML cannot be canonicalized"));
  return text;
}

Result<bool> verify_enveloped_signature(xmlDoc* doc, xmlNode* element, const std::vector<PublicKey>& keys) {
  auto signature = at_most_one(element, kNsDsig, "Signature");
  if (!signature) return fail(signature.error());
  if (*signature == nullptr) return false;
  auto signed_info = exactly_one(*signature, "SignedInfo");
  if (!signed_info) return fail(signed_info.error());
  auto c14n_method = exactly_one(*signed_info, "CanonicalizationMethod");
  if (!c14n_method) return fail(c14n_method.error());
  if (algorithm_of(*c14n_method) != kNsExcC14n) return fail(bad("canonicalization must be exclusive c14n"));
  auto method = exactly_one(*signed_info, "SignatureMethod");
  if (!method) return fail(method.error());
  const EVP_MD* md = signature_digest(algorithm_of(*method));
  if (md == nullptr) return fail(bad("signature algorithm not allowed"));
  auto reference = exactly_one(*signed_info, "Reference");
  if (!reference) return fail(reference.error());
  if (Status s = check_reference(doc, element, *signature, *reference); !s) return fail(s.error());

  auto value = exactly_one(*signature, "SignatureValue");
  if (!value) return fail(value.error());
  auto text = strict_text(*value, "SignatureValue");
  if (!text) return fail(text.error());
  std::optional<std::string> signature_bytes = connector_util::base64_decode(*text);
  if (!signature_bytes) return fail(bad("SignatureValue is not base64"));
  auto canonical = exclusive_c14n(doc, *signed_info, nullptr, inclusive_prefixes(*c14n_method));
  if (!canonical) return fail(canonical.error());
  for (const PublicKey& key : keys) {
    if (verifies(key, md, *canonical, *signature_bytes)) return true;
  }
  return fail(bad("the signature does not verify with the IdP's certificate"));
}

}  // namespace passerelle::saml
