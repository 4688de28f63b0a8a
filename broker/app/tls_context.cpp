#include "app/tls_context.h"

#include <openssl/err.h>

namespace passerelle {
namespace {

// OpenSSL's most recent reason, then its queue cleared for the next caller.
std::string openssl_reason() {
  const char* reason = ERR_reason_error_string(ERR_peek_last_error());
  std::string text = reason ? reason : "unknown error";
  ERR_clear_error();
  return text;
}

Error tls_error(const char* key, const std::string& file, const std::string& what) {
  return Error::invalid_argument("tls." + std::string(key) + ": " + file + ": " + what);
}

}  // namespace

Result<void> configure_tls(SSL_CTX& ctx, const std::string& certificate_file, const std::string& private_key_file) {
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(&ctx, kMinimumTlsVersion) != 1) {
    return fail(Error::internal("tls: cannot set the minimum protocol version: " + openssl_reason()));
  }
  SSL_CTX_set_options(&ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  if (SSL_CTX_use_certificate_chain_file(&ctx, certificate_file.c_str()) != 1) {
    return fail(tls_error("certificate_file", certificate_file, "cannot load a PEM certificate chain (" + openssl_reason() + ")"));
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail(tls_error("private_key_file", private_key_file, "cannot load an unencrypted PEM private key (" + openssl_reason() + ")"));
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    return fail(tls_error("private_key_file", private_key_file, "does not match tls.certificate_file"));
  }
  return {};
}

Result<void> check_tls_files(const std::string& certificate_file, const std::string& private_key_file) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) return fail(Error::internal("tls: cannot create a TLS context: " + openssl_reason()));
  return configure_tls(*ctx, certificate_file, private_key_file);
}

}  // namespace passerelle
