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

namespace {

std::string render(const std::string& title, const std::string& head, const char* body_open, const std::string& body) {
  std::string html;
  html.reserve(body.size() + 512);
  html += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + html_escape(title) + " · Passerelle</title>\n";
  html += "<link rel=\"stylesheet\" href=\"" + std::string(kStylesheetPath) + "\">\n";
  html += head;
  html += "</head>\n";
  html += body_open;
  html += body;
  html += "\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace

std::string render_page(const Page& page) {
  return render(page.title, "", "<body>\n<main class=\"card\">\n", page.body);
}

std::string render_wide_page(const std::string& title, const std::string& body, const std::string& head) {
  return render(title, head, "<body class=\"wide\">\n<main class=\"panel\">\n", body);
}

}  // namespace passerelle
