// TLS for the broker's own listener (config "tls"): the certificate chain and
// private key files, loaded into an OpenSSL context that accepts TLS 1.2 and
// newer only. Stateless functions; thread-safe.
#pragma once

#include <memory>
#include <string>

#include <openssl/ssl.h>

#include "passerelle/result.h"

namespace passerelle {

inline constexpr int kMinimumTlsVersion = TLS1_2_VERSION;

// Sets up `ctx` for serving: the PEM chain from `certificate_file` (leaf
// first), the PEM key from `private_key_file` (unencrypted), the key checked
// against the certificate, TLS 1.2 as the floor, no renegotiation. On failure
// an Error naming the config key and OpenSSL's reason; `ctx` is then unusable.
Result<void> configure_tls(SSL_CTX& ctx, const std::string& certificate_file, const std::string& private_key_file);

// The same on a scratch context: the start-up check (and check-config's), so
// a bad file is reported as a clear one-line error before the server starts.
Result<void> check_tls_files(const std::string& certificate_file, const std::string& private_key_file);

}  // namespace passerelle
