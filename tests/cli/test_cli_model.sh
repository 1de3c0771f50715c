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
expect "an ensemble per fold" 0 "" -- "$ser" eval --protocol speaker --folds 3 --ensemble 2 --data "$tmp/data" "${common[@]}" --epochs 30 --format json
json_ok "the ensemble is named in the description" "'ensemble of 2' in d['description'] and d['pooled']['n'] == 60"
expect "an ensemble of 0 is refused" 2 "ensemble" -- "$ser" eval --protocol speaker --folds 3 --ensemble 0 --data "$tmp/data" "${common[@]}" --epochs 30
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

# Calibration (issue #10): a model with a calibrated network, a profile from two neutral clips, classify with it.
cal=(--set emo --emotions angry,neutral,happy --cache "$tmp/cache" --quiet --epochs 20 --batch 16)
expect "train a model that accepts profiles" 0 "" -- "$ser" train --data "$tmp/data" "${cal[@]}" --calibrate 2 --out "$tmp/cal.sermodel"
expect "info on a calibrated model" 0 "" -- "$ser" info "$tmp/cal.sermodel"
n1="$tmp/data/03-01-01-01-01-01-01.flac"; n2="$tmp/data/03-01-01-01-02-01-01.flac"
expect "calibrate from two neutral sentences" 0 "" -- "$ser" calibrate --model "$tmp/cal.sermodel" --out "$tmp/me.json" "$n1" "$n2"
python3 -c "import json,sys; d=json.load(open('$tmp/me.json')); sys.exit(0 if d['format']=='ser-profile' and d['feature_set']=='emo' and d['n_clips']==2 and len(d['mean'])==231 and d['voiced_s']>=0.6 else 1)" \
  && pass "the profile file names its set and holds no audio" || fail "profile: $(head -c 300 "$tmp/me.json")"
expect "classify with a profile" 0 "" -- "$ser" classify --model "$tmp/cal.sermodel" --profile "$tmp/me.json" --format json "$clip"
json_ok "the result says it was calibrated" "d[0]['calibrated'] is True and abs(sum(d[0]['probabilities'].values()) - 1) < 1e-4"
expect "classify without a profile is plain" 0 "" -- "$ser" classify --model "$tmp/cal.sermodel" --format json "$clip"
json_ok "plain result" "d[0]['calibrated'] is False"
expect "a plain model refuses a profile" 1 "trained without speaker profiles" -- "$ser" classify --model "$tmp/m.sermodel" --profile "$tmp/me.json" "$clip"
expect "calibrate refuses a plain model" 1 "without speaker profiles" -- "$ser" calibrate --model "$tmp/m.sermodel" --out "$tmp/x.json" "$n1" "$n2"
python3 -c "import struct; open('$tmp/silent.wav','wb').write(b'RIFF'+struct.pack('<I',36+32000)+b'WAVEfmt '+struct.pack('<IHHIIHH',16,1,1,16000,32000,2,16)+b'data'+struct.pack('<I',32000)+b'\0'*32000)"
expect "calibrate refuses silence" 1 "silent" -- "$ser" calibrate --model "$tmp/cal.sermodel" --out "$tmp/x.json" "$tmp/silent.wav" "$n1"
# 0.4 s of a 150 Hz harmonic "vowel" between silences: voiced, but less than two sentences give.
python3 - "$tmp/short.wav" <<'PY'
import math, struct, sys, wave
n = 16000
x = [0.0] * int(0.3 * n) + [0.3 * sum(math.sin(2 * math.pi * 150 * h * i / n) / h for h in range(1, 9)) for i in range(int(0.4 * n))] + [0.0] * int(0.3 * n)
w = wave.open(sys.argv[1], "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(n)
w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, v)) * 32767)) for v in x)); w.close()
PY
expect "calibrate refuses too little voiced speech" 1 "expected at least 0.6 s" -- "$ser" calibrate --model "$tmp/cal.sermodel" --out "$tmp/x.json" "$tmp/short.wav"
grep -q "of voiced speech in 1 clip" "$tmp/err" && pass "it says how much it found" || fail "calibrate message: $(head -c 300 "$tmp/err")"
head -c 200 "$tmp/me.json" >"$tmp/cut.json"
expect "a truncated profile is refused" 1 "not a JSON object" -- "$ser" classify --model "$tmp/cal.sermodel" --profile "$tmp/cut.json" "$clip"
: >"$tmp/empty.json"
expect "an empty profile is refused" 1 "empty" -- "$ser" classify --model "$tmp/cal.sermodel" --profile "$tmp/empty.json" "$clip"
sed 's/"feature_set":"emo"/"feature_set":"seed"/' "$tmp/me.json" >"$tmp/seed.json"
expect "a profile of another set is refused" 1 "belongs to feature set 'seed'" -- "$ser" classify --model "$tmp/cal.sermodel" --profile "$tmp/seed.json" "$clip"
expect "eval --calibrate scores plain and calibrated" 0 "" -- "$ser" eval --protocol speaker --folds 3 --data "$tmp/data" "${cal[@]}" --calibrate 2 --format json
json_ok "calibration clips are never scored and both figures are on the same clips" \
  "d['calibration']['n_calibration_clips'] == 6 and d['calibration']['n_scored'] == 54 and d['calibration']['plain']['n'] == d['calibration']['calibrated']['n'] == 54"
expect "--cal-cap needs --calibrate" 2 "needs --calibrate" -- "$ser" eval --protocol speaker --data "$tmp/data" --cal-cap 2

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
