#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang-14 in a
# fresh build folder and runs each one for a few seconds over a copy of its
# seed corpus (the committed corpus/ is never written). Every committed input
# is replayed first, so the crash inputs kept there are regression tests too.
#   usage: tests/fuzz/smoke.sh [BUILD_DIR]   (default build-fuzz, relative
#          to the repository root)
#   PASSERELLE_FUZZ_SECONDS: time per target (default 5)
#   PASSERELLE_JOBS: build parallelism (default 2)
# Exits non-zero when the build fails or any target crashes, leaks, times
# out or breaks an invariant; the input that did it is kept in
# BUILD_DIR/fuzz-runs/<name>/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"

build_dir="${1:-build-fuzz}"
seconds="${PASSERELLE_FUZZ_SECONDS:-5}"
jobs="${PASSERELLE_JOBS:-2}"
if [[ -z "$build_dir" || "$build_dir" == "/" || "$build_dir" == "." ]]; then
  echo "smoke.sh: refusing to use '$build_dir' as a build folder" >&2
  exit 2
fi

rm -rf -- "$build_dir"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build_dir" \
  -DPASSERELLE_FUZZ=ON -DPASSERELLE_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir" -j "$jobs" --target passerelle_fuzzers

passed=0
failed=()
for source in tests/fuzz/*_fuzz.cpp; do
  name="$(basename "$source" _fuzz.cpp)"
  run_dir="$build_dir/fuzz-runs/$name"
  mkdir -p "$run_dir/corpus"
  cp -- tests/fuzz/corpus/"$name"/* "$run_dir/corpus/"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$run_dir/")
  if [[ -f "tests/fuzz/$name.dict" ]]; then args+=(-dict="tests/fuzz/$name.dict"); fi
  echo "==== fuzz $name for ${seconds} s ===="
  if "$build_dir/tests/fuzz/${name}_fuzz" "${args[@]}" "$run_dir/corpus" > "$run_dir/log" 2>&1; then
    tail -n 12 "$run_dir/log" | grep -E '^(stat::number_of_executed_units|Done)' || true
    passed=$((passed + 1))
  else
    tail -n 60 "$run_dir/log"
    failed+=("$name")
  fi
done

echo "fuzz: ${passed} passed, ${#failed[@]} failed"
if ((${#failed[@]})); then
  echo "fuzz: failing targets: ${failed[*]} (inputs in $build_dir/fuzz-runs/)" >&2
  exit 1
fi
