// Envelopes, images and axes of the clip views (see views.h).
#include "ser/classify/views.h"

#include <algorithm>
#include <cmath>

#include "ser/frames/mel_scale.h"

namespace ser {

namespace {

// The group of values column x of n_cols pools out of n.
struct Group {
    std::size_t begin, end;
};
Group column_group(std::size_t x, std::size_t n, std::size_t n_cols) {
    const std::size_t b = x * n / n_cols;
    return {b, std::max(b + 1, (x + 1) * n / n_cols)};
}

std::size_t clamp_cols(std::size_t n_cols, std::size_t n) { return std::max<std::size_t>(1, std::min(n_cols, n)); }

std::uint8_t to_byte(float v01) {
    if (!(v01 > 0.0f)) return 0;
    if (v01 >= 1.0f) return 255;
    return std::uint8_t(std::lround(v01 * 255.0f));
}

// Pools the columns of m (max over each group), maps each value with to01(row, v).
template <class F>
ViewImage matrix_image(const Eigen::MatrixXf& m, int max_cols, F to01) {
    ViewImage img;
    if (m.size() == 0) return img;
    const std::size_t n = std::size_t(m.cols()), cols = clamp_cols(std::size_t(std::max(1, max_cols)), n);
    img.width = int(cols);
    img.height = int(m.rows());
    img.pixels.assign(cols * std::size_t(m.rows()), 0);
    for (std::size_t x = 0; x < cols; ++x) {
        const Group g = column_group(x, n, cols);
        for (int r = 0; r < m.rows(); ++r) {
            float v = m(r, Eigen::Index(g.begin));
            for (std::size_t t = g.begin + 1; t < g.end; ++t) v = std::max(v, m(r, Eigen::Index(t)));
            img.pixels[std::size_t(r) * cols + x] = to_byte(to01(r, v));
        }
    }
    return img;
}

}  // namespace

// Min of lo and max of hi over each column's group: a waveform is its own lo and hi.
Envelope pool_min_max(const float* lo, const float* hi, std::size_t n, std::size_t n_cols) {
    Envelope e;
    if (n == 0) return e;
    const std::size_t cols = clamp_cols(n_cols, n);
    e.lo.resize(cols);
    e.hi.resize(cols);
    for (std::size_t x = 0; x < cols; ++x) {
        const Group g = column_group(x, n, cols);
        e.lo[x] = *std::min_element(lo + g.begin, lo + g.end);
        e.hi[x] = *std::max_element(hi + g.begin, hi + g.end);
    }
    return e;
}

Envelope waveform_envelope(const float* samples, std::size_t n_samples, std::size_t n_cols) {
    return pool_min_max(samples, samples, n_samples, n_cols);
}

Envelope pool_envelope(const Envelope& in, std::size_t n_cols) {
    return pool_min_max(in.lo.data(), in.hi.data(), in.size(), n_cols);
}

Envelope recent_envelope(const float* samples, std::size_t n_samples, std::size_t span_samples, std::size_t n_cols) {
    Envelope e;
    if (span_samples == 0 || n_cols == 0) return e;
    const std::size_t cols = std::min(n_cols, span_samples);
    e.lo.assign(cols, 0.0f);
    e.hi.assign(cols, 0.0f);
    const std::size_t shown = std::min(n_samples, span_samples);
    const std::size_t pad = span_samples - shown;             // view positions before the stream began
    const float* first = samples + (n_samples - shown);
    for (std::size_t x = 0; x < cols; ++x) {
        const Group g = column_group(x, span_samples, cols);
        if (g.end <= pad) continue;
        const std::size_t b = std::max(g.begin, pad) - pad, end = g.end - pad;
        const auto mm = std::minmax_element(first + b, first + end);
        // 0 stays in the column while part of it is before the stream (as the padding reads).
        e.lo[x] = g.begin < pad ? std::min(0.0f, *mm.first) : *mm.first;
        e.hi[x] = g.begin < pad ? std::max(0.0f, *mm.second) : *mm.second;
    }
    return e;
}

std::vector<float> pool_max(const float* values, std::size_t n_values, std::size_t n_cols) {
    std::vector<float> out;
    if (n_values == 0) return out;
    const std::size_t cols = clamp_cols(n_cols, n_values);
    out.resize(cols);
    for (std::size_t x = 0; x < cols; ++x) {
        const Group g = column_group(x, n_values, cols);
        out[x] = *std::max_element(values + g.begin, values + g.end);
    }
    return out;
}

ViewImage spectrogram_image(const Eigen::MatrixXf& stft_mag, int max_cols) {
    if (stft_mag.size() == 0) return {};
    const float ref_db = 20.0f * std::log10(std::max(stft_mag.maxCoeff(), 1e-10f));
    return matrix_image(stft_mag, max_cols, [&](int, float v) {
        const float db = 20.0f * std::log10(std::max(v, 1e-10f));
        return (db - (ref_db - kViewTopDb)) / kViewTopDb;
    });
}

ViewImage mel_db_image(const Eigen::MatrixXf& melspec_db, int max_cols) {
    if (melspec_db.size() == 0) return {};
    const float hi = melspec_db.maxCoeff();
    const float lo = std::max(melspec_db.minCoeff(), hi - kViewTopDb);
    const float span = std::max(hi - lo, 1e-3f);
    return matrix_image(melspec_db, max_cols, [&](int, float v) { return (v - lo) / span; });
}

ViewImage mfcc_image(const Eigen::MatrixXf& mfcc, int max_cols) {
    if (mfcc.size() == 0) return {};
    const Eigen::VectorXf scale = mfcc.cwiseAbs().rowwise().maxCoeff().cwiseMax(1e-6f);
    return matrix_image(mfcc, max_cols, [&](int r, float v) { return 0.5f + 0.5f * v / scale[r]; });
}

ViewImage chroma_image(const Eigen::MatrixXf& chroma, int max_cols) {
    return matrix_image(chroma, max_cols, [](int, float v) { return v; });
}

std::vector<std::uint8_t> live_spectrum_column(const std::vector<float>& dbfs) {
    std::vector<std::uint8_t> out(dbfs.size());
    for (std::size_t k = 0; k < dbfs.size(); ++k)
        out[k] = to_byte((dbfs[k] - kLiveFloorDbfs) / (kLiveCeilDbfs - kLiveFloorDbfs));
    return out;
}

double mel_axis_fraction(double f_hz, double fmin_hz, double fmax_hz) {
    const double lo = hz_to_mel(fmin_hz), hi = hz_to_mel(fmax_hz);
    return hi > lo ? (hz_to_mel(f_hz) - lo) / (hi - lo) : 0.0;
}

std::string probabilities_text(const std::vector<std::string>& classes, const std::vector<float>& probabilities) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < classes.size() && i < probabilities.size(); ++i) order.push_back(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return probabilities[a] > probabilities[b]; });
    std::string t;
    for (std::size_t i : order)
        t += (t.empty() ? "" : ", ") + classes[i] + " " + std::to_string(int(std::lround(probabilities[i] * 100.0f))) + "%";
    return t;
}

ClipViews build_clip_views(const ClipAnalysis& clip, const FeatureConfig& config) {
    ClipViews v;
    v.duration_s = clip.duration_s;
    v.waveform = waveform_envelope(clip.samples_16k.data(), clip.samples_16k.size(), kViewMaxColumns);
    v.nyquist_hz = 0.5 * config.sample_rate_hz;
    v.fmin_hz = config.fmin_hz;
    v.fmax_hz = config.fmax_hz;
    const FrameFeatures& f = clip.used.frames;
    if (f.n_frames == 0) return v;
    v.used_start_s = clip.used_start_s();
    v.used_end_s = clip.used_end_s();
    v.used_gain_db = clip.used.gain_db;
    v.spectrogram = spectrogram_image(f.stft_mag);
    v.mel = mel_db_image(f.melspec_db);
    v.mfcc = mfcc_image(f.mfcc);
    v.chroma = chroma_image(f.chroma);
    v.rms.assign(f.rms.data(), f.rms.data() + f.rms.size());
    v.zcr.assign(f.zcr.data(), f.zcr.data() + f.zcr.size());
    v.rms_max = v.rms.empty() ? 0.0f : *std::max_element(v.rms.begin(), v.rms.end());
    v.zcr_max = v.zcr.empty() ? 0.0f : *std::max_element(v.zcr.begin(), v.zcr.end());
    v.n_mfcc = int(f.mfcc.rows());
    v.n_chroma = int(f.chroma.rows());
    return v;
}

}  // namespace ser
