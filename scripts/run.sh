#!/usr/bin/env bash
# Installs what is missing, builds the web app (and the native CLI) and serves the app on
# 127.0.0.1. Extra arguments go to serve.py (--host, --port).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup-deps.sh" --web
"$here/scripts/build.sh" --wasm
exec python3 "$here/serve.py" "$@"
