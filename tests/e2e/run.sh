#!/usr/bin/env bash
# Browser end-to-end tests of the web app in headless Chromium (playwright-core, no browser
# download). Starts serve.py on a free port itself; artifacts (screenshots, the fake-microphone
# WAV, a JSON report) go to tests/e2e/artifacts/ (ignored by git).
# Usage: tests/e2e/run.sh [build/wasm/web]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
web="${1:-$here/build/wasm/web}"
cache="${SER_CACHE:-$HOME/.cache/ser}"
art="$here/tests/e2e/artifacts"
mkdir -p "$art"
if [ ! -f "$web/app.wasm" ]; then
  echo "e2e: no web build in $web; run scripts/build.sh --wasm first" >&2
  exit 1
fi
if [ ! -d "$cache/node/node_modules/playwright-core" ]; then
  echo "e2e: playwright-core missing in $cache/node (scripts/setup-deps.sh --web)" >&2
  exit 1
fi
data="$here/../shared/data/ravdess"
# The fake microphone needs a WAV: an angry RAVDESS clip at 48 kHz (a typical device rate).
mic_src="$data/Actor_01/03-01-05-02-01-01-01.flac"
if [ ! -f "$art/mic.wav" ] || [ "$mic_src" -nt "$art/mic.wav" ]; then
  sox "$mic_src" -r 48000 -b 16 -c 1 "$art/mic.wav"
fi
# Native answers for the parity check (ser classify --format json), when the CLI has classify.
ser_cli="$here/build/native/ser"
export NODE_PATH="$cache/node/node_modules"
status=0
python3 "$here/tests/e2e/test_serve.py" || status=1
node "$here/tests/e2e/e2e.js" --web "$web" --serve "$here/serve.py" --data "$data" \
  --artifacts "$art" --mic "$art/mic.wav" --cli "$ser_cli" --models "$web/models" || status=1
exit $status
