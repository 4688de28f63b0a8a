#include "jose/openssl_util.h"

#include <openssl/err.h>

namespace passerelle::ossl {

std::shared_ptr<EVP_PKEY> share(PkeyPtr key) {
  return std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
}

ErrorQueueMark::ErrorQueueMark() {
  ERR_set_mark();
}
ErrorQueueMark::~ErrorQueueMark() {
  ERR_pop_to_mark();
}

std::string last_error() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

std::optional<std::string> bn_bytes(const BIGNUM* bn, int width) {
  int len = width > 0 ? width : BN_num_bytes(bn);
  std::string out(size_t(len), '\0');
  auto* buf = reinterpret_cast<unsigned char*>(out.data());
  // BN_bn2binpad fails (-1) only when bn does not fit in `len` bytes.
  if (BN_bn2binpad(bn, buf, len) < 0) return std::nullopt;
  return out;
}

Result<std::string> bn_param_bytes(const EVP_PKEY* key, const char* name, int width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return fail(Error::internal(std::string("jose: cannot read key parameter: ") + last_error()));
  }
  BnPtr bn(raw);
  std::optional<std::string> out = bn_bytes(bn.get(), width);
  if (!out) return fail(Error::internal("jose: key parameter wider than expected"));
  return *std::move(out);
}

Result<std::string> ecdsa_der_to_raw(std::string_view der, int half_width) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, long(der.size())));
  if (!sig) return fail(Error::internal("jose: OpenSSL returned an undecodable ECDSA signature"));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::optional<std::string> r_bytes = bn_bytes(r, half_width);
  std::optional<std::string> s_bytes = bn_bytes(s, half_width);
  if (!r_bytes || !s_bytes) return fail(Error::internal("jose: ECDSA signature too wide"));
  return *r_bytes + *s_bytes;
}

Result<std::string> ecdsa_raw_to_der(std::string_view raw, int half_width) {
  // RFC 7518 §3.4: exactly 2 * 32 octets for ES256; any other length is
  // refused here rather than guessed at (e.g. a DER signature passed as raw).
  if (raw.size() != size_t(2 * half_width)) {
    return fail(Error::permission_denied("jwt: ECDSA signature has the wrong length"));
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BnPtr r(BN_bin2bn(bytes, half_width, nullptr));
  BnPtr s(BN_bin2bn(bytes + half_width, half_width, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return fail(Error::internal("jose: cannot build ECDSA signature: " + last_error()));
  }
  // ECDSA_SIG_set0 took ownership of r and s.
  (void)r.release();
  (void)s.release();
  unsigned char* der = nullptr;
  int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return fail(Error::internal("jose: cannot encode ECDSA signature: " + last_error()));
  std::string out(reinterpret_cast<char*>(der), size_t(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace passerelle::ossl
