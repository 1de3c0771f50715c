#!/usr/bin/env bash
# Installs what is missing, builds native and WebAssembly, and runs every test:
# native unit tests, the same unit tests under node (WebAssembly), CLI checks, browser end-to-end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-deps.sh" --web
"$here/scripts/build.sh" --wasm
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
passed=0
failed=0
failed_names=()
suite() {  # suite NAME command...: runs one suite, counts it, never stops the others
  local name="$1"
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failed_names+=("$name")
  fi
}
suite "native unit tests" ctest --test-dir "$here/build/native" --output-on-failure -j 2
suite "WebAssembly unit tests (node)" ctest --test-dir "$here/build/wasm" --output-on-failure
for t in "$here"/tests/cli/test_*.sh; do
  [ -f "$t" ] || continue
  suite "$(basename "$t")" bash "$t" "$here/build/native/ser"
done
if [ -f "$here/tests/e2e/run.sh" ]; then
  suite "browser end-to-end" bash "$here/tests/e2e/run.sh"
fi
[ "$failed" = 0 ] || echo "failed suites: ${failed_names[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
