// The broker's clocks. The Clock interface itself is part of the connector
// SDK (passerelle/clock.h) so that plugins read the same, injected time.
// SystemClock is thread-safe; ManualClock is for tests and is thread-safe too.
#pragma once

#include <atomic>
#include <cstdint>

#include "passerelle/clock.h"

namespace passerelle {

class SystemClock final : public Clock {
 public:
  int64_t now() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start) : now_(start) {}
  int64_t now() const override { return now_.load(); }
  void advance(int64_t seconds) { now_ += seconds; }
  void set(int64_t t) { now_ = t; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace passerelle
