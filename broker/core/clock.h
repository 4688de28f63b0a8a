// Clock: the broker's only source of time, injected so that lifetimes are
// tested exactly. Times are whole seconds since the Unix epoch.
// SystemClock is thread-safe; ManualClock is for tests and is thread-safe too.
#pragma once

#include <atomic>
#include <cstdint>

namespace passerelle {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now() const = 0;
};

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
