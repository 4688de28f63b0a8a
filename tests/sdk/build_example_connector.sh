#!/usr/bin/env bash
# Builds fixtures/example_connector the way a third party would: installs the
# Passerelle build <build_dir> into <out_dir>/prefix, configures the example
# against that prefix with find_package(Passerelle), builds it, and leaves the
# module at <out_dir>/plugins/example.so.
#
#   usage: build_example_connector.sh <build_dir> <out_dir>
#
# Environment: CMAKE (default: cmake on PATH); CXX, read by CMake as usual,
# picks the compiler, which must be the broker's (passerelle/plugin.h).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <build_dir> <out_dir>" >&2
  exit 2
fi
build_dir=$1
out_dir=$2
if [[ -z "$out_dir" || "$out_dir" == "/" ]]; then
  echo "$0: refusing to use '$out_dir' as the output folder" >&2
  exit 2
fi
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cmake_bin=${CMAKE:-cmake}

# From scratch, so that nothing of an earlier install can hide a missing file.
rm -rf -- "$out_dir/prefix" "$out_dir/build" "$out_dir/plugins"

"$cmake_bin" --install "$build_dir" --prefix "$out_dir/prefix"
"$cmake_bin" -S "$repo_root/fixtures/example_connector" -B "$out_dir/build" \
  -DCMAKE_PREFIX_PATH="$out_dir/prefix"
"$cmake_bin" --build "$out_dir/build"

mkdir -p "$out_dir/plugins"
cp "$out_dir/build/example.so" "$out_dir/plugins/example.so"
echo "built $out_dir/plugins/example.so"
