# Shared helpers for the CLI checks (sourced by tests/cli/test_*.sh, not run on its own).
# Sets: ser (the binary, $1 of the test script), here (repo root), shared (../shared), tmp (removed at exit).
ser="${1:?usage: $0 path/to/ser}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
shared="$here/../shared"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
pass() { echo "ok   $1"; passes=$((passes + 1)); }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# expect NAME EXPECTED_RC STDERR_NEEDLE -- command...   (stdout -> $tmp/out, stderr -> $tmp/err)
expect() {
  local name="$1" want="$2" needle="$3"
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    fail "$name: exit $rc, expected $want; stderr: $(head -c 300 "$tmp/err")"
  elif [ -n "$needle" ] && ! grep -q -- "$needle" "$tmp/err"; then
    fail "$name: stderr lacks '$needle': $(head -c 300 "$tmp/err")"
  else
    pass "$name"
  fi
}

# json_ok NAME PYTHON-EXPRESSION-ON-d   ($tmp/out parsed as JSON into d)
json_ok() {
  if python3 -c "import json,sys; d=json.load(open('$tmp/out')); sys.exit(0 if ($2) else 1)"; then pass "$1"; else fail "$1: $(head -c 300 "$tmp/out")"; fi
}

# Last line of every CLI check: "N passed, N failed", exit status 1 on any failure.
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" = 0 ]
}
