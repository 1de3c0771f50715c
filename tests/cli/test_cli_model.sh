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

# Two corpora (#9): SAVEE speakers DC and JE, 5 clips of each class, beside the three RAVDESS actors.
mkdir -p "$tmp/savee"
for s in DC JE; do for e in a h n; do cp "$shared"/data/savee/${s}_${e}0[1-5].flac "$tmp/savee/"; done; done
two=(--data "$tmp/data" --data "$tmp/savee")
expect "speaker protocol over two corpora" 0 "" -- "$ser" eval --protocol speaker --folds 5 "${two[@]}" "${common[@]}" --epochs 30 --format json
json_ok "five speakers, each corpus reported" "d['n_speakers'] == 5 and d['n_clips'] == 90 and sorted(d['per_corpus']) == ['ravdess', 'savee'] and d['per_corpus']['savee']['n'] == 30 and d['pooled']['n'] == 90"
expect "leave one corpus out" 0 "" -- "$ser" eval --protocol loco "${two[@]}" "${common[@]}" --epochs 30 --format json --plots "$tmp/loco"
json_ok "each corpus held out once" "[f['name'] for f in d['folds']] == ['held out: ravdess', 'held out: savee'] and [f['n_test'] for f in d['folds']] == [60, 30] and [f['n_train'] for f in d['folds']] == [30, 60]"
expect "eval a model on two corpora" 0 "" -- "$ser" eval --model "$tmp/m.sermodel" "$tmp/data" "$tmp/savee" --format json --cache "$tmp/cache" --quiet
json_ok "figures per corpus of a model" "d['per_corpus']['savee']['n'] == 30 and d['per_corpus']['ravdess']['n'] == 60 and d['metrics']['n'] == 90"
[ -s "$tmp/loco/confusion-ravdess.svg" ] && [ -s "$tmp/loco/confusion-savee.svg" ] && pass "a confusion plot per corpus" || fail "per-corpus plots missing: $(ls "$tmp/loco")"
expect "leave one corpus out needs two corpora" 1 "at least 2" -- "$ser" eval --protocol loco --data "$tmp/data" "${common[@]}" --epochs 5
expect "a label map relabels before classes are chosen" 0 "" -- "$ser" eval --protocol random --seeds 1 "${two[@]}" --map happy=neutral --emotions angry,neutral --cache "$tmp/cache" --epochs 5 --format json
json_ok "happy clips now count as neutral" "d['n_clips'] == 90 and d['pooled']['per_class']['neutral']['support'] > d['pooled']['per_class']['angry']['support']"
grep -q "map happy=neutral: 34 clips" "$tmp/err" && pass "the map says what it changed" || fail "map output: $(head -c 300 "$tmp/err")"
expect "unknown corpus reader refused" 2 "expected one of" -- "$ser" train --data "$tmp/savee" --corpus savy --out "$tmp/x.sermodel"
expect "train on two corpora with two protocols" 0 "" -- "$ser" train "${two[@]}" "${common[@]}" --epochs 20 --protocol speaker,loco --folds 5 --out "$tmp/two.sermodel"
expect "info on the two-corpus model" 0 "" -- "$ser" info "$tmp/two.sermodel"
grep -q "^    loco " "$tmp/out" && grep -q "^    speaker " "$tmp/out" && grep -q '"savee/DC"' "$tmp/out" && grep -q '"ravdess/01"' "$tmp/out" \
  && pass "model stores both protocols and the speakers it saw" || fail "info output: $(head -c 600 "$tmp/out")"

# Refusals.
head -c 1000 "$tmp/m.sermodel" >"$tmp/trunc.sermodel"
expect "truncated model refused" 1 "truncated" -- "$ser" classify --model "$tmp/trunc.sermodel" "$clip"
cp "$tmp/m.sermodel" "$tmp/corrupt.sermodel"
printf '\x7f' | dd of="$tmp/corrupt.sermodel" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect "corrupt model refused" 1 "CRC-32" -- "$ser" eval --model "$tmp/corrupt.sermodel" "$tmp/data" --quiet
expect "info on a corrupt model" 1 "CRC-32" -- "$ser" info "$tmp/corrupt.sermodel"
expect "protocol needs data" 2 "--data" -- "$ser" eval --protocol speaker
expect "unknown protocol" 2 "expected random, speaker or loco" -- "$ser" eval --protocol loso --data "$tmp/data"
expect "bad emotion" 2 "not a RAVDESS emotion" -- "$ser" train --data "$tmp/data" --emotions angry,bored --out "$tmp/x.sermodel"
expect "bad hidden" 2 "--hidden" -- "$ser" train --data "$tmp/data" --hidden 0,abc --out "$tmp/x.sermodel"
expect "train needs --out" 2 "--out" -- "$ser" train --data "$tmp/data"
expect "too many speaker folds" 1 "speaker folds" -- "$ser" eval --protocol speaker --folds 5 --data "$tmp/data" "${common[@]}"
expect "unknown option" 2 "unknown option" -- "$ser" classify --model "$tmp/m.sermodel" --bogus "$clip"

finish
