#!/usr/bin/env bash
# Runs every test of Passerelle from a clean state:
#   1. installs missing dependencies (.ci/install-deps),
#   2. builds from scratch in build/ with warnings as errors, under
#      AddressSanitizer and UBSan, unoptimized (one build serves every test: the
#      unit tests and the broker the end-to-end tests start are the same
#      instrumented code),
#   3. runs all CTest tests there (doctest unit tests, the SDK tests and the
#      end-to-end tests with real clients, IdPs and Chromium),
#   4. builds the libFuzzer targets with clang in build-fuzz/ and runs each
#      for a few seconds over its seed corpus (tests/fuzz/smoke.sh).
# Exits non-zero at the first failure.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

jobs="${PASSERELLE_JOBS:-2}"
# Build folders, relative to the repository root; overridable so that a second
# checkout of the tests can run beside a developer's own build/.
build_dir="${PASSERELLE_BUILD_DIR:-build}"
if [[ -z "$build_dir" || "$build_dir" == "/" || "$build_dir" == "." ]]; then
  echo "run.sh: refusing to use '$build_dir' as a build folder" >&2
  exit 2
fi
started_at=$SECONDS

section() {
  printf '\n==== %s ====\n' "$*"
}

section "Dependencies"
bash .ci/install-deps

section "Configure $build_dir/ (warnings as errors, AddressSanitizer + UBSan)"
rm -rf -- "$build_dir"
# Unoptimized, with line tables only: the sanitizers find the same bugs at
# -O0, and the build takes about a fifth of the time it takes at -O2 -g.
cmake -S . -B "$build_dir" -DPASSERELLE_WERROR=ON -DPASSERELLE_SANITIZE=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DCMAKE_C_FLAGS_DEBUG="-O0 -g1"

section "Build $build_dir/"
cmake --build "$build_dir" -j "$jobs"

section "Tests: unit and end-to-end (ctest in $build_dir/)"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"

section "Fuzz smoke (libFuzzer, clang-14)"
bash tests/fuzz/smoke.sh "${PASSERELLE_FUZZ_BUILD_DIR:-build-fuzz}"

section "All tests passed in $((SECONDS - started_at)) s"
