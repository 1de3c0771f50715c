// Tables of the frame features: periodic Hann window, FFT bin frequencies, Slaney mel and chroma filterbanks.
// Built once per FeatureExtractor; follow scipy 1.10 / librosa 0.9.2 operation order (reference README 4.2, 4.4, 4.8).
#include <cmath>

#include "ser/frames/tables.h"
#include "ser/frames/mel_scale.h"

namespace ser::detail {

namespace {

constexpr double kPi = 3.14159265358979323846;

// np.linspace(start, stop, num) with endpoint: arange(num) * ((stop-start)/(num-1)) + start,
// and the last element set to stop exactly.
std::vector<double> linspace(double start, double stop, int num) {
    std::vector<double> y(num);
    if (num == 1) {
        y[0] = start;
        return y;
    }
    const double step = (stop - start) / double(num - 1);
    for (int i = 0; i < num; ++i) y[i] = double(i) * step + start;
    y[num - 1] = stop;
    return y;
}

}  // namespace

std::vector<double> hann_periodic(int n) {
    // scipy: fac = linspace(-pi, pi, n+1); w = 0.5*cos(0*fac) + 0.5*cos(1*fac); drop the last point.
    const std::vector<double> fac = linspace(-kPi, kPi, n + 1);
    std::vector<double> w(n);
    for (int i = 0; i < n; ++i) w[i] = 0.5 + 0.5 * std::cos(fac[i]);
    return w;
}

std::vector<double> fft_frequencies(int sample_rate_hz, int n_fft) {
    const double val = 1.0 / (double(n_fft) * (1.0 / double(sample_rate_hz)));
    std::vector<double> f(n_fft / 2 + 1);
    for (int k = 0; k <= n_fft / 2; ++k) f[k] = double(k) * val;
    return f;
}

Eigen::MatrixXf mel_filterbank(int sample_rate_hz, int n_fft, int n_mels, double fmin_hz, double fmax_hz) {
    const int n_bins = n_fft / 2 + 1;
    const std::vector<double> fft_f = fft_frequencies(sample_rate_hz, n_fft);
    const std::vector<double> mels = linspace(hz_to_mel(fmin_hz), hz_to_mel(fmax_hz), n_mels + 2);
    std::vector<double> mel_f(n_mels + 2);
    for (int i = 0; i < n_mels + 2; ++i) mel_f[i] = mel_to_hz(mels[i]);
    Eigen::MatrixXf w(n_mels, n_bins);
    for (int i = 0; i < n_mels; ++i) {
        const double fdiff_lo = mel_f[i + 1] - mel_f[i];
        const double fdiff_hi = mel_f[i + 2] - mel_f[i + 1];
        const double enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
        for (int k = 0; k < n_bins; ++k) {
            const double lower = -(mel_f[i] - fft_f[k]) / fdiff_lo;
            const double upper = (mel_f[i + 2] - fft_f[k]) / fdiff_hi;
            const float tri = float(std::max(0.0, std::min(lower, upper)));
            w(i, k) = float(double(tri) * enorm);
        }
    }
    return w;
}

Eigen::MatrixXf chroma_filterbank(int sample_rate_hz, int n_fft, int n_chroma, double tuning) {
    const int n_bins = n_fft / 2 + 1;
    // frequencies = linspace(0, sr, n_fft, endpoint=False)[1:]; frqbins = n_chroma * hz_to_octs(f, tuning).
    const double step = double(sample_rate_hz) / double(n_fft);
    const double a440 = 440.0 * std::pow(2.0, tuning / double(n_chroma));
    std::vector<double> frq(n_fft);
    for (int k = 1; k < n_fft; ++k) frq[k] = double(n_chroma) * std::log2((double(k) * step) / (a440 / 16));
    frq[0] = frq[1] - 1.5 * double(n_chroma);  // made-up DC bin, 1.5 octaves below bin 1
    std::vector<double> width(n_fft);
    for (int k = 0; k + 1 < n_fft; ++k) width[k] = std::max(frq[k + 1] - frq[k], 1.0);
    width[n_fft - 1] = 1.0;
    const double half = std::round(double(n_chroma) / 2);

    Eigen::MatrixXd wts(n_chroma, n_bins);  // only the kept columns: each column is independent
    for (int k = 0; k < n_bins; ++k) {
        double sum_sq = 0.0;
        for (int c = 0; c < n_chroma; ++c) {
            double d = frq[k] - double(c);
            d = std::fmod(d + half + 10.0 * n_chroma, double(n_chroma)) - half;
            const double z = 2 * d / width[k];
            wts(c, k) = std::exp(-0.5 * (z * z));
            sum_sq += wts(c, k) * wts(c, k);
        }
        const double length = std::sqrt(sum_sq);
        // util.normalize leaves columns with length below tiny(float64) as they are.
        const double inv = length < 2.2250738585072014e-308 ? 1.0 : length;
        const double oct = (frq[k] / n_chroma - 5.0) / 2.0;   // ctroct = 5, octwidth = 2
        const double octave_weight = std::exp(-0.5 * (oct * oct));
        for (int c = 0; c < n_chroma; ++c) wts(c, k) = wts(c, k) / inv * octave_weight;
    }
    // base_c: np.roll(wts, -3) so that row 0 is C (it was A).
    Eigen::MatrixXf out(n_chroma, n_bins);
    const int shift = 3 * (n_chroma / 12);
    for (int c = 0; c < n_chroma; ++c) out.row(c) = wts.row((c + shift) % n_chroma).cast<float>();
    return out;
}

double tuning_bin_edge(int i) {
    // np.linspace(-0.5, 0.5, 101)[i]: i * 0.01 + (-0.5)
    return double(i) * (1.0 / 100.0) + (-0.5);
}

}  // namespace ser::detail

namespace ser {

// librosa.hz_to_mel / mel_to_hz with htk=False (Slaney's Auditory Toolbox scale): linear below
// 1 kHz (200/3 Hz per mel), logarithmic above (27 mels per factor 6.4).
namespace {
const double kFSp = 200.0 / 3;
const double kMinLogHz = 1000.0;
const double kMinLogMel = (kMinLogHz - 0.0) / kFSp;
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double hz_to_mel(double f) {
    double mels = (f - 0.0) / kFSp;
    if (f >= kMinLogHz) mels = kMinLogMel + std::log(f / kMinLogHz) / kLogStep;
    return mels;
}

double mel_to_hz(double m) {
    double f = 0.0 + kFSp * m;
    if (m >= kMinLogMel) f = kMinLogHz * std::exp(kLogStep * (m - kMinLogMel));
    return f;
}

}  // namespace ser
