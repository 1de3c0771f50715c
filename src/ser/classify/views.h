// What the views of a clip show, as numbers: envelopes of the waveform, 8-bit images of the frame
// matrices the model used, curves, and axis positions. After classify (ClipAnalysis -> ClipViews); front ends only draw them.
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/classify/analysis.h"
#include "ser/frames/feature_config.h"

namespace ser {

// Display ranges, each defined once here.
// Spectrogram: |STFT| in dB re the clip's peak, the top 80 dB (librosa.amplitude_to_db(ref=np.max, top_db=80)).
constexpr float kViewTopDb = 80.0f;
// Live spectrum columns (dBFS, LiveAnalyser::take_spectrum_columns): -100 .. -10 dBFS to black .. white.
constexpr float kLiveFloorDbfs = -100.0f;
constexpr float kLiveCeilDbfs = -10.0f;
// Columns a clip's images and waveform are pooled to: more than a screen's width, few enough to upload quickly.
constexpr int kViewMaxColumns = 1600;

// Min/max per column: lo[i] <= hi[i]; sample values, or pooled values of another envelope.
struct Envelope {
    std::vector<float> lo, hi;
    std::size_t size() const { return lo.size(); }
};

// Columns pooled from n values: column x takes [x*n/n_cols, max(that+1, (x+1)*n/n_cols)), so each
// column holds at least one value. n_cols is clamped to [1, n]; n = 0 gives an empty envelope.
Envelope waveform_envelope(const float* samples, std::size_t n_samples, std::size_t n_cols);
// An envelope re-pooled to n_cols (pixel width); lo takes the min and hi the max of each group.
Envelope pool_envelope(const Envelope& e, std::size_t n_cols);
// The last span_samples of a stream in n_cols columns, the newest sample at the right edge; the
// columns before the stream began are 0 (a recording's first seconds fill the view from the right).
Envelope recent_envelope(const float* samples, std::size_t n_samples, std::size_t span_samples, std::size_t n_cols);
// Max over each column's group (the same grouping as waveform_envelope).
std::vector<float> pool_max(const float* values, std::size_t n_values, std::size_t n_cols);

// An 8-bit image, row-major, row 0 = matrix row 0 (the lowest bin, drawn at the bottom).
struct ViewImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
    bool empty() const { return pixels.empty(); }
};
// Each maps a [rows, T] frame matrix to [0, 1] by its own rule and pools columns to at most max_cols
// (max over each group): spectrogram: dB re the peak, top kViewTopDb; mel dB: the clip's max down
// kViewTopDb (or its min when closer); MFCC: each coefficient on its own symmetric scale (c0 is tens of
// times larger than the rest), 0.5 = zero; chroma: as is (already 0..1, norm=inf). Empty in, empty out.
ViewImage spectrogram_image(const Eigen::MatrixXf& stft_mag, int max_cols = kViewMaxColumns);
ViewImage mel_db_image(const Eigen::MatrixXf& melspec_db, int max_cols = kViewMaxColumns);
ViewImage mfcc_image(const Eigen::MatrixXf& mfcc, int max_cols = kViewMaxColumns);
ViewImage chroma_image(const Eigen::MatrixXf& chroma, int max_cols = kViewMaxColumns);
// One live spectrum column in dBFS -> bytes (kLiveFloorDbfs .. kLiveCeilDbfs).
std::vector<std::uint8_t> live_spectrum_column(const std::vector<float>& dbfs);

// Height fraction (0 = bottom) of f_hz on a mel view spanning fmin_hz..fmax_hz (Slaney scale).
double mel_axis_fraction(double f_hz, double fmin_hz, double fmax_hz);

// Probabilities in words, most probable first, whole percent: "angry 77%, happy 23%, neutral 0%"
// (what a screen reader announces for a result). Ties keep the model's class order.
std::string probabilities_text(const std::vector<std::string>& classes, const std::vector<float>& probabilities);

// Everything the clip views draw, from one analysis. The frame views cover only the span the
// model's feature set used (trimmed, and levelled by gain_db for `emo`): [used_start_s, used_end_s).
struct ClipViews {
    double duration_s = 0.0;
    Envelope waveform;                     // the whole clip, kViewMaxColumns columns at most
    double used_start_s = 0.0, used_end_s = 0.0;
    float used_gain_db = 0.0f;
    ViewImage spectrogram, mel, mfcc, chroma;
    std::vector<float> rms, zcr;           // per frame of the used span
    float rms_max = 0.0f, zcr_max = 0.0f;  // each curve is drawn on its own scale
    int n_mfcc = 0, n_chroma = 0;
    double nyquist_hz = 0.0, fmin_hz = 0.0, fmax_hz = 0.0;
    bool has_frames() const { return !spectrogram.empty(); }
};
ClipViews build_clip_views(const ClipAnalysis& clip, const FeatureConfig& config);

}  // namespace ser
