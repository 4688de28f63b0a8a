#include "core/time_ordered.h"

#include <algorithm>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

constexpr size_t kTimeBytes = 4;
constexpr size_t kSecretBytes = 32;

// Whole seconds, big-endian so that byte order is time order; clamped to
// what 4 bytes hold (until 2106).
std::string time_bytes(int64_t now) {
  auto t = static_cast<uint32_t>(std::clamp<int64_t>(now, 0, UINT32_MAX));
  return {static_cast<char>(t >> 24), static_cast<char>(t >> 16), static_cast<char>(t >> 8), static_cast<char>(t)};
}

}  // namespace

std::string time_ordered_token(int64_t now) { return time_ordered_token(now, random_bytes(kSecretBytes)); }

std::string time_ordered_token(int64_t now, std::string_view bytes32) {
  return base64url_encode(time_bytes(now) + std::string(bytes32));
}

std::string token_storage_key(std::string_view token) {
  auto bytes = base64url_decode(token);
  if (!bytes || bytes->size() != kTimeBytes + kSecretBytes) return sha256_hex(token);
  return hex_encode(bytes->substr(0, kTimeBytes)) + sha256_hex(token);
}

std::string time_ordered_id(std::string_view prefix, int64_t now) {
  return std::string(prefix) + hex_encode(time_bytes(now)) + hex_encode(random_bytes(16));
}

}  // namespace passerelle
