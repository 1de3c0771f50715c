#!/usr/bin/env bash
# One analysis path: `ser classify` and `ser eval --model` give the same label and the same
# probabilities, file by file, with the shipped models; a clip one refuses (silence) the other
# refuses too. (The browser e2e checks that the app equals `ser classify`.) Usage: test_cli_agree.sh path/to/ser
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

mkdir -p "$tmp/data"
for f in Actor_01/03-01-05-02-01-01-01 Actor_02/03-01-01-01-02-02-02 Actor_07/03-01-03-02-01-02-07 \
         Actor_12/03-01-04-01-02-01-12 Actor_15/03-01-06-02-01-01-15 Actor_20/03-01-08-01-01-02-20; do
  cp "$shared/data/ravdess/$f.flac" "$tmp/data/"
done
# A RAVDESS-named clip of pure silence (1 s, 16-bit): both commands must refuse it, not score it.
python3 -c "
import struct,sys
n=16000; d=b'\0\0'*n
h=b'RIFF'+struct.pack('<I',36+len(d))+b'WAVEfmt '+struct.pack('<IHHIIHH',16,1,1,16000,32000,2,16)+b'data'+struct.pack('<I',len(d))
open(sys.argv[1],'wb').write(h+d)" "$tmp/data/03-01-01-01-01-01-09.wav"

for m in "$here"/models/*.sermodel; do
  name="$(basename "$m" .sermodel)"
  "$ser" classify --model "$m" --format json "$tmp/data" >"$tmp/classify.json" 2>"$tmp/classify.err"
  rc_c=$?
  "$ser" eval --model "$m" --format json --no-cache --quiet "$tmp/data" >"$tmp/eval.json" 2>"$tmp/eval.err"
  rc_e=$?
  [ "$rc_c" = 1 ] && grep -q "silent" "$tmp/classify.err" && pass "$name: classify refuses the silent clip" \
    || fail "$name: classify rc $rc_c: $(head -c 300 "$tmp/classify.err")"
  [ "$rc_e" = 1 ] && grep -q "silent" "$tmp/eval.err" && pass "$name: eval --model refuses the silent clip" \
    || fail "$name: eval rc $rc_e: $(head -c 300 "$tmp/eval.err")"
  if python3 - "$tmp/classify.json" "$tmp/eval.json" <<'PY'
import json, os, sys
c = {os.path.basename(x["file"]): x for x in json.load(open(sys.argv[1]))}
e = {os.path.basename(x["file"]): x for x in json.load(open(sys.argv[2]))["predictions"]}
# eval scores only the clips of the model's classes; each of those must equal classify exactly.
assert e, "eval scored no clip"
assert all(k in c for k in e), (sorted(e), sorted(c))
for k, x in e.items():
    assert x["label"] == c[k]["label"], (k, x["label"], c[k]["label"])
    assert x["probabilities"] == c[k]["probabilities"], (k, x["probabilities"], c[k]["probabilities"])
print(len(e), "clips equal")
PY
  then pass "$name: eval --model = classify, file by file"; else fail "$name: eval and classify differ"; fi
done
finish
