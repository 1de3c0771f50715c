#!/usr/bin/env bash
# Installs what is missing (Debian packages, Debian source packages, npm packages) and
# unpacks third-party sources into the cache folder; idempotent, safe to run every time.
# Usage: scripts/setup-deps.sh [--web]   (--web adds Emscripten, SDL2/ImGui sources, Chromium)
set -euo pipefail

want_web=0
[ "${1:-}" = "--web" ] && want_web=1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${SER_CACHE:-$HOME/.cache/ser}"
mkdir -p "$cache/src" "$cache/include"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pkgs=(build-essential cmake ninja-build pkg-config libeigen3-dev libsndfile1-dev
      nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev dpkg-dev python3)
if [ "$want_web" = 1 ]; then
  # sox: the browser tests convert a FLAC clip to the WAV that the fake microphone needs.
  pkgs+=(emscripten libsdl2-dev chromium node-acorn sox)
  # node and npm may come from another vendor's package (as on these machines): only
  # ask Debian for them when there is no node at all.
  command -v node >/dev/null && command -v npm >/dev/null || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Debian source lists are needed for `apt-get source`.
src_list=/etc/apt/sources.list.d/debian-src.sources
need_update=0
if [ ! -f "$src_list" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$src_list" >/dev/null
  need_update=1
fi
if [ ${#missing[@]} -gt 0 ] || [ "$need_update" = 1 ]; then
  echo "[setup] apt-get update"
  as_root apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Third-party sources built into the core for both native and WebAssembly, so that
# both targets run the very same FFT and resampler code.
fetch_source() { # $1 = Debian source package, $2 = folder name it unpacks to (glob)
  local name="$1" pattern="$2"
  if ! compgen -G "$cache/src/$pattern" >/dev/null; then
    echo "[setup] apt-get source $name"
    (cd "$cache/src" && apt-get source -qq "$name" >/dev/null 2>&1 || apt-get source "$name")
  fi
}
fetch_source kissfft 'kissfft-*/'
fetch_source libsoxr 'libsoxr-*/'
if [ "$want_web" = 1 ]; then
  fetch_source libsdl2 'libsdl2-2*/'
  fetch_source imgui 'imgui-*/'
fi

# Header-only libraries copied to a folder of their own, so the WebAssembly build can
# include them without putting the host's /usr/include on its path.
[ -d "$cache/include/Eigen" ] || cp -r /usr/include/eigen3/Eigen "$cache/include/"
[ -d "$cache/include/nlohmann" ] || cp -r /usr/include/nlohmann "$cache/include/"

if [ "$want_web" = 1 ] && [ ! -d "$cache/node/node_modules/playwright-core" ]; then
  mkdir -p "$cache/node"
  (cd "$cache/node" && { [ -f package.json ] || echo '{"name":"ser-test-deps","private":true}' > package.json; } \
     && npm install --no-audit --no-fund --silent playwright-core@1)
fi
echo "[setup] dependencies ready in $cache"
