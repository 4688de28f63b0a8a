// Server-rendered HTML: escaping and the page frame every page shares (one
// small stylesheet, a viewport for phones). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace passerelle {

// Escapes &, <, >, " and ' so text is safe in element content and in
// double- or single-quoted attribute values.
std::string html_escape(std::string_view text);

struct Page {
  std::string title;
  std::string body;          // trusted HTML, already escaped where needed
  std::string script_nonce;  // CSP nonce for an inline script, if the page has one
};

std::string render_page(const Page& page);

// A full-width page (the dashboard) instead of the centred card; `head` is
// trusted HTML added to <head> (meta tags, external scripts).
std::string render_wide_page(const std::string& title, const std::string& body, const std::string& head);

// The shared stylesheet, served at kStylesheetPath.
inline constexpr std::string_view kStylesheetPath = "/assets/passerelle.css";
std::string_view stylesheet();

}  // namespace passerelle
