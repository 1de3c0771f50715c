#!/usr/bin/env bash
# CLI checks for `ser info` and `ser features`: exit codes, messages on stderr, CSV/JSON output
# that parses. Usage: tests/cli/test_cli.sh path/to/ser   (scripts/test.sh passes it).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"

# Fixtures: a 0.5 s 48 kHz stereo 16-bit WAV (python's wave module), a text file named .wav,
# a RAVDESS clip under its own name and under a name that does not parse.
python3 - "$tmp" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1] + "/tone48k.wav", "wb")
w.setnchannels(2); w.setsampwidth(2); w.setframerate(48000)
w.writeframes(b"".join(struct.pack("<hh", int(16384 * math.sin(2 * math.pi * 440 * n / 48000)), 0) for n in range(24000)))
w.close()
PY
echo "this is text, not audio" >"$tmp/text.wav"
mkdir -p "$tmp/set/sub"
cp "$shared/data/ravdess/Actor_01/03-01-05-02-01-01-01.flac" "$tmp/set/sub/"
cp "$shared/data/ravdess/Actor_02/03-01-01-01-01-01-02.flac" "$tmp/set/unnamed_clip.flac"

# ser info
expect "info --help" 0 "" -- "$ser" info --help
expect "info without file" 2 "no file" -- "$ser" info
expect "info bad option" 2 "unknown option" -- "$ser" info --frobnicate x.wav
expect "info missing file" 1 "cannot open" -- "$ser" info "$tmp/nope.wav"
expect "info corrupt file" 1 "decode" -- "$ser" info "$tmp/text.wav"
expect "info wav" 0 "" -- "$ser" info "$tmp/tone48k.wav"
if grep -q "WAV PCM 16-bit" "$tmp/out" && grep -q "48000 Hz" "$tmp/out" && grep -q "channels: *2" "$tmp/out" \
   && grep -q "0.500 s" "$tmp/out" && grep -q "peak: *-6.02 dBFS" "$tmp/out"; then
  pass "info wav fields"
else
  fail "info wav fields: $(cat "$tmp/out")"
fi
expect "info flac" 0 "" -- "$ser" info "$tmp/set/sub/03-01-05-02-01-01-01.flac"
grep -q "FLAC 24-bit" "$tmp/out" && pass "info flac format" || fail "info flac format: $(cat "$tmp/out")"
expect "info one bad of two" 1 "cannot open" -- "$ser" info "$tmp/tone48k.wav" "$tmp/nope.wav"
grep -q "tone48k.wav" "$tmp/out" && pass "info keeps going after a failure" || fail "info stopped after a failure"

# ser features: options
expect "features --help" 0 "" -- "$ser" features --help
expect "features no input" 2 "no file" -- "$ser" features
expect "features bad option" 2 "unknown option" -- "$ser" features --frobnicate "$tmp/set"
expect "features bad format" 2 "expected csv or json" -- "$ser" features --format xml "$tmp/set"
expect "features bad jobs" 2 "expected an integer 0 to 1024" -- "$ser" features --jobs abc "$tmp/set"
expect "features unknown set" 2 "unknown feature set" -- "$ser" features --set nope "$tmp/set"
expect "features set/config mismatch" 2 "defined on" -- "$ser" features --set seed --config C2 "$tmp/set"

# JSON over a folder of no known layout (one RAVDESS name of two): one object per file, RAVDESS fields only
# for the parsed name, plain rows and no note per file (#9).
expect "features json" 0 "" -- "$ser" features --format json --no-cache "$tmp/set"
grep -q "unnamed_clip" "$tmp/err" && fail "features notes a file of no known layout: $(head -c 300 "$tmp/err")" \
  || pass "features writes plain rows without a note per file"
if python3 - "$tmp/out" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 2, len(d)
by = {o["file"].split("/")[-1]: o for o in d}
a = by["03-01-05-02-01-01-01.flac"]
assert a["set"] == "seed" and a["config"] == "C1" and a["version"] >= 1
assert len(a["names"]) == len(a["values"]) == 162
assert all(math.isfinite(v) for v in a["values"])
assert a["ravdess"]["emotion_name"] == "angry" and a["ravdess"]["actor"] == 1
assert "ravdess" not in by["unnamed_clip.flac"]
assert "corpus" not in a and "corpus" not in by["unnamed_clip.flac"]
PY
then pass "features json parses"; else fail "features json parses"; fi

# A recognised corpus folder (SAVEE, ten clips) with one stray file: corpus fields for its clips, the stray
# one named on stderr with why, still a plain row.
mkdir -p "$tmp/savee"
cp "$shared"/data/savee/DC_a0[1-9].flac "$shared"/data/savee/JE_n01.flac "$tmp/savee/"
cp "$shared"/data/savee/DC_a10.flac "$tmp/savee/DC_x10.flac"
expect "features on a corpus folder" 0 "DC_x10.flac" -- "$ser" features --format json --cache "$tmp/cache" "$tmp/savee"
if python3 - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {o["file"].split("/")[-1]: o for o in d}
assert len(d) == 11, len(d)
assert by["JE_n01.flac"]["corpus"] == {"name": "savee", "speaker": "savee/JE", "label": "neutral"}, by["JE_n01.flac"].get("corpus")
assert by["DC_a01.flac"]["corpus"]["label"] == "angry"
assert "corpus" not in by["DC_x10.flac"]
PY
then pass "features gives corpus, speaker and label"; else fail "features corpus fields: $(head -c 300 "$tmp/out")"; fi

# CSV, --out, the cache, a failure among good files, --config picking its set.
expect "features csv --out" 0 "" -- "$ser" features --cache "$tmp/cache" --jobs 2 --out "$tmp/a.csv" "$tmp/set" "$tmp/tone48k.wav"
if python3 - "$tmp/a.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][:3] == ["file", "actor", "emotion"], rows[0][:3]
assert len(rows) == 4 and all(len(r) == len(rows[0]) for r in rows), [len(r) for r in rows]
PY
then pass "features csv shape"; else fail "features csv shape"; fi
ls "$tmp/cache"/*.bin >/dev/null 2>&1 && pass "features cache written" || fail "features cache written"
expect "features csv from cache" 0 "" -- "$ser" features --cache "$tmp/cache" --out "$tmp/b.csv" "$tmp/set" "$tmp/tone48k.wav"
cmp -s "$tmp/a.csv" "$tmp/b.csv" && pass "cached output identical" || fail "cached output differs"
expect "features with a missing and a corrupt file" 1 "decode" -- "$ser" features --no-cache "$tmp/tone48k.wav" "$tmp/nope.wav" "$tmp/text.wav"
[ "$(wc -l <"$tmp/out")" = 2 ] && pass "features keeps the good file" || fail "features output: $(wc -l <"$tmp/out") lines"
grep -q "does not exist" "$tmp/err" && pass "features names the missing file" || fail "features missing-file message"
expect "features --config C2" 0 "" -- "$ser" features --config C2 --format json --no-cache "$tmp/tone48k.wav"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["config"]=="C2" and "ravdess" not in d[0]' "$tmp/out" \
  && pass "features --config C2 picks a C2 set" || fail "features --config C2"

# Default cache in an unwritable place: a note, and the features still come out. An explicit
# unusable --cache is an error.
touch "$tmp/notadir"
expect "features default cache unusable" 0 "no cache" -- env SER_CACHE="$tmp/notadir" "$ser" features "$tmp/tone48k.wav"
[ "$(wc -l <"$tmp/out")" = 2 ] && pass "features without usable cache still outputs" || fail "features without cache output"
expect "features explicit cache unusable" 1 "cache" -- "$ser" features --cache "$tmp/notadir/x" "$tmp/tone48k.wav"

finish
