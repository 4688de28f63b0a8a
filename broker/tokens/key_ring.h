// The broker's signing keys: kept in storage with their kid, the newest one
// of the configured algorithm signs, and every key still within its overlap
// period is published in the JWKS so tokens signed before a rotation keep
// verifying. Thread-safe: readers take a shared lock, rotation an exclusive one.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "jose/signing_key.h"
#include "storage/kv_store.h"

namespace passerelle {

struct StoredKey {
  std::string kid;
  std::string alg;
  std::string private_pem;
  int64_t created_at = 0;
  int64_t retired_at = 0;  // 0: the active key of its algorithm
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StoredKey, kid, alg, private_pem, created_at, retired_at)

class KeyRing {
 public:
  // A retired key stays published this long: longer than any token it signed lives.
  static constexpr int64_t kOverlap = 2 * 86400;

  // Loads the keys; generates and stores a key of `alg` if none is active.
  static Result<std::unique_ptr<KeyRing>> open(storage::KvStore& store, const Clock& clock, JwsAlg alg);

  SigningKey active() const;
  nlohmann::json jwks() const;
  std::vector<JwsAlg> algorithms() const;  // of the published keys, for verification

  // Generates a new active key; the previous one is retired but stays published.
  Result<std::string> rotate();

 private:
  KeyRing(storage::KvStore& store, const Clock& clock, JwsAlg alg) : store_(store), clock_(clock), alg_(alg) {}
  Status reload();

  storage::KvStore& store_;
  const Clock& clock_;
  JwsAlg alg_;
  mutable std::shared_mutex mu_;
  std::vector<SigningKey> published_;  // active first
};

}  // namespace passerelle
