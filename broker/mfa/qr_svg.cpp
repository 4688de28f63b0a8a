#include "mfa/qr_svg.h"

#include <memory>

#include <qrencode.h>

#include "ui/html.h"

namespace passerelle {
namespace {

constexpr int kQuietZone = 4;  // ISO/IEC 18004 §6.3.8: four modules of margin

}  // namespace

Result<std::string> qr_svg(std::string_view text, std::string_view title) {
  std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M),
                                                        QRcode_free);
  if (!code) return fail(Error::invalid_argument("the text does not fit in a QR code"));
  int width = code->width;
  int size = width + 2 * kQuietZone;
  // One path of unit squares: small, and crisp at any scale.
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (code->data[y * width + x] & 1) {
        path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
      }
    }
  }
  std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" viewBox=\"0 0 " + n + " " + n +
         "\" shape-rendering=\"crispEdges\"><title>" + html_escape(title) + "</title><rect width=\"" + n +
         "\" height=\"" + n + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace passerelle
