// Order checks for time-ordered keys and ids (core/time_ordered.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace passerelle::testing {

// Sorted, but for the one place where the 16-bit sequence may wrap.
inline bool sorted_but_for_one_wrap(const std::vector<std::string>& values) {
  size_t descents = 0;
  for (size_t i = 1; i < values.size(); ++i) descents += values[i] < values[i - 1] ? 1 : 0;
  return descents <= 1;
}

}  // namespace passerelle::testing
