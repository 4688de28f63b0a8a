// PKCE (RFC 7636) with the S256 method only: `plain` is refused as RFC 9700
// §2.1.1 advises. Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace passerelle {

// RFC 7636 §4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~].
bool is_valid_code_verifier(std::string_view verifier);

// An S256 challenge is the base64url SHA-256 of a verifier: 43 characters.
bool is_valid_s256_challenge(std::string_view challenge);

// RFC 7636 §4.6: BASE64URL(SHA256(verifier)) == challenge, in constant time.
bool pkce_s256_matches(std::string_view verifier, std::string_view challenge);

}  // namespace passerelle
