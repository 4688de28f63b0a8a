#include "security/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace passerelle {
namespace {

// Buckets refilled to the brim carry no information; past this many keys
// they are dropped so a flood of addresses cannot grow memory for good.
constexpr size_t kPruneAbove = 10000;

}  // namespace

int64_t RateLimiter::take(std::string_view key) {
  if (per_minute_ == 0) return 0;
  const int64_t now = clock_.now();
  const double capacity = static_cast<double>(per_minute_);
  const double per_second = capacity / 60.0;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) it = buckets_.emplace(std::string(key), Bucket{capacity, now}).first;
  Bucket& b = it->second;
  b.tokens = std::min(capacity, b.tokens + static_cast<double>(now - b.updated_at) * per_second);
  b.updated_at = now;
  int64_t wait = 0;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
  } else {
    wait = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_second)));
  }
  if (buckets_.size() > kPruneAbove) {
    std::erase_if(buckets_, [&](const auto& entry) {
      const Bucket& other = entry.second;
      return other.tokens + static_cast<double>(now - other.updated_at) * per_second >= capacity;
    });
  }
  return wait;
}

}  // namespace passerelle
