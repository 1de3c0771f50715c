// Frame features (STFT magnitude, mel, dB, MFCC, chroma with tuning, ZCR, RMS) for one clip.
// Second stage (16 kHz samples -> frame matrices); numerically equal to librosa 0.9.2 (../shared/reference).
#pragma once
#include <Eigen/Core>
#include <cstddef>
#include <memory>

#include "ser/frames/feature_config.h"
#include "ser/base/status.h"

namespace ser {

// Every matrix is [n_features, n_frames] (librosa's layout), column t = frame t.
// n_frames = 1 + n_samples / hop_length (centred frames, zero padding).
struct FrameFeatures {
    int n_frames = 0;
    Eigen::MatrixXf stft_mag;    // [n_fft/2+1, T]  |STFT|
    Eigen::MatrixXf melspec;     // [n_mels, T]     mel power spectrogram
    Eigen::MatrixXf melspec_db;  // [n_mels, T]     power_to_db(ref=1, amin, top_db over the whole clip)
    Eigen::MatrixXf mfcc;        // [n_mfcc, T]     DCT-II ortho of melspec_db
    Eigen::MatrixXf chroma;      // [n_chroma, T]   chroma_stft on |X|^2, norm=inf
    Eigen::MatrixXf zcr;         // [1, T]          edge padding, threshold 1e-10
    Eigen::MatrixXf rms;         // [1, T]          zero padding, no window
    float tuning = 0.0f;         // estimated (C1) or fixed (C2) tuning, in fractions of a bin
};

// The same matrices as views into the extractor's own buffers (FeatureExtractor::compute_view):
// valid until the next compute call on that extractor. Once the buffers have grown to the
// longest clip seen, computing a view allocates nothing, which matters for batches of clips.
struct FrameFeaturesView {
    using Map = Eigen::Map<const Eigen::MatrixXf>;
    int n_frames = 0;
    Map stft_mag{nullptr, 0, 0};
    Map melspec{nullptr, 0, 0};
    Map melspec_db{nullptr, 0, 0};
    Map mfcc{nullptr, 0, 0};
    Map chroma{nullptr, 0, 0};
    Map zcr{nullptr, 0, 0};
    Map rms{nullptr, 0, 0};
    float tuning = 0.0f;
};

// The view's matrices copied out of the extractor (they outlive the next compute call).
FrameFeatures copy_frame_features(const FrameFeaturesView& view);

// One extractor per configuration: window, mel filterbank and DCT are built once in the
// constructor, compute() is then cheap and allocation-light. Not thread-safe: use one per thread.
class FeatureExtractor {
public:
    // config must pass validate(); check status() after construction.
    explicit FeatureExtractor(const FeatureConfig& config);
    ~FeatureExtractor();
    FeatureExtractor(FeatureExtractor&&) noexcept;
    FeatureExtractor& operator=(FeatureExtractor&&) noexcept;

    const Status& status() const;
    const FeatureConfig& config() const;

    // samples: mono at config.sample_rate_hz, finite. Any length >= 1 (shorter than n_fft is
    // fine, as in librosa). Empty input or non-finite samples give an error.
    Status compute(const float* samples, std::size_t n_samples, FrameFeatures& out);

    // Same as compute(), leaving the matrices in the extractor (see FrameFeaturesView).
    Status compute_view(const float* samples, std::size_t n_samples, FrameFeaturesView& out);

    // The steps of compute() that see one frame only, for callers that analyse each frame of a
    // stream once (emo_stream.h); compute() runs the same code. frame_spectrum: |X| and |X|^2
    // (n_fft/2+1 values each) of the n_fft samples at `frame` (compute()'s frame t is the
    // zero-padded clip from sample t*hop - n_fft/2 on). frame_mel: the mel power of one |X|^2
    // column (n_mels values). mel_db_and_mfcc: melspec_db and MFCC of n_frames mel columns, the
    // top_db floor taken over all of them as compute() does over a clip. The extractor must be
    // valid (status() ok).
    void frame_spectrum(const float* frame, float* mag, float* power);
    void frame_mel(const float* power, float* mel) const;
    void mel_db_and_mfcc(const float* mel, int n_frames, float* db, float* mfcc) const;

    // Tables, exposed for parity tests against ../shared/reference/*/filters.
    const Eigen::VectorXf& window() const;             // [n_fft], Hann(win_length) centred
    const Eigen::MatrixXf& mel_filterbank() const;     // [n_mels, n_fft/2+1]
    Eigen::MatrixXf chroma_filterbank(float tuning) const;  // [n_chroma, n_fft/2+1]
    // librosa.estimate_tuning(S=power) as used by chroma_stft; power is [n_fft/2+1, T].
    float estimate_tuning(const Eigen::MatrixXf& power) const;
    // chroma_stft from a power spectrogram at a given tuning (second step of the chroma test).
    Eigen::MatrixXf chroma_from_power(const Eigen::MatrixXf& power, float tuning) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser
