// The "emo" utterance feature set: prosody (F0, voicing, energy dynamics), spectral shape,
// MFCC and mel-band statistics over the trimmed clip on the C2 speech framing (25 ms / 10 ms).
// Third stage (16 kHz samples -> one vector per clip); registered in feature_sets.cpp.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"
#include "ser/frames/pitch.h"
#include "ser/frames/spectral.h"
#include "ser/frames/trim.h"
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

// The steps of compute_emo, shared with EmoStream (emo_stream.h), which analyses each frame of a
// stream once and assembles step 2 from those frames instead of framing every window anew.
// Steps 0-1: the gain that levels the clip (its loudest 512-sample frame at -20 dBFS; 1 for an
// all-zero clip) and the trimmed span of the levelled clip. `levelled` receives the levelled
// samples and `samples` then points at them (it is left as it was when the gain is 1).
struct EmoClip {
    float gain = 1.0f;
    TrimRange range;
};
Result<EmoClip> emo_level_and_trim(const float*& samples, std::size_t n_samples, std::vector<float>& levelled);
// The YIN tracker's parameters for the set (PitchConfig's defaults on the C2 grid).
PitchConfig emo_pitch_config();
// Step 3a: the spectral descriptors of each frame of a clip's |X| [n_fft/2+1, T] (bins up to 7 kHz):
// shape rows centroid, bandwidth, roll-off, flatness, slope, and the contrast sub-band peaks and
// valleys. A column depends on its frame only (flux, which pairs frames, and the contrast's dB,
// whose floor is clip-wide, come with the statistics).
struct EmoSpectralFrames {
    Eigen::MatrixXf shape;      // [5, T]
    ContrastBands contrast;     // [7, T] each
};
Status emo_spectral_frames(const Eigen::MatrixXf& stft_mag, int n_fft, EmoSpectralFrames& out);
// Step 3: the values from the trimmed clip's frames (stft_mag, melspec_db, mfcc and rms of C2) and
// its F0 track (finish_voicing applied), n_trimmed samples long; names as emo_names(). `spectral`:
// emo_spectral_frames of frames.stft_mag when the caller has them (else computed here).
Status emo_values(const FrameFeatures& frames, const PitchTrack& track, std::size_t n_trimmed, int n_fft,
                  std::vector<float>& values, const EmoSpectralFrames* spectral = nullptr);

}  // namespace ser
