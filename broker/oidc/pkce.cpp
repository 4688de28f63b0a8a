#include "oidc/pkce.h"

#include <cctype>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

bool all_unreserved(std::string_view s) {
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~') return false;
  }
  return true;
}

}  // namespace

bool is_valid_code_verifier(std::string_view verifier) {
  return verifier.size() >= 43 && verifier.size() <= 128 && all_unreserved(verifier);
}

bool is_valid_s256_challenge(std::string_view challenge) {
  return challenge.size() == 43 && base64url_decode(challenge).has_value();
}

bool pkce_s256_matches(std::string_view verifier, std::string_view challenge) {
  if (!is_valid_code_verifier(verifier)) return false;
  return constant_time_equals(base64url_encode(sha256(verifier)), challenge);
}

}  // namespace passerelle
