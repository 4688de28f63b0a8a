// Byte encodings used on the wire: base64url without padding (RFC 4648 §5,
// as JOSE uses it), standard base64, base32, hex, and URL percent-encoding.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle {

std::string base64url_encode(std::string_view bytes);
// nullopt on a character outside the alphabet or an impossible length.
// Padding '=' is refused: JOSE forbids it.
std::optional<std::string> base64url_decode(std::string_view text);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

// ASCII letters lower-cased, other bytes kept (e-mail lookups, schemes).
std::string lower_ascii(std::string_view s);
// Base32 (RFC 4648 §6) without padding, as authenticator apps read TOTP
// secrets. Decoding ignores case; nullopt on any other character.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// application/x-www-form-urlencoded component encoding (space as %20).
std::string url_encode(std::string_view text);

// The words of a space-delimited parameter (scope, prompt, acr_values:
// RFC 6749 §3.3, OIDC Core §3.1.2.1), blanks of any kind and number
// between them, as a stream's >> reads them.
std::vector<std::string> split_words(std::string_view text);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong form, no
// surrogate, nothing above U+10FFFF), as JSON output requires.
bool is_valid_utf8(std::string_view text);

}  // namespace passerelle
