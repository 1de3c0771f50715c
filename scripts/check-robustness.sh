#!/usr/bin/env bash
# Robustness of the pipeline on voices it has not heard, under other sample rates, noise, room
# reverberation, level and band limits: trains one model per task on RAVDESS actors outside a
# held-out speaker fold, degrades the held-out clips with sox and reports accuracy per condition.
#
# usage: scripts/check-robustness.sh [--fold F] [--folds K] [--data DIR] [--ser BIN] [--out FILE]
#                                    [--train-opts "OPTIONS"]
#   Held-out actors are those of speaker fold F of K (as `ser eval --protocol speaker`: the sorted
#   actors' rank mod K; default fold 0 of 5 = actors 01, 06, 11, 16). --train-opts replaces the
#   `ser train` options (default: the shipped models', models/README.md). Needs sox (Debian
#   package `sox`). Takes a few minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
fold=0
n_folds=5
data="$here/../shared/data/ravdess"
ser="$here/build/native/ser"
out=""
train_opts="--set emo --dropout 0.5 --l2 0.001 --augment 3"
while [ $# -gt 0 ]; do
  case "$1" in
    --fold) fold="$2"; shift 2 ;;
    --folds) n_folds="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --ser) ser="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --train-opts) train_opts="$2"; shift 2 ;;
    -h|--help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "check-robustness: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
command -v sox >/dev/null || { echo "check-robustness: sox not found; install the Debian package sox" >&2; exit 2; }
[ -x "$ser" ] || { echo "check-robustness: $ser not built; run scripts/build.sh" >&2; exit 2; }
[ -d "$data" ] || { echo "check-robustness: no data at $data" >&2; exit 2; }
case "$fold$n_folds" in *[!0-9]*) echo "check-robustness: --fold and --folds take integers" >&2; exit 2 ;; esac
[ "$fold" -lt "$n_folds" ] || { echo "check-robustness: --fold $fold is not below --folds $n_folds" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/train" "$tmp/test/clean"
mapfile -t actors < <(cd "$data" && ls -d Actor_* | sort)
held=()
for i in "${!actors[@]}"; do
  if [ $((i % n_folds)) -eq "$fold" ]; then
    held+=("${actors[$i]}")
    cp "$data/${actors[$i]}"/* "$tmp/test/clean/"
  else
    cp -r "$data/${actors[$i]}" "$tmp/train/"
  fi
done
echo "held-out actors: ${held[*]} ($(ls "$tmp/test/clean" | wc -l) clips); training on the other ${#actors[@]} minus ${#held[@]}" >&2

# Conditions: name and the sox effect chain applied to the 16 kHz clip (output 16-bit WAV).
# Noise is mixed at a set SNR against the clip's own RMS (sox stats), so the SNR holds per clip.
conditions=(
  "rate-22050|rate -v 22050"
  "rate-44100|rate -v 44100"
  "rate-48000|rate -v 48000"
  "gain-minus20dB|gain -20"
  "telephone-8k|sinc 300-3400 rate -v 8000"
  "reverb-room|reverb 40 50 60"
  "white-noise-20dB|noise:white:20"
  "white-noise-10dB|noise:white:10"
  "pink-noise-10dB|noise:pink:10"
)
rms_db() { sox "$1" -n stats 2>&1 | awk '/RMS lev dB/ {print $4}'; }
for c in "${conditions[@]}"; do
  name="${c%%|*}"
  fx="${c#*|}"
  mkdir -p "$tmp/test/$name"
  for f in "$tmp/test/clean"/*; do
    base="$(basename "${f%.*}")"
    dst="$tmp/test/$name/$base.wav"
    case "$fx" in
      noise:*)
        IFS=: read -r _ colour snr <<<"$fx"
        dur="$(soxi -D "$f")"
        sox -V1 -n -r "$(soxi -r "$f")" -c "$(soxi -c "$f")" -b 32 -e float "$tmp/n.wav" synth "$dur" "${colour}noise"
        gain_db="$(awk -v s="$(rms_db "$f")" -v n="$(rms_db "$tmp/n.wav")" -v snr="$snr" 'BEGIN {print s - n - snr}')"
        sox -V1 -m "$f" -v 1 "|sox $tmp/n.wav -p gain $gain_db" -b 16 "$dst"
        ;;
      *) sox -V1 "$f" -b 16 "$dst" $fx ;;
    esac
  done
done

report() {
  printf '%-20s' "condition"
  for task in "${!tasks[@]}"; do printf ' %18s' "${task_names[$task]}"; done
  printf '\n'
  for name in clean $(printf '%s\n' "${conditions[@]}" | cut -d'|' -f1); do
    printf '%-20s' "$name"
    for task in "${!tasks[@]}"; do
      "$ser" eval --model "$tmp/model$task.sermodel" "$tmp/test/$name" --format json --no-cache --quiet --jobs 2 >"$tmp/e.json"
      python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['metrics']; print(' %11.1f%% (%d)' % (100*d['accuracy'], d['n']), end='')" "$tmp/e.json"
    done
    printf '\n'
  done
}
tasks=("--emotions angry,neutral,happy" "")
task_names=("3 classes" "8 classes")
for task in "${!tasks[@]}"; do
  # shellcheck disable=SC2086  # options are words on purpose
  "$ser" train --data "$tmp/train" --out "$tmp/model$task.sermodel" ${tasks[$task]} \
    $train_opts --jobs 2 --quiet >/dev/null
done
if [ -n "$out" ]; then report | tee "$out"; else report; fi
