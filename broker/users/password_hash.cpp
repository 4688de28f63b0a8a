#include "users/password_hash.h"

#include <argon2.h>

#include "core/secrets.h"

namespace passerelle {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kTagBytes = 32;

}  // namespace

Result<std::string> hash_password(std::string_view password, const PasswordHashCost& cost) {
  const std::string salt = random_bytes(kSaltBytes);
  // argon2_encodedlen counts the terminating NUL.
  std::string encoded(argon2_encodedlen(cost.time_cost, cost.memory_kib, cost.parallelism,
                                        uint32_t(kSaltBytes), uint32_t(kTagBytes), Argon2_id),
                      '\0');
  int rc = argon2id_hash_encoded(cost.time_cost, cost.memory_kib, cost.parallelism, password.data(),
                                 password.size(), salt.data(), salt.size(), kTagBytes, encoded.data(),
                                 encoded.size());
  if (rc != ARGON2_OK) {
    std::string msg = std::string("password hash: ") + argon2_error_message(rc);
    return fail(rc == ARGON2_MEMORY_ALLOCATION_ERROR ? Error::unavailable(msg)
                                                     : Error::invalid_argument(msg));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, std::string_view encoded) {
  // libargon2 reads a C string: an embedded NUL would make it check a prefix.
  if (encoded.find('\0') != std::string_view::npos) return false;
  const std::string terminated(encoded);
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace passerelle
