#include "http/request_id.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {

bool is_safe_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string choose_request_id(const httplib::Request& req) {
  std::string incoming = req.get_header_value(kRequestIdHeader);
  if (is_safe_request_id(incoming)) return incoming;
  return hex_encode(random_bytes(16));  // 128 bits: unique without coordination
}

std::string ensure_request_id(const httplib::Request& req, httplib::Response& res) {
  if (res.has_header(kRequestIdHeader)) return res.get_header_value(kRequestIdHeader);
  std::string id = choose_request_id(req);
  res.set_header(kRequestIdHeader, id);
  return id;
}

std::string request_id_of(const httplib::Response& res) {
  return res.get_header_value(kRequestIdHeader);
}

}  // namespace passerelle
