#!/usr/bin/env bash
# Builds SDL2 (Debian source package, unpacked by scripts/setup-deps.sh) as a static
# WebAssembly library into $SER_CACHE/sdl2-wasm, for the web app (toolchain.md trap 2:
# -sUSE_SDL=2 would download a port). Idempotent: skipped when the library is already there.
set -euo pipefail
cache="${SER_CACHE:-$HOME/.cache/ser}"
prefix="$cache/sdl2-wasm"
if [ -f "$prefix/lib/libSDL2.a" ] && [ -f "$prefix/include/SDL2/SDL.h" ]; then
  exit 0
fi
src="$(ls -d "$cache"/src/libsdl2-*/ 2>/dev/null | head -n1 || true)"
if [ -z "$src" ]; then
  echo "build-sdl2-wasm: no SDL2 source in $cache/src; run scripts/setup-deps.sh --web" >&2
  exit 1
fi
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
build="$cache/build/sdl2-wasm"
rm -rf "$build"
echo "build-sdl2-wasm: building SDL2 for WebAssembly (a few minutes, once)"
# The app uses video + events (WebGL2 canvas, input) only: sound goes through Web Audio
# directly, so audio, rendering, haptics, HID, power and sensors are left out.
emcmake cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_TESTS=OFF \
  -DSDL_AUDIO=OFF -DSDL_RENDER=OFF -DSDL_HAPTIC=OFF -DSDL_HIDAPI=OFF -DSDL_POWER=OFF \
  -DSDL_SENSOR=OFF -DSDL_LOCALE=OFF -DSDL_THREADS=OFF -DSDL_CCACHE=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
cmake --install "$build" >/dev/null
echo "build-sdl2-wasm: installed into $prefix"
