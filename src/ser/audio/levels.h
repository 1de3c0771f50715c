// Signal levels in dBFS (RMS, peak) and the silence gate: the one rule for "there is no speech here".
// Between audio and classify: the classifier, its timeline and the live analyser all gate with it.
#pragma once
#include <cstddef>

namespace ser {

// Level of silence: what rms_dbfs/peak_dbfs return for all-zero or empty input instead of -inf.
constexpr float kSilenceDb = -120.0f;

// The silence gate: a clip (or window) whose peak stays below -60 dBFS holds no usable speech.
// The seed system would still have produced a confident label from its noise floor; this
// project reports "silent" instead of guessing.
constexpr float kSilenceGateDbfs = -60.0f;

// 20 log10(amplitude) floored at kSilenceDb (0 and negative amplitudes give kSilenceDb).
float amplitude_dbfs(double amplitude);
// RMS level relative to full scale (a full-scale square wave is 0 dBFS, a full-scale sine
// -3.01 dBFS), accumulated in float64; kSilenceDb for silence or empty input.
float rms_dbfs(const float* samples, std::size_t n_samples);
// Peak level, 20 log10 max |x|; kSilenceDb for silence or empty input. NaN samples are ignored
// by the comparison (callers validate finiteness first).
float peak_dbfs(const float* samples, std::size_t n_samples);
// True when peak_dbfs(samples) < kSilenceGateDbfs.
bool below_silence_gate(const float* samples, std::size_t n_samples);

// Clipping: the share of samples at or above kClipLevel of full scale in magnitude (0 for empty
// input). Measured on the 16 kHz samples, where resampling turns a flat clipped top into ripple
// just under full scale, hence 0.95 rather than 1.0. Speech levelled to a 0 dBFS peak puts well
// under 0.1% of its samples there; a clipped recording puts several percent.
constexpr float kClipLevel = 0.95f;
double clipped_fraction(const float* samples, std::size_t n_samples);

}  // namespace ser
