// A QR code (libqrencode) drawn as inline SVG, so the enrolment page needs
// no image request and no script. Pure function; thread-safe (libqrencode's
// encoder keeps no shared state when built with pthread support, as Debian's is).
#pragma once

#include <string>
#include <string_view>

#include "passerelle/result.h"

namespace passerelle {

// An <svg> element showing `text` as a QR code (error correction level M,
// 4-module quiet zone), labelled `title` for screen readers. kInvalidArgument
// when the text is too long for any QR version.
Result<std::string> qr_svg(std::string_view text, std::string_view title);

}  // namespace passerelle
