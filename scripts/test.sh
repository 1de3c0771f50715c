#!/usr/bin/env bash
# Installs what is missing, builds native and WebAssembly, and runs every test:
# native unit tests, the same unit tests under node (WebAssembly), CLI checks, browser end-to-end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-deps.sh" --web
"$here/scripts/build.sh" --wasm
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
status=0
echo "== native unit tests"
ctest --test-dir "$here/build/native" --output-on-failure -j 2 || status=1
echo "== WebAssembly unit tests (node)"
ctest --test-dir "$here/build/wasm" --output-on-failure || status=1
for t in "$here"/tests/cli/test_*.sh; do
  [ -f "$t" ] || continue
  echo "== $(basename "$t")"
  bash "$t" "$here/build/native/ser" || status=1
done
if [ -f "$here/tests/e2e/run.sh" ]; then
  echo "== browser end-to-end"
  bash "$here/tests/e2e/run.sh" || status=1
fi
exit $status
