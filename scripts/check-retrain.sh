#!/usr/bin/env bash
# Retrains the shipped RAVDESS-only models with the commands of models/README.md and checks that the new code
# gives the same weights bit for bit (the metadata, with its date, may differ). With --ser the three ser-* models
# too (about 8 minutes more on 2 cores). Usage: scripts/check-retrain.sh [--ser] [build/native/ser]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_ser=0
[ "${1:-}" = "--ser" ] && { with_ser=1; shift; }
ser="${1:-$here/build/native/ser}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$here"
D=../shared/data/ravdess
O=(--set emo --dropout 0.5 --l2 0.001 --augment 3 --jobs 2 --quiet)
"$ser" train --data $D --out "$tmp/ravdess-3class.sermodel" --emotions angry,neutral,happy "${O[@]}" --protocol speaker >"$tmp/3.log"
"$ser" train --data $D --out "$tmp/ravdess-8class.sermodel" "${O[@]}" --protocol speaker >"$tmp/8.log"
names="ravdess-3class ravdess-8class"
if [ "$with_ser" = 1 ]; then
  C=(--data ../shared/data/ravdess --data ../shared/data/ased --data ../shared/data/savee --data ../shared/data/nemo)
  S=(--set emo --dropout 0.5 --l2 0.001 --augment 3 --jobs 2 --no-corpus-weights --quiet)
  "$ser" train "${C[@]}" --emotions angry,neutral,happy "${S[@]}" --calibrate 2 --cal-draws 3 --protocol speaker,loco --out "$tmp/ser-3class.sermodel" >"$tmp/s3.log"
  "$ser" train "${C[@]}" --emotions angry,happy,neutral,sad "${S[@]}" --calibrate 2 --cal-draws 3 --protocol speaker,loco --out "$tmp/ser-4class.sermodel" >"$tmp/s4.log"
  "$ser" train "${C[@]}" "${S[@]}" --protocol speaker --out "$tmp/ser-8class.sermodel" >"$tmp/s8.log"
  names="$names ser-3class ser-4class ser-8class"
fi
# SERMODEL: magic (8), version (u32), header length (u32), JSON header, float32 arrays, CRC-32 (4).
# Header keys the shipped files predate (the "normaliser" record) are not compared; every key they have is.
python3 - "$tmp" $names <<'PY'
import json, struct, sys
def parts(path):
    b = open(path, "rb").read()
    n = struct.unpack_from("<I", b, 12)[0]
    header = json.loads(b[16:16 + n])
    header.pop("metadata", None)
    return header, b[16 + n:-4]
bad = 0
for name in sys.argv[2:]:
    h_old, w_old = parts(f"models/{name}.sermodel" if name.startswith("ser-") else f"models/ravdess/{name}.sermodel")
    h_new, w_new = parts(f"{sys.argv[1]}/{name}.sermodel")
    same = all(h_old[k] == h_new.get(k) for k in h_old) and w_old == w_new
    print(f"{name}: {'same weights, bit for bit' if same else 'DIFFERENT'} ({len(w_old)} bytes of weights)")
    bad += not same
sys.exit(1 if bad else 0)
PY
grep -h "^  UAR" "$tmp/3.log" "$tmp/8.log"
