#!/usr/bin/env bash
# Builds the native tree (CLI, tests, benchmarks) into build/native; with --wasm also the
# WebAssembly tree (core tests, web app) into build/wasm. Incremental: reruns are cheap.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"
want_wasm=0
[ "${1:-}" = "--wasm" ] && want_wasm=1

cmake -S "$here" -B "$here/build/native" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build/native" -j "$jobs"

if [ "$want_wasm" = 1 ]; then
  # toolchain.md trap 1: Emscripten's JS optimizer needs Debian's acorn on NODE_PATH.
  export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
  if [ -x "$here/scripts/build-sdl2-wasm.sh" ]; then "$here/scripts/build-sdl2-wasm.sh"; fi
  emcmake cmake -S "$here" -B "$here/build/wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$here/build/wasm" -j "$jobs"
fi
