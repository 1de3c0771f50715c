// FeatureExtractor: STFT (KissFFT), mel power spectrogram, power_to_db, MFCC, chroma_stft, ZCR, RMS.
// Second stage of the data flow (16 kHz samples -> frame matrices); matches librosa 0.9.2 (reference README 4.1-4.10).
#include "ser/frames/frame_features.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <new>
#include <vector>

#include "ser/frames/tables.h"
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

    // Buffers reused between calls; they only grow (no allocation once warmed up).
    std::vector<float> padded;
    std::vector<kiss_fft_scalar> fft_in;
    std::vector<kiss_fft_cpx> fft_out;
    std::vector<double> re_d, im_d;
    std::vector<float> mag_buf, power_buf, mel_buf, db_buf, mfcc_buf, chroma_buf, zcr_buf, rms_buf;
    std::vector<int> zcr_prefix;
    std::vector<double> rms_prefix;
    detail::TuningScratch tuning_scratch;

    ~Impl() {
        if (fft) kiss_fftr_free(fft);
    }

    void build();
    void stft(const float* samples, std::size_t n, int n_frames, float* mag, float* power);
    void stft_frame(const float* frame, float* mag, float* power);
    void mel_db_and_mfcc(const float* mel, int n_frames, float* db, float* mfcc) const;
    void mel(const float* power, int n_frames, float* out) const;
    void power_to_db(const float* s, std::size_t count, float* db) const;
    void chroma(const float* power, int n_frames, const Eigen::MatrixXf& fb, float* out) const;
    void zcr(const float* y, std::size_t n, int n_frames, float* out);
    void rms(const float* y, std::size_t n, int n_frames, float* out);
    const Eigen::MatrixXf& chroma_for_bin(int bin);
};

namespace {
float* grow(std::vector<float>& v, std::size_t count) {
    if (v.size() < count) v.resize(count);
    return v.data();
}
// Eigen::Map cannot be re-seated by assignment (that copies data): construct it again in place.
void reseat(FrameFeaturesView::Map& m, const float* data, Eigen::Index rows, Eigen::Index cols) {
    new (&m) FrameFeaturesView::Map(data, rows, cols);
}
}  // namespace

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
// window, FFT in float64, rounded to complex64; |X| = hypotf of the float parts; power = |X|^2
// squared in float32.
void FeatureExtractor::Impl::stft(const float* samples, std::size_t n, int n_frames, float* mag, float* power) {
    const int n_fft = config.n_fft;
    const int hop = config.hop_length;
    const std::size_t pad = std::size_t(n_fft / 2);
    const std::size_t n_pad = n + 2 * pad;
    if (padded.size() < n_pad) padded.resize(n_pad);
    std::fill(padded.begin(), padded.begin() + pad, 0.0f);
    std::copy(samples, samples + n, padded.begin() + pad);
    std::fill(padded.begin() + pad + n, padded.begin() + n_pad, 0.0f);
    for (int t = 0; t < n_frames; ++t)
        stft_frame(padded.data() + std::size_t(t) * hop, mag + std::size_t(t) * n_bins, power + std::size_t(t) * n_bins);
}

// One frame of the above: n_fft samples from `frame` on.
void FeatureExtractor::Impl::stft_frame(const float* frame, float* mag, float* power) {
    re_d.resize(n_bins);
    im_d.resize(n_bins);
    const int wl = config.win_length;
    const double* w = window_d.data();
    kiss_fft_scalar* in = fft_in.data() + win_offset;
    const float* x = frame + win_offset;
    for (int i = 0; i < wl; ++i) in[i] = kiss_fft_scalar(w[i] * double(x[i]));
    kiss_fftr(fft, fft_in.data(), fft_out.data());
    for (int k = 0; k < n_bins; ++k) {
        re_d[k] = double(float(fft_out[k].r));
        im_d[k] = double(float(fft_out[k].i));
    }
    // re^2 + im^2 in double, rounded once to float, then a float sqrt: within 1 ulp of
    // hypotf and 4 lanes wide (Eigen's packet sqrt vectorises; std::sqrt in a loop does
    // not, because of errno). The power is then |X|^2 in float32 as in librosa.
    Eigen::Map<Eigen::ArrayXd> re(re_d.data(), n_bins), im(im_d.data(), n_bins);
    Eigen::Map<Eigen::ArrayXf> mcol(mag, n_bins);
    Eigen::Map<Eigen::ArrayXf> pcol(power, n_bins);
    mcol = (re * re + im * im).cast<float>();
    mcol = mcol.sqrt();
    pcol = mcol * mcol;
}

// melspec = W @ power in float32 (librosa.feature.melspectrogram), over each filter's non-zero range.
void FeatureExtractor::Impl::mel(const float* power, int n_frames, float* out) const {
    for (int t = 0; t < n_frames; ++t) {
        const float* p = power + std::size_t(t) * n_bins;
        float* o = out + std::size_t(t) * config.n_mels;
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
void FeatureExtractor::Impl::power_to_db(const float* in, std::size_t count, float* out) const {
    const float amin = config.amin;
    float vmax = -FLT_MAX;
    for (std::size_t i = 0; i < count; ++i) {
        out[i] = 10.0f * std::log10(std::max(amin, in[i]));
        vmax = std::max(vmax, out[i]);
    }
    const float floor_db = vmax - config.top_db;
    for (std::size_t i = 0; i < count; ++i) out[i] = std::max(out[i], floor_db);
}

// chroma_stft: raw = F @ power (float32), then per frame / max over rows (norm=inf) in float64,
// frames whose max is below FLT_MIN left unnormalised (librosa.util.normalize, threshold tiny).
void FeatureExtractor::Impl::chroma(const float* power, int n_frames, const Eigen::MatrixXf& fb,
                                    float* out) const {
    const Eigen::Index rows = fb.rows();
    Eigen::Map<Eigen::MatrixXf> raw(out, rows, n_frames);
    raw.noalias() = fb * Eigen::Map<const Eigen::MatrixXf>(power, n_bins, n_frames);
    for (int t = 0; t < n_frames; ++t) {
        float* col = out + std::size_t(t) * rows;
        float vmax = 0.0f;
        for (Eigen::Index c = 0; c < rows; ++c) vmax = std::max(vmax, std::fabs(col[c]));
        if (vmax < FLT_MIN) continue;
        const double len = vmax;
        for (Eigen::Index c = 0; c < rows; ++c) col[c] = float(double(col[c]) / len);
    }
}

// librosa.feature.zero_crossing_rate(frame_length=n_fft, center=True): edge padding, |v| <= 1e-10 -> 0,
// sign bit classes, count of changes between neighbours / frame_length.
void FeatureExtractor::Impl::zcr(const float* y, std::size_t n, int n_frames, float* out) {
    const int len = config.n_fft;
    const std::size_t pad = std::size_t(len / 2);
    const std::size_t n_pad = n + 2 * pad;
    auto negative = [](float v) -> int { return (std::fabs(v) <= 1e-10f ? 0.0f : v) < 0.0f ? 1 : 0; };
    // prefix[i+1] counts the class changes at padded positions 1..i. The edge padding repeats
    // y[0] and y[n-1], so changes only happen inside the original samples.
    zcr_prefix.resize(n_pad + 1);
    int* prefix = zcr_prefix.data();
    std::fill(prefix, prefix + pad + 1, 0);
    int prev = negative(y[0]);
    for (std::size_t j = 1; j < n; ++j) {
        const int cur = negative(y[j]);
        prefix[pad + j + 1] = prefix[pad + j] + (cur != prev ? 1 : 0);
        prev = cur;
    }
    for (std::size_t i = pad + n; i < n_pad; ++i) prefix[i + 1] = prefix[i];
    for (int t = 0; t < n_frames; ++t) {
        const std::size_t a = std::size_t(t) * config.hop_length;  // frame covers padded [a, a+len)
        const int count = prefix[a + len] - prefix[a + 1];
        out[t] = float(double(count) / double(len));
    }
}

// librosa.feature.rms(frame_length=n_fft, center=True, pad_mode='constant'): sqrt(mean(frame^2)),
// zero padding, no window. Frame energies from float64 prefix sums (exact to ~1e-16 of the clip energy).
void FeatureExtractor::Impl::rms(const float* y, std::size_t n, int n_frames, float* out) {
    const int len = config.n_fft;
    const std::size_t pad = std::size_t(len / 2);
    rms_prefix.resize(n + 1);
    double* prefix = rms_prefix.data();
    prefix[0] = 0.0;
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + double(y[i]) * double(y[i]);
    for (int t = 0; t < n_frames; ++t) {
        // padded [a, a+len) is original [a-pad, a-pad+len), clipped to [0, n)
        const long long a = (long long)t * config.hop_length - (long long)pad;
        const std::size_t lo = std::size_t(std::max(0LL, a));
        const std::size_t hi = std::size_t(std::min((long long)n, a + len));
        const double energy = hi > lo ? std::max(0.0, prefix[hi] - prefix[lo]) : 0.0;
        out[t] = float(std::sqrt(energy / len));
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
    out.resize(impl_->config.n_chroma, power.cols());
    impl_->chroma(power.data(), int(power.cols()), chroma_filterbank(tuning), out.data());
    return out;
}

void FeatureExtractor::Impl::mel_db_and_mfcc(const float* mel, int n_frames, float* db, float* mfcc) const {
    power_to_db(mel, std::size_t(config.n_mels) * n_frames, db);
    // MFCC = DCT-II ortho of each dB column (librosa.feature.mfcc, no lifter).
    Eigen::Map<Eigen::MatrixXf>(mfcc, config.n_mfcc, n_frames).noalias() =
        dct * Eigen::Map<const Eigen::MatrixXf>(db, config.n_mels, n_frames);
}

void FeatureExtractor::frame_spectrum(const float* frame, float* mag, float* power) {
    impl_->stft_frame(frame, mag, power);
}
void FeatureExtractor::frame_mel(const float* power, float* mel) const { impl_->mel(power, 1, mel); }
void FeatureExtractor::mel_db_and_mfcc(const float* mel, int n_frames, float* db, float* mfcc) const {
    impl_->mel_db_and_mfcc(mel, n_frames, db, mfcc);
}

Status FeatureExtractor::compute_view(const float* samples, std::size_t n_samples, FrameFeaturesView& out) {
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
    const FeatureConfig& c = d.config;
    const int T = int(1 + n_samples / std::size_t(c.hop_length));
    const std::size_t nb = std::size_t(d.n_bins);
    float* mag = grow(d.mag_buf, nb * T);
    float* power = grow(d.power_buf, nb * T);
    float* mel = grow(d.mel_buf, std::size_t(c.n_mels) * T);
    float* db = grow(d.db_buf, std::size_t(c.n_mels) * T);
    float* mfcc = grow(d.mfcc_buf, std::size_t(c.n_mfcc) * T);
    float* chroma = grow(d.chroma_buf, std::size_t(c.n_chroma) * T);
    float* zcr = grow(d.zcr_buf, std::size_t(T));
    float* rms = grow(d.rms_buf, std::size_t(T));

    d.stft(samples, n_samples, T, mag, power);
    d.mel(power, T, mel);
    d.mel_db_and_mfcc(mel, T, db, mfcc);
    if (c.estimate_tuning) {
        const int bin = detail::estimate_tuning_bin(power, d.n_bins, T, c.sample_rate_hz, d.tuning_scratch);
        out.tuning = float(detail::tuning_bin_edge(bin));
        d.chroma(power, T, d.chroma_for_bin(bin), chroma);
    } else {
        out.tuning = c.tuning;
        d.chroma(power, T, d.chroma_fixed, chroma);
    }
    d.zcr(samples, n_samples, T, zcr);
    d.rms(samples, n_samples, T, rms);

    out.n_frames = T;
    reseat(out.stft_mag, mag, d.n_bins, T);
    reseat(out.melspec, mel, c.n_mels, T);
    reseat(out.melspec_db, db, c.n_mels, T);
    reseat(out.mfcc, mfcc, c.n_mfcc, T);
    reseat(out.chroma, chroma, c.n_chroma, T);
    reseat(out.zcr, zcr, 1, T);
    reseat(out.rms, rms, 1, T);
    return Status::ok();
}

Status FeatureExtractor::compute(const float* samples, std::size_t n_samples, FrameFeatures& out) {
    FrameFeaturesView v;
    Status s = compute_view(samples, n_samples, v);
    if (!s) return s;
    out = copy_frame_features(v);
    return Status::ok();
}

FrameFeatures copy_frame_features(const FrameFeaturesView& v) {
    FrameFeatures out;
    out.n_frames = v.n_frames;
    out.stft_mag = v.stft_mag;
    out.melspec = v.melspec;
    out.melspec_db = v.melspec_db;
    out.mfcc = v.mfcc;
    out.chroma = v.chroma;
    out.zcr = v.zcr;
    out.rms = v.rms;
    out.tuning = v.tuning;
    return out;
}

}  // namespace ser
