#include "metrics/http_route.h"

namespace passerelle {
namespace {

// The characters of the paths our routes serve. A match that holds anything
// else came through a regex wildcard and is not a route's own spelling.
bool plain_route_text(const std::string& s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
              c == '_' || c == '.' || c == '{' || c == '}';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string route_label(const httplib::Request& req) {
  // cpp-httplib 0.11 keeps the regex match of the route it dispatched to in
  // req.matches, over req.path; it is empty when no route matched.
  const auto& m = req.matches;
  if (m.empty() || !m[0].matched || static_cast<size_t>(m.length(0)) != req.path.size()) return "other";
  std::string label;
  size_t done = 0;  // req.path[0, done) is in the label
  for (size_t i = 1; i < m.size(); ++i) {
    if (!m[i].matched) continue;
    auto start = static_cast<size_t>(m.position(i));
    if (start < done) continue;  // nested in a group already replaced
    label.append(req.path, done, start - done);
    label += "{id}";
    done = start + static_cast<size_t>(m.length(i));
  }
  label.append(req.path, done, std::string::npos);
  return plain_route_text(label) ? label : "other";
}

std::string method_label(std::string_view method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace passerelle
