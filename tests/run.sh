#!/usr/bin/env bash
# Runs every test of Passerelle from a clean state:
#   1. installs missing dependencies (.ci/install-deps),
#   2. builds from scratch in build/ with warnings as errors,
#   3. runs all CTest tests there (doctest unit tests and the end-to-end tests),
#   4. builds the unit tests again under AddressSanitizer and UBSan in
#      build-asan/ and runs them.
# Exits non-zero at the first failure.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

jobs="${PASSERELLE_JOBS:-2}"
# Build folders, relative to the repository root; overridable so that a second
# checkout of the tests can run beside a developer's own build/.
build_dir="${PASSERELLE_BUILD_DIR:-build}"
asan_dir="${PASSERELLE_ASAN_BUILD_DIR:-build-asan}"
for dir in "$build_dir" "$asan_dir"; do
  if [[ -z "$dir" || "$dir" == "/" || "$dir" == "." ]]; then
    echo "run.sh: refusing to use '$dir' as a build folder" >&2
    exit 2
  fi
done
started_at=$SECONDS

section() {
  printf '\n==== %s ====\n' "$*"
}

section "Dependencies"
bash .ci/install-deps

section "Configure $build_dir/ (warnings as errors)"
rm -rf -- "$build_dir"
cmake -S . -B "$build_dir" -DPASSERELLE_WERROR=ON

section "Build $build_dir/"
cmake --build "$build_dir" -j "$jobs"

section "Tests: unit and end-to-end (ctest in $build_dir/)"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"

section "Configure $asan_dir/ (AddressSanitizer + UBSan, unit tests only)"
rm -rf -- "$asan_dir"
cmake -S . -B "$asan_dir" -DPASSERELLE_SANITIZE=ON -DPASSERELLE_E2E=OFF

section "Build passerelle_tests in $asan_dir/"
cmake --build "$asan_dir" -j "$jobs" --target passerelle_tests

section "Tests: unit tests under sanitizers (ctest in $asan_dir/)"
ctest --test-dir "$asan_dir" --output-on-failure -j "$jobs"

section "All tests passed in $((SECONDS - started_at)) s"
