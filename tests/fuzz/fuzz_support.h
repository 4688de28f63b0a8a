// What the libFuzzer targets share: the invariant check that turns a broken
// property into a crash the fuzzer keeps, and reading test fixtures from the
// source tree. Header-only; each target is single-threaded.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace passerelle::fuzz {

// Aborts (a crash for libFuzzer, which then saves the input) when a property
// of the code under test does not hold.
inline void require(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", property);
  std::abort();
}

// A fixture file of the source tree (PASSERELLE_SOURCE_ROOT is set by
// tests/fuzz/CMakeLists.txt); aborts when it cannot be read, since the
// target would otherwise fuzz nothing useful.
inline std::string read_source_file(const std::string& relative_path) {
  std::ifstream in(std::string(PASSERELLE_SOURCE_ROOT) + "/" + relative_path, std::ios::binary);
  require(static_cast<bool>(in), "fixture file is readable");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace passerelle::fuzz
