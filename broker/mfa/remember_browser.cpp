#include "mfa/remember_browser.h"

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

constexpr std::string_view kPurpose = "remember-browser";

std::string payload(std::string_view user_id, std::string_view enrolment_id, int64_t expires_at) {
  return base64url_encode(user_id) + "." + base64url_encode(enrolment_id) + "." + std::to_string(expires_at);
}

}  // namespace

std::string remember_browser_value(const SecretBox& box, std::string_view user_id, std::string_view enrolment_id,
                                   int64_t expires_at) {
  std::string p = payload(user_id, enrolment_id, expires_at);
  return p + "." + base64url_encode(box.mac(kPurpose, p));
}

bool browser_remembered(const SecretBox& box, std::string_view value, std::string_view user_id,
                        std::string_view enrolment_id, int64_t now) {
  size_t dot = value.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view p = value.substr(0, dot);
  auto mac = base64url_decode(value.substr(dot + 1));
  if (!mac || !constant_time_equals(*mac, box.mac(kPurpose, p))) return false;
  // Authentic: now check that it is this user's, for this enrolment, and live.
  size_t expiry_dot = p.rfind('.');
  std::string_view expiry = p.substr(expiry_dot + 1);
  if (expiry.empty() || expiry.size() > 18 || expiry.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  if (std::stoll(std::string(expiry)) <= now) return false;
  return p.substr(0, expiry_dot + 1) == base64url_encode(user_id) + "." + base64url_encode(enrolment_id) + ".";
}

}  // namespace passerelle
