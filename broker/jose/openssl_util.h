// Internal to broker/jose: owning handles for OpenSSL 3 objects, and the
// conversions JOSE needs between OpenSSL's forms and JOSE's (big-endian
// integers in base64url, ECDSA signatures as fixed-width R||S).
// Stateless helpers; thread-safe. Not for use outside broker/jose and its tests.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "passerelle/result.h"

namespace passerelle::ossl {

// Calls the OpenSSL free function `Free` on destruction.
template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

// Keys are immutable once built, so copies of SigningKey/VerificationKey
// share one EVP_PKEY (OpenSSL 3 allows concurrent use of a const key).
std::shared_ptr<EVP_PKEY> share(PkeyPtr key);

// Leaves this thread's OpenSSL error queue as it found it. Every public jose
// entry point holds one: errors left behind would be misread later by
// unrelated OpenSSL users on the thread (SSL_get_error consults the queue).
class ErrorQueueMark {
 public:
  ErrorQueueMark();
  ~ErrorQueueMark();
  ErrorQueueMark(const ErrorQueueMark&) = delete;
  ErrorQueueMark& operator=(const ErrorQueueMark&) = delete;
};

// The reason of the most recent OpenSSL error on this thread, for
// internal-error messages (never contains key or token material).
std::string last_error();

// The unsigned big-endian bytes of `bn`, left-padded with zeros to `width`
// bytes when width > 0 (RFC 7518 §6.2.1.2 wants EC coordinates full-width).
// nullopt when `bn` needs more than `width` bytes.
std::optional<std::string> bn_bytes(const BIGNUM* bn, int width = 0);

// A BIGNUM parameter of a key (e.g. OSSL_PKEY_PARAM_RSA_N), as bytes.
Result<std::string> bn_param_bytes(const EVP_PKEY* key, const char* name, int width = 0);

// ES256 signatures: OpenSSL speaks DER (SEQUENCE of two INTEGERs), JWS speaks
// the two integers as fixed-width big-endian octets concatenated (RFC 7518 §3.4).
Result<std::string> ecdsa_der_to_raw(std::string_view der, int half_width);
Result<std::string> ecdsa_raw_to_der(std::string_view raw, int half_width);

}  // namespace passerelle::ossl
