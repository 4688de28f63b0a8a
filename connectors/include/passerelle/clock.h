// Clock: the only source of time for the broker and its connector plugins,
// injected so that lifetimes are tested exactly. Times are whole seconds since
// the Unix epoch. Implementations must be thread-safe.
#pragma once

#include <cstdint>

namespace passerelle {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now() const = 0;
};

}  // namespace passerelle
