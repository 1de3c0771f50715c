#!/usr/bin/env bash
# CLI checks for `ser train`, `ser classify`, `ser eval` and `ser info MODEL`: exit codes, messages,
# JSON that parses, plots written, bad models refused. Usage: tests/cli/test_cli_model.sh path/to/ser
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# Three actors, three emotions (60 clips): small enough to train in well under a second.
mkdir -p "$tmp/data"
for a in 01 02 03; do
  cp "$shared"/data/ravdess/Actor_$a/03-01-0[135]-*.flac "$tmp/data/"
done
common=(--emotions angry,neutral,happy --cache "$tmp/cache" --quiet)

expect "train writes a model" 0 "" -- "$ser" train --data "$tmp/data" "${common[@]}" --epochs 40 --batch 16 --out "$tmp/m.sermodel"
[ -s "$tmp/m.sermodel" ] && pass "model file exists" || fail "model file missing"
grep -q "wrote" "$tmp/out" && pass "train reports the file" || fail "train output: $(cat "$tmp/out")"
expect "train is deterministic" 0 "" -- "$ser" train --data "$tmp/data" "${common[@]}" --epochs 40 --batch 16 --out "$tmp/m2.sermodel"
# Same seed, same weights: the float arrays after the JSON header (which holds the date) are equal.
weights() { python3 -c "import struct,sys; b=open(sys.argv[1],'rb').read(); n=struct.unpack('<I', b[12:16])[0]; sys.stdout.buffer.write(b[16+n:-4])" "$1"; }
if cmp -s <(weights "$tmp/m.sermodel") <(weights "$tmp/m2.sermodel"); then
  pass "same seed gives the same weights"
else
  fail "same seed gave different weights"
fi

expect "info on a model" 0 "" -- "$ser" info "$tmp/m.sermodel"
grep -q "angry, neutral, happy" "$tmp/out" && grep -q "162 -> 256 ReLU -> 3 softmax" "$tmp/out" && pass "info lists classes and layers" \
  || fail "info output: $(head -c 400 "$tmp/out")"

clip="$shared/data/ravdess/Actor_01/03-01-05-02-01-01-01.flac"
expect "classify text" 0 "" -- "$ser" classify --model "$tmp/m.sermodel" "$clip"
grep -q "angry" "$tmp/out" && pass "classify prints labels" || fail "classify output: $(cat "$tmp/out")"
expect "classify json" 0 "" -- "$ser" classify --model "$tmp/m.sermodel" --format json "$clip" "$tmp/data"
json_ok "classify json parses, probabilities sum to 1" \
  "len(d) == 61 and all(abs(sum(x['probabilities'].values()) - 1) < 1e-4 and x['label'] in x['probabilities'] for x in d)"
echo "not audio" >"$tmp/bad.wav"
expect "classify skips unreadable files" 1 "bad.wav" -- "$ser" classify --model "$tmp/m.sermodel" "$tmp/bad.wav" "$clip"
grep -q "03-01-05-02-01-01-01" "$tmp/out" && pass "classify still prints the good file" || fail "good file missing"
python3 -c "import sys; sys.stdout.buffer.write(b'\0' * 16000 * 2)" >"$tmp/raw"
python3 - "$tmp" <<'PY'
import sys, wave
w = wave.open(sys.argv[1] + "/silence.wav", "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
w.writeframes(b"\0" * 32000); w.close()
PY
expect "classify refuses silence" 1 "silent" -- "$ser" classify --model "$tmp/m.sermodel" "$tmp/silence.wav"

expect "eval a model, json" 0 "" -- "$ser" eval --model "$tmp/m.sermodel" "$tmp/data" --format json --cache "$tmp/cache" --quiet --plots "$tmp/plots"
json_ok "eval json has metrics" "d['metrics']['n'] == 60 and len(d['metrics']['confusion']) == 3 and 0 <= d['metrics']['uar'] <= 1"
[ -s "$tmp/plots/confusion.svg" ] && [ -s "$tmp/plots/curves.svg" ] && pass "plots written" || fail "plots missing"
python3 -c "import xml.dom.minidom,sys; [xml.dom.minidom.parse(f) for f in sys.argv[1:]]" "$tmp/plots/confusion.svg" "$tmp/plots/curves.svg" \
  && pass "plots are well-formed SVG" || fail "plots are not XML"

expect "speaker protocol" 0 "" -- "$ser" eval --protocol speaker --folds 3 --data "$tmp/data" "${common[@]}" --epochs 30 --format json
json_ok "speaker folds cover every clip once" "len(d['folds']) == 3 and sum(f['n_test'] for f in d['folds']) == 60 and d['pooled']['n'] == 60"
expect "random protocol" 0 "" -- "$ser" eval --protocol random --seeds 2 --data "$tmp/data" "${common[@]}" --epochs 30
grep -q "mean" "$tmp/out" && pass "random protocol prints a summary" || fail "random output: $(head -c 300 "$tmp/out")"
expect "oracle speaker normalisation" 0 "" -- "$ser" eval --protocol speaker --folds 3 --speaker-norm --data "$tmp/data" "${common[@]}" --epochs 30 --format json
json_ok "oracle run is labelled as such" "d['speaker_normalised_oracle'] is True and d['pooled']['n'] == 60"
expect "speaker protocol with augmented copies" 0 "" -- "$ser" eval --protocol speaker --folds 3 --augment 2 --data "$tmp/data" "${common[@]}" --epochs 30 --format json
json_ok "copies train but are never tested" "sum(f['n_test'] for f in d['folds']) == 60 and all(f['n_train'] == 3 * (60 - f['n_test']) for f in d['folds'])"
expect "train with augmented copies" 0 "" -- "$ser" train --data "$tmp/data" "${common[@]}" --epochs 20 --augment 1 --out "$tmp/aug.sermodel"
expect "info shows the augmentation" 0 "" -- "$ser" info "$tmp/aug.sermodel"
grep -q "1 copies per clip" "$tmp/out" && pass "augmentation recorded in the model" || fail "info output: $(head -c 600 "$tmp/out")"
expect "bad augment count" 2 "--augment" -- "$ser" train --data "$tmp/data" --augment 65 --out "$tmp/x.sermodel"
expect "augment refused with a model file" 2 "--protocol only" -- "$ser" eval --model "$tmp/m.sermodel" --augment 1 "$tmp/data"
expect "oracle refused with a model file" 2 "--protocol only" -- "$ser" eval --model "$tmp/m.sermodel" --speaker-norm "$tmp/data"

# Refusals.
head -c 1000 "$tmp/m.sermodel" >"$tmp/trunc.sermodel"
expect "truncated model refused" 1 "truncated" -- "$ser" classify --model "$tmp/trunc.sermodel" "$clip"
cp "$tmp/m.sermodel" "$tmp/corrupt.sermodel"
printf '\x7f' | dd of="$tmp/corrupt.sermodel" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect "corrupt model refused" 1 "CRC-32" -- "$ser" eval --model "$tmp/corrupt.sermodel" "$tmp/data" --quiet
expect "info on a corrupt model" 1 "CRC-32" -- "$ser" info "$tmp/corrupt.sermodel"
expect "protocol needs data" 2 "--data" -- "$ser" eval --protocol speaker
expect "unknown protocol" 2 "expected random or speaker" -- "$ser" eval --protocol loso --data "$tmp/data"
expect "bad emotion" 2 "not a RAVDESS emotion" -- "$ser" train --data "$tmp/data" --emotions angry,bored --out "$tmp/x.sermodel"
expect "bad hidden" 2 "--hidden" -- "$ser" train --data "$tmp/data" --hidden 0,abc --out "$tmp/x.sermodel"
expect "train needs --out" 2 "--out" -- "$ser" train --data "$tmp/data"
expect "too many speaker folds" 1 "speaker folds" -- "$ser" eval --protocol speaker --folds 5 --data "$tmp/data" "${common[@]}"
expect "unknown option" 2 "unknown option" -- "$ser" classify --model "$tmp/m.sermodel" --bogus "$clip"

finish
