// Brute-force protection for password logins (issue: block an account for
// one IP after repeated failures). Failures are counted per (account, IP);
// at the limit the pair is blocked for a while, even for the right
// password, and a success clears the count. Administrators list and lift
// blocks through the Management API. Thread-safe (state in the KvStore).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "storage/kv_store.h"

namespace passerelle {

struct LoginBlockPolicy {
  int64_t max_failures = 10;  // 0: never block
  int64_t block_seconds = 900;
};

struct BlockedFor {
  std::string identifier;  // the e-mail as typed at login, lower-cased
  std::string ip;
  int64_t until = 0;
};

class LoginBlocks {
 public:
  LoginBlocks(storage::KvStore& store, const Clock& clock, LoginBlockPolicy policy)
      : store_(store), clock_(clock), policy_(policy) {}

  // Seconds until `identifier` may log in again from `ip`; 0 when not blocked.
  Result<int64_t> blocked_for(std::string_view identifier, std::string_view ip);

  // Counts a failed login; returns true when this failure started a block.
  Result<bool> record_failure(std::string_view identifier, std::string_view ip);

  // A successful login forgets the pair's failures.
  Status record_success(std::string_view identifier, std::string_view ip);

  // The live blocks of an account, and lifting them all.
  Result<std::vector<BlockedFor>> list(std::string_view identifier);
  Status unblock(std::string_view identifier);

 private:
  storage::KvStore& store_;
  const Clock& clock_;
  LoginBlockPolicy policy_;
};

}  // namespace passerelle
