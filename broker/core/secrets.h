// Secret material: random tokens, digests, and constant-time comparison.
// Every opaque secret the broker hands out (session ids, CSRF tokens) comes
// from random_token(), codes and refresh tokens from time_ordered_token()
// (core/time_ordered.h); only a hash of it is stored.
// Thread-safe (OpenSSL's RAND_bytes is; random bytes come through a pool per
// thread, see secrets.cpp).
#pragma once

#include <string>
#include <string_view>

namespace passerelle {

// `n` bytes from the OpenSSL CSPRNG. Aborts if the CSPRNG fails: running
// without randomness would be worse than not running.
std::string random_bytes(size_t n);

// 32 random bytes (256 bits), base64url-encoded: 43 characters.
std::string random_token();

// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
// Hex of SHA-256: the storage key of a hashed secret.
std::string sha256_hex(std::string_view data);
// Raw HMAC-SHA-256.
std::string hmac_sha256(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths, not on the contents.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace passerelle
