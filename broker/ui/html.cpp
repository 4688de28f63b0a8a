#include "ui/html.h"

namespace passerelle {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_page(const Page& page) {
  std::string html;
  html.reserve(page.body.size() + 512);
  html += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + html_escape(page.title) + " · Passerelle</title>\n";
  html += "<link rel=\"stylesheet\" href=\"" + std::string(kStylesheetPath) + "\">\n";
  html += "</head>\n<body>\n<main class=\"card\">\n";
  html += page.body;
  html += "\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace passerelle
