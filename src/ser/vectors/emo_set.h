// The "emo" utterance feature set: prosody (F0, voicing, energy dynamics), spectral shape,
// MFCC and mel-band statistics over the trimmed clip on the C2 speech framing (25 ms / 10 ms).
// Third stage (16 kHz samples -> one vector per clip); registered in feature_sets.cpp.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"
#include "ser/base/status.h"

namespace ser {

// Value names, grouped by prefix so that ablations can drop a whole group:
//   f0_*      F0 statistics over voiced frames (semitones re 100 Hz; octave jumps folded)
//   voice_*   voicing ratio, probability, aperiodicity, voiced segment rate and length
//   energy_*  frame RMS in dB relative to the clip's loudest frame (gain-invariant)
//   spec_*    centroid, bandwidth, roll-off, flatness, flux, slope, contrast (7 bands), bins <= 7 kHz
//   mfcc*     MFCC 1..19 mean/std, MFCC 0..19 delta std, MFCC 0 std
//   meldb*    log-mel band mean (relative to the clip's mean level) and std, the 61 bands below 7.2 kHz
//   dur_*     duration of the trimmed clip
// No value depends on the recording gain (see each group), so that other corpora and
// microphones at other levels land in the same range.
std::vector<std::string> emo_names();

// Computes the set with an extractor built on C2. Steps: trim leading/trailing silence
// (trim_silence, top_db 40, 512/160 frames; the whole clip when the trimmed part is shorter
// than 0.1 s), frame features on the trimmed part, YIN on the same frame grid, spectral
// descriptors from the STFT magnitude, then the statistics named above. A silent clip gives
// finite values (zeros for undefined F0 statistics).
Status compute_emo(FeatureExtractor& extractor, const float* samples, std::size_t n_samples, FeatureVector& out,
                   FeatureSetTrace* trace = nullptr);

}  // namespace ser
