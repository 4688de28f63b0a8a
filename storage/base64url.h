// base64url without padding (RFC 4648 §5), for the export format. The broker
// has its own in core/encoding.h; storage links only the SDK, so it keeps this
// small copy rather than depend on the broker. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace passerelle::storage {

std::string base64url_encode(std::string_view bytes);

// nullopt on a character outside the alphabet, on '=' padding, or on a length
// no encoding produces (one character left over).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace passerelle::storage
