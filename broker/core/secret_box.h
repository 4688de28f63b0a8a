// Secrets the broker must be able to read back (TOTP keys) are sealed with
// AES-256-GCM, and values it hands out and later trusts (remembered-browser
// cookies) are MACed. Both use keys derived, per purpose, from one 256-bit
// master key kept in a file of its own beside the store (mode 0600), so a
// copy of the store alone reveals no TOTP key. Thread-safe: immutable.
#pragma once

#include <string>
#include <string_view>

#include "passerelle/result.h"

namespace passerelle {

class SecretBox {
 public:
  static constexpr size_t kKeySize = 32;

  // REQUIRES: master_key.size() == kKeySize.
  explicit SecretBox(std::string master_key) : master_key_(std::move(master_key)) {}

  // Reads the master key from `path`, or creates the file with a new random
  // key when it does not exist. kCorruption when the file has the wrong size.
  static Result<SecretBox> open_key_file(const std::string& path);

  // nonce (12 bytes) || ciphertext || tag (16 bytes).
  std::string seal(std::string_view purpose, std::string_view plaintext) const;
  // kPermissionDenied when `sealed` was not made by seal() with this key and purpose.
  Result<std::string> open(std::string_view purpose, std::string_view sealed) const;

  // HMAC-SHA-256 of `data` under the key for `purpose`.
  std::string mac(std::string_view purpose, std::string_view data) const;

 private:
  std::string key_for(std::string_view purpose) const;

  std::string master_key_;
};

}  // namespace passerelle
