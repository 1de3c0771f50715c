// FeatureExtractor: STFT (KissFFT), mel power spectrogram, power_to_db, MFCC, chroma_stft, ZCR, RMS.
// Second stage of the data flow (16 kHz samples -> frame matrices); matches librosa 0.9.2 (reference README 4.1-4.10).
#include "features.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

#include "features_internal.h"
#include "kiss_fftr.h"

namespace ser {

namespace {

// A Slaney mel filter is a triangle: it touches few FFT bins, so the product
// melspec = W @ power walks each filter's non-zero range only.
struct SparseRow {
    int start = 0;
    int length = 0;
    int offset = 0;  // into the weights array
};

}  // namespace

struct FeatureExtractor::Impl {
    FeatureConfig config;
    Status status;
    int n_bins = 0;
    int win_offset = 0;                 // (n_fft - win_length) / 2
    std::vector<double> window_d;       // [win_length], float64 as librosa multiplies frames by it
    Eigen::VectorXf window_f;           // [n_fft], rounded, for the parity test
    Eigen::MatrixXf mel_fb;             // [n_mels, n_bins], dense copy for the parity test
    std::vector<SparseRow> mel_rows;
    std::vector<float> mel_weights;
    Eigen::MatrixXf dct;                // [n_mfcc, n_mels], DCT-II ortho
    Eigen::MatrixXf chroma_fixed;       // at config.tuning (used when tuning is not estimated)
    std::vector<Eigen::MatrixXf> chroma_by_bin;  // lazily built, one per tuning histogram bin
    kiss_fftr_cfg fft = nullptr;

    // Scratch reused between calls.
    std::vector<float> padded;
    std::vector<kiss_fft_scalar> fft_in;
    std::vector<kiss_fft_cpx> fft_out;
    Eigen::MatrixXf power;              // [n_bins, T] |X|^2
    detail::TuningScratch tuning_scratch;

    ~Impl() {
        if (fft) kiss_fftr_free(fft);
    }

    void build();
    void stft(const float* samples, std::size_t n, int n_frames, Eigen::MatrixXf& mag);
    void mel(const Eigen::MatrixXf& pw, Eigen::MatrixXf& out) const;
    void power_to_db(const Eigen::MatrixXf& s, Eigen::MatrixXf& db) const;
    void chroma(const Eigen::MatrixXf& pw, const Eigen::MatrixXf& fb, Eigen::MatrixXf& out) const;
    void zcr(const float* y, std::size_t n, int n_frames, Eigen::MatrixXf& out) const;
    void rms(const float* y, std::size_t n, int n_frames, Eigen::MatrixXf& out) const;
    const Eigen::MatrixXf& chroma_for_bin(int bin);
};

void FeatureExtractor::Impl::build() {
    const FeatureConfig& c = config;
    n_bins = c.n_fft / 2 + 1;
    win_offset = (c.n_fft - c.win_length) / 2;  // librosa.util.pad_center
    window_d = detail::hann_periodic(c.win_length);
    window_f = Eigen::VectorXf::Zero(c.n_fft);
    for (int i = 0; i < c.win_length; ++i) window_f[win_offset + i] = float(window_d[i]);

    mel_fb = detail::mel_filterbank(c.sample_rate_hz, c.n_fft, c.n_mels, c.fmin_hz, c.fmax_hz);
    mel_rows.assign(c.n_mels, SparseRow{});
    mel_weights.clear();
    for (int m = 0; m < c.n_mels; ++m) {
        int lo = 0;
        while (lo < n_bins && mel_fb(m, lo) == 0.0f) ++lo;
        int hi = n_bins;
        while (hi > lo && mel_fb(m, hi - 1) == 0.0f) --hi;
        mel_rows[m].start = lo;
        mel_rows[m].length = hi - lo;
        mel_rows[m].offset = int(mel_weights.size());
        for (int k = lo; k < hi; ++k) mel_weights.push_back(mel_fb(m, k));
    }

    // scipy.fftpack.dct(type=2, norm='ortho'): c[k] = s_k * sum_m x[m] cos(pi k (2m+1) / (2M)).
    dct.resize(c.n_mfcc, c.n_mels);
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < c.n_mfcc; ++k) {
        const double s = k == 0 ? std::sqrt(1.0 / c.n_mels) : std::sqrt(2.0 / c.n_mels);
        for (int m = 0; m < c.n_mels; ++m)
            dct(k, m) = float(s * std::cos(pi * k * (2.0 * m + 1.0) / (2.0 * c.n_mels)));
    }

    if (!c.estimate_tuning)
        chroma_fixed = detail::chroma_filterbank(c.sample_rate_hz, c.n_fft, c.n_chroma, double(c.tuning));
    chroma_by_bin.assign(detail::kTuningBins, Eigen::MatrixXf());

    fft = kiss_fftr_alloc(c.n_fft, 0, nullptr, nullptr);
    if (!fft) {
        status = Status::error("features", "KissFFT could not allocate an FFT of " +
                                               std::to_string(c.n_fft) + " points");
        return;
    }
    fft_in.assign(c.n_fft, 0.0);
    fft_out.assign(n_bins, kiss_fft_cpx{});
}

const Eigen::MatrixXf& FeatureExtractor::Impl::chroma_for_bin(int bin) {
    Eigen::MatrixXf& fb = chroma_by_bin[bin];
    if (fb.size() == 0)
        fb = detail::chroma_filterbank(config.sample_rate_hz, config.n_fft, config.n_chroma,
                                       detail::tuning_bin_edge(bin));
    return fb;
}

// librosa.stft(center=True, pad_mode='constant'): the float32 frame times the float64
// window, FFT in float64, rounded to complex64; |X| via hypot in float, power = |X|^2 in float32.
void FeatureExtractor::Impl::stft(const float* samples, std::size_t n, int n_frames, Eigen::MatrixXf& mag) {
    const int n_fft = config.n_fft;
    const int hop = config.hop_length;
    const std::size_t pad = std::size_t(n_fft / 2);
    padded.assign(n + 2 * pad, 0.0f);
    std::copy(samples, samples + n, padded.begin() + pad);
    mag.resize(n_bins, n_frames);
    power.resize(n_bins, n_frames);
    const int wl = config.win_length;
    for (int t = 0; t < n_frames; ++t) {
        const float* frame = padded.data() + std::size_t(t) * hop + win_offset;
        kiss_fft_scalar* in = fft_in.data() + win_offset;
        for (int i = 0; i < wl; ++i) in[i] = kiss_fft_scalar(window_d[i] * double(frame[i]));
        kiss_fftr(fft, fft_in.data(), fft_out.data());
        float* mcol = mag.data() + std::size_t(t) * n_bins;
        float* pcol = power.data() + std::size_t(t) * n_bins;
        for (int k = 0; k < n_bins; ++k) {
            const float re = float(fft_out[k].r);
            const float im = float(fft_out[k].i);
            const float m = float(std::sqrt(double(re) * re + double(im) * im));
            mcol[k] = m;
            pcol[k] = m * m;
        }
    }
}

// melspec = W @ power in float32 (librosa.feature.melspectrogram, einsum over the sparse rows).
void FeatureExtractor::Impl::mel(const Eigen::MatrixXf& pw, Eigen::MatrixXf& out) const {
    const int n_frames = int(pw.cols());
    out.resize(config.n_mels, n_frames);
    for (int t = 0; t < n_frames; ++t) {
        const float* p = pw.data() + std::size_t(t) * n_bins;
        float* o = out.data() + std::size_t(t) * config.n_mels;
        for (int m = 0; m < config.n_mels; ++m) {
            const SparseRow& r = mel_rows[m];
            const float* w = mel_weights.data() + r.offset;
            const float* pp = p + r.start;
            float acc = 0.0f;
            for (int i = 0; i < r.length; ++i) acc += w[i] * pp[i];
            o[m] = acc;
        }
    }
}

// librosa.power_to_db(ref=1.0, amin, top_db): 10*log10(max(amin, S)) in float32, then clipped at
// (max over the whole matrix) - top_db.
void FeatureExtractor::Impl::power_to_db(const Eigen::MatrixXf& s, Eigen::MatrixXf& db) const {
    db.resize(s.rows(), s.cols());
    const float amin = config.amin;
    const float* in = s.data();
    float* out = db.data();
    const Eigen::Index n = s.size();
    float vmax = -FLT_MAX;
    for (Eigen::Index i = 0; i < n; ++i) {
        out[i] = 10.0f * std::log10(std::max(amin, in[i]));
        vmax = std::max(vmax, out[i]);
    }
    const float floor_db = vmax - config.top_db;
    for (Eigen::Index i = 0; i < n; ++i) out[i] = std::max(out[i], floor_db);
}

// chroma_stft: raw = F @ power (float32), then per frame / max over rows (norm=inf) in float64,
// frames whose max is below FLT_MIN left unnormalised (librosa.util.normalize, threshold tiny).
void FeatureExtractor::Impl::chroma(const Eigen::MatrixXf& pw, const Eigen::MatrixXf& fb,
                                    Eigen::MatrixXf& out) const {
    out.noalias() = fb * pw;
    for (Eigen::Index t = 0; t < out.cols(); ++t) {
        float* col = out.data() + t * out.rows();
        float vmax = 0.0f;
        for (Eigen::Index c = 0; c < out.rows(); ++c) vmax = std::max(vmax, std::fabs(col[c]));
        if (vmax < FLT_MIN) continue;
        const double len = vmax;
        for (Eigen::Index c = 0; c < out.rows(); ++c) col[c] = float(double(col[c]) / len);
    }
}

// librosa.feature.zero_crossing_rate(frame_length=n_fft, center=True): edge padding, |v| <= 1e-10 -> 0,
// sign bit classes, count of changes between neighbours / frame_length.
void FeatureExtractor::Impl::zcr(const float* y, std::size_t n, int n_frames, Eigen::MatrixXf& out) const {
    const int len = config.n_fft;
    const std::size_t pad = std::size_t(len / 2);
    const std::size_t n_pad = n + 2 * pad;
    auto negative = [&](std::size_t i) -> int {
        // index into the edge-padded signal
        const float v = i < pad ? y[0] : (i - pad < n ? y[i - pad] : y[n - 1]);
        return (std::fabs(v) <= 1e-10f ? 0.0f : v) < 0.0f ? 1 : 0;
    };
    // change[i] = 1 when padded samples i-1 and i differ in class; prefix sums count them per frame.
    std::vector<int> prefix(n_pad + 1, 0);
    int prev = negative(0);
    for (std::size_t i = 1; i < n_pad; ++i) {
        const int cur = negative(i);
        prefix[i + 1] = prefix[i] + (cur != prev ? 1 : 0);
        prev = cur;
    }
    prefix[1] = 0;
    out.resize(1, n_frames);
    for (int t = 0; t < n_frames; ++t) {
        const std::size_t a = std::size_t(t) * config.hop_length;  // frame covers padded [a, a+len)
        const int count = prefix[a + len] - prefix[a + 1];
        out(0, t) = float(double(count) / double(len));
    }
}

// librosa.feature.rms(frame_length=n_fft, center=True, pad_mode='constant'): sqrt(mean(frame^2)),
// zero padding, no window. Frame energies from float64 prefix sums (exact to ~1e-16 of the clip energy).
void FeatureExtractor::Impl::rms(const float* y, std::size_t n, int n_frames, Eigen::MatrixXf& out) const {
    const int len = config.n_fft;
    const std::size_t pad = std::size_t(len / 2);
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + double(y[i]) * double(y[i]);
    out.resize(1, n_frames);
    for (int t = 0; t < n_frames; ++t) {
        // padded [a, a+len) is original [a-pad, a-pad+len), clipped to [0, n)
        const long long a = (long long)t * config.hop_length - (long long)pad;
        const std::size_t lo = std::size_t(std::max(0LL, a));
        const std::size_t hi = std::size_t(std::min((long long)n, a + len));
        const double energy = hi > lo ? std::max(0.0, prefix[hi] - prefix[lo]) : 0.0;
        out(0, t) = float(std::sqrt(energy / len));
    }
}

FeatureExtractor::FeatureExtractor(const FeatureConfig& config) : impl_(new Impl) {
    impl_->config = config;
    impl_->status = config.validate();
    if (impl_->status) impl_->build();
}

FeatureExtractor::~FeatureExtractor() = default;
FeatureExtractor::FeatureExtractor(FeatureExtractor&&) noexcept = default;
FeatureExtractor& FeatureExtractor::operator=(FeatureExtractor&&) noexcept = default;

const Status& FeatureExtractor::status() const { return impl_->status; }
const FeatureConfig& FeatureExtractor::config() const { return impl_->config; }
const Eigen::VectorXf& FeatureExtractor::window() const { return impl_->window_f; }
const Eigen::MatrixXf& FeatureExtractor::mel_filterbank() const { return impl_->mel_fb; }

Eigen::MatrixXf FeatureExtractor::chroma_filterbank(float tuning) const {
    const FeatureConfig& c = impl_->config;
    return detail::chroma_filterbank(c.sample_rate_hz, c.n_fft, c.n_chroma, double(tuning));
}

float FeatureExtractor::estimate_tuning(const Eigen::MatrixXf& power) const {
    if (power.rows() < 3 || power.cols() < 1) return 0.0f;
    const int bin = detail::estimate_tuning_bin(power.data(), int(power.rows()), int(power.cols()),
                                                impl_->config.sample_rate_hz, impl_->tuning_scratch);
    return float(detail::tuning_bin_edge(bin));
}

Eigen::MatrixXf FeatureExtractor::chroma_from_power(const Eigen::MatrixXf& power, float tuning) const {
    Eigen::MatrixXf out;
    if (power.rows() != impl_->n_bins) return out;
    impl_->chroma(power, chroma_filterbank(tuning), out);
    return out;
}

Status FeatureExtractor::compute(const float* samples, std::size_t n_samples, FrameFeatures& out) {
    Impl& d = *impl_;
    if (!d.status) return d.status;
    if (samples == nullptr || n_samples == 0)
        return Status::error("features", "input has 0 samples; expected at least 1");
    for (std::size_t i = 0; i < n_samples; ++i) {
        if (!std::isfinite(samples[i])) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "sample %zu is %g; expected finite samples", i, double(samples[i]));
            return Status::error("features", buf);
        }
    }
    const int n_frames = int(1 + n_samples / std::size_t(d.config.hop_length));
    out.n_frames = n_frames;
    d.stft(samples, n_samples, n_frames, out.stft_mag);
    d.mel(d.power, out.melspec);
    d.power_to_db(out.melspec, out.melspec_db);
    out.mfcc.noalias() = d.dct * out.melspec_db;
    if (d.config.estimate_tuning) {
        const int bin = detail::estimate_tuning_bin(d.power.data(), d.n_bins, n_frames,
                                                    d.config.sample_rate_hz, d.tuning_scratch);
        out.tuning = float(detail::tuning_bin_edge(bin));
        d.chroma(d.power, d.chroma_for_bin(bin), out.chroma);
    } else {
        out.tuning = d.config.tuning;
        d.chroma(d.power, d.chroma_fixed, out.chroma);
    }
    d.zcr(samples, n_samples, n_frames, out.zcr);
    d.rms(samples, n_samples, n_frames, out.rms);
    return Status::ok();
}

}  // namespace ser
