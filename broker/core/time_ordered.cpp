#include "core/time_ordered.h"

#include <algorithm>
#include <atomic>

#include "core/encoding.h"
#include "core/secrets.h"

namespace passerelle {
namespace {

constexpr size_t kTimeBytes = 4;
constexpr size_t kSequenceBytes = 2;
constexpr size_t kSecretBytes = 32;

// Whole seconds, big-endian so that byte order is time order; clamped to
// what 4 bytes hold (until 2106).
std::string time_bytes(int64_t now) {
  auto t = static_cast<uint32_t>(std::clamp<int64_t>(now, 0, UINT32_MAX));
  return {static_cast<char>(t >> 24), static_cast<char>(t >> 16), static_cast<char>(t >> 8), static_cast<char>(t)};
}

std::string sequence_bytes(uint16_t sequence) {
  return {static_cast<char>(sequence >> 8), static_cast<char>(sequence)};
}

// A random start, so that the values do not tell how many tokens this
// process has made since it started.
uint16_t random_start() {
  std::string bytes = random_bytes(kSequenceBytes);
  return static_cast<uint16_t>((static_cast<unsigned char>(bytes[0]) << 8) | static_cast<unsigned char>(bytes[1]));
}

}  // namespace

uint16_t next_token_sequence() {
  static std::atomic<uint16_t> sequence{random_start()};
  return sequence.fetch_add(1, std::memory_order_relaxed);
}

std::string time_ordered_token(int64_t now) {
  return time_ordered_token(now, next_token_sequence(), random_bytes(kSecretBytes));
}

std::string time_ordered_token(int64_t now, uint16_t sequence, std::string_view bytes32) {
  return base64url_encode(time_bytes(now) + sequence_bytes(sequence) + std::string(bytes32));
}

std::string time_ordered_token_without_sequence(int64_t now, std::string_view bytes32) {
  return base64url_encode(time_bytes(now) + std::string(bytes32));
}

std::string token_storage_key(std::string_view token) {
  auto bytes = base64url_decode(token);
  if (!bytes) return sha256_hex(token);
  if (bytes->size() == kTimeBytes + kSequenceBytes + kSecretBytes) {
    return hex_encode(bytes->substr(0, kTimeBytes + kSequenceBytes)) + sha256_hex(token);
  }
  if (bytes->size() == kTimeBytes + kSecretBytes) return hex_encode(bytes->substr(0, kTimeBytes)) + sha256_hex(token);
  return sha256_hex(token);
}

std::string time_ordered_id(std::string_view prefix, int64_t now) {
  return std::string(prefix) + hex_encode(time_bytes(now) + sequence_bytes(next_token_sequence())) +
         hex_encode(random_bytes(16));
}

}  // namespace passerelle
