// Per-client-IP request budgets (token buckets) for the endpoints that take
// credentials: a client over its budget gets 429 with Retry-After. Kept in
// memory: each broker node limits what reaches it. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace passerelle {

class RateLimiter {
 public:
  // `per_minute` requests per key and minute, refilled evenly, with a burst
  // of a full minute's budget. 0 turns the limiter off.
  RateLimiter(const Clock& clock, int64_t per_minute) : clock_(clock), per_minute_(per_minute) {}

  // Takes one request from `key`'s budget: 0 when allowed, otherwise the
  // seconds until one more request would be.
  int64_t take(std::string_view key);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_at = 0;
  };

  const Clock& clock_;
  const int64_t per_minute_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace passerelle
