#include "common/pkce.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/oauth_util.h"

namespace passerelle::connector_util {

Result<std::string> new_pkce_verifier() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return fail(Error::internal("no randomness for a PKCE verifier"));
  return base64_encode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes), /*url_safe=*/true);
}

std::string pkce_s256_challenge(std::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest), /*url_safe=*/true);
}

Result<std::string> add_pkce_challenge(Params& params) {
  auto verifier = new_pkce_verifier();
  if (!verifier) return verifier;
  params.emplace_back("code_challenge", pkce_s256_challenge(*verifier));
  params.emplace_back("code_challenge_method", "S256");
  return verifier;
}

}  // namespace passerelle::connector_util
