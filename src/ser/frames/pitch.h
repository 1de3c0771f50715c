// Fundamental frequency (F0) per frame with YIN, plus a voicing probability and decision.
// Side branch of the feature stage (16 kHz samples -> F0 track -> prosody statistics); matches librosa.yin (0.9.2).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser {

// Parameters of the YIN tracker. Defaults suit speech at 16 kHz on the C2 frame grid
// (hop 160 = 10 ms, frames centred on sample t*hop like every other C2 feature).
struct PitchConfig {
    int sample_rate_hz = 16000;
    float fmin_hz = 60.0f;          // lowest F0 searched (period ceil(sr/fmin) must fit the frame)
    float fmax_hz = 500.0f;         // highest F0 searched, <= sr/2
    int frame_length = 1024;        // samples per analysis frame, even, 64..8192
    int win_length = 512;           // integration window W of the difference function, < frame_length
    int hop_length = 160;           // samples between frames, >= 1
    float trough_threshold = 0.1f;  // YIN absolute threshold on the normalised difference, (0, 1]
    // Voicing: a frame is voiced when voiced_prob >= voiced_threshold and the frame is not silent.
    float voiced_threshold = 0.5f;  // (0, 1)
    // Mean of the Beta(2, b) prior over YIN thresholds (pYIN); the official pYIN software offers
    // 0.10, 0.15, 0.20 and 0.30. 0.20 (b = 8) suits frame-wise decisions without pYIN's HMM:
    // expressive speech often has d' of 0.1..0.2 in clearly voiced frames. [0.01, 0.5].
    float prior_mean = 0.2f;
    float silence_db = -70.0f;      // frames with RMS below this (dBFS) are unvoiced, whatever YIN says
    float relative_db = 50.0f;      // ... and so are frames more than this below the loudest frame; 0 = off

    // Ranges above, and that the longest period fits: ceil(sr/fmin) <= frame_length - win_length - 1.
    Status validate() const;
};

// One value per frame; n_frames = 1 + n_samples / hop_length (centred frames, zero padding).
struct PitchTrack {
    std::vector<float> f0_hz;          // YIN estimate (librosa.yin), defined for every frame
    std::vector<float> aperiodicity;   // d'(tau) at the chosen period, 0 = perfectly periodic
    std::vector<float> voiced_prob;    // pYIN threshold prior mass below which the frame has a trough
    std::vector<unsigned char> voiced; // 1 when voiced (see PitchConfig)
    std::vector<float> rms_db;         // RMS of the integration window, dBFS (floor -120)
    int hop_length = 0;
    int sample_rate_hz = 0;

    int n_frames() const { return int(f0_hz.size()); }
    // Fraction of voiced frames, 0 for an empty track.
    float voiced_ratio() const;
};

// What YIN keeps of one frame before anything depends on the level: the terms of eq. 6 per lag
// and the integration window's energy. All scale with the square of a gain applied to the
// samples, so a frame analysed once can be decided again at another gain (decide_frame with
// energy_scale = gain^2): the live window levels each window anew (emo_set.h) but analyses
// each frame once (emo_stream.h).
struct YinFrameTerms {
    std::vector<double> acf;       // [lag 0..n_lag): sum_{j=1..W} x[j] x[j+tau], FFT autocorrelation / frame_length
    std::vector<double> energy;    // [lag 0..n_lag): sum_{j=tau+1..tau+W} x[j]^2
    double window_energy = 0.0;    // sum_{j=1..W} x[j]^2, the level of the window YIN analysed
};

// One frame's YIN result before the clip-wide voicing rules (PitchTracker::finish_voicing).
struct YinFrame {
    float f0_hz = 0.0f;
    float aperiodicity = 1.0f;
    float voiced_prob = 0.0f;
    float rms_db = -120.0f;
};

// YIN (de Cheveigné & Kawahara 2002, JASA 111(4):1917-1930) exactly as librosa.yin computes it:
// difference function over the window j = 1..W of each frame (via FFT autocorrelation),
// cumulative mean normalised difference d'(tau) for tau in [floor(sr/fmax), ceil(sr/fmin)],
// first trough below the threshold (else the global minimum), parabolic interpolation.
// The voicing probability follows pYIN (Mauch & Dixon 2014): the probability, under the
// Beta(2, b) prior over thresholds (b = 2/prior_mean - 2; librosa.pyin uses b = 18), that the
// threshold lies above the deepest trough d, i.e. 1 - I_d(2, b) = (1-d)^b (1 + b d) in closed
// form (librosa.pyin's voiced_prob before its HMM, without the discretisation into 100 thresholds).
// Tables and FFT plans are built once; compute() is cheap. Not thread-safe: one per thread.
class PitchTracker {
public:
    explicit PitchTracker(const PitchConfig& config = PitchConfig());
    ~PitchTracker();
    PitchTracker(PitchTracker&&) noexcept;
    PitchTracker& operator=(PitchTracker&&) noexcept;

    const Status& status() const;   // the config's validation result
    const PitchConfig& config() const;
    int min_period() const;         // max(floor(sr/fmax), 1), samples
    int max_period() const;         // min(ceil(sr/fmin), frame_length - win_length - 1), samples

    // samples: mono at config.sample_rate_hz. Errors: tracker not valid, empty input,
    // non-finite samples.
    Status compute(const float* samples, std::size_t n_samples, PitchTrack& out);

    // d'(tau) for tau = min_period..max_period of one frame of frame_length samples (the
    // internal step, exposed so that tests can compare it with a direct evaluation of the
    // YIN equations 6 and 8).
    Status cmnd(const float* frame, std::vector<double>& out);

    // The steps of compute(), for callers that analyse frames one at a time (emo_stream.h).
    // frame_terms: the frame centred on sample `centre` of samples[0..n_samples) (zeros outside,
    // as compute() pads), samples finite. decide_frame: YIN on those terms with every energy
    // multiplied by energy_scale (1 = as analysed). finish_voicing: the silence and relative-level
    // rules over a whole track (voiced_prob zeroed and voiced set), which compute() applies last.
    void frame_terms(const float* samples, std::size_t n_samples, long long centre, YinFrameTerms& out);
    YinFrame decide_frame(const YinFrameTerms& terms, double energy_scale = 1.0);
    void finish_voicing(PitchTrack& track) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// pYIN's voicing probability for a trough depth d under a Beta(2, 2/prior_mean - 2) threshold
// prior (see PitchTracker); d is clamped to [0, 1]. prior_mean 0.1 is librosa.pyin's Beta(2, 18).
float yin_voiced_probability(float aperiodicity, float prior_mean);

}  // namespace ser
