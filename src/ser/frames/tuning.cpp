// Tuning estimation for chroma: librosa.estimate_tuning = piptrack + median + pitch_tuning histogram.
// Used by chroma_stft(tuning=None) in C1; float32 arithmetic as librosa 0.9.2 (reference README 4.8).
#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ser/frames/tables.h"

namespace ser::detail {

namespace {

// librosa.piptrack's candidates (defaults: fmin = 150 Hz, fmax = min(4000 Hz, sr/2), mask
// fmin <= f < fmax; threshold 0.1 of each frame's maximum): pitch and magnitude per local peak.
void piptrack_candidates(const float* power, int n_bins, int n_frames, int sample_rate_hz, TuningScratch& s) {
    const int n_fft = 2 * (n_bins - 1);
    const std::vector<double> freqs = fft_frequencies(sample_rate_hz, n_fft);
    const double fmin = 150.0;
    const double fmax = std::min(4000.0, double(sample_rate_hz) / 2);
    int k_lo = 0;
    while (k_lo < n_bins && !(freqs[k_lo] >= fmin)) ++k_lo;
    int k_hi = k_lo;
    while (k_hi < n_bins && freqs[k_hi] < fmax) ++k_hi;
    // The local-max test reads k-1 and k+1; bin 0 and the last bin never satisfy the mask
    // for the sample rates we accept, but keep the reads in range regardless.
    k_lo = std::max(k_lo, 1);
    k_hi = std::min(k_hi, n_bins - 1);
    s.mags.clear();
    s.pitches.clear();
    for (int t = 0; t < n_frames; ++t) {
        const float* p = power + std::size_t(t) * n_bins;
        const float frame_max = Eigen::Map<const Eigen::ArrayXf>(p, n_bins).maxCoeff();
        // ref_value = 0.1 * max(S) in float32; values not above it are zeroed before localmax.
        const float ref = 0.1f * frame_max;
        auto thr = [&](int k) { return p[k] > ref ? p[k] : 0.0f; };
        for (int k = k_lo; k < k_hi; ++k) {
            const float x = thr(k);
            if (!(x > thr(k - 1) && x >= thr(k + 1))) continue;
            // Parabolic interpolation, float32 as in piptrack.
            const float avg = 0.5f * (p[k + 1] - p[k - 1]);
            float b = 2.0f * p[k] - p[k + 1] - p[k - 1];
            b = b + (std::fabs(b) < FLT_MIN ? 1.0f : 0.0f);
            const float shift = avg / b;
            const float dskew = 0.5f * avg * shift;
            // (idx + shift) is float64 in numpy (int64 + float32), then * sr / n_fft, stored float32.
            const float pitch = float((double(k) + double(shift)) * double(sample_rate_hz) / double(n_fft));
            const float mag = p[k] + dskew;
            if (pitch > 0.0f) {
                s.pitches.push_back(pitch);
                s.mags.push_back(mag);
            }
        }
    }
}

// np.median in float32: the middle value, or the mean of the two middle values.
float median_f32(const std::vector<float>& v, std::vector<float>& scratch) {
    scratch = v;
    const std::size_t n = scratch.size();
    std::nth_element(scratch.begin(), scratch.begin() + n / 2, scratch.end());
    float median = scratch[n / 2];
    if (n % 2 == 0) {
        const float lower = *std::max_element(scratch.begin(), scratch.begin() + n / 2);
        median = (lower + median) / 2.0f;
    }
    return median;
}

// librosa.pitch_tuning on the candidates at or above the median magnitude: the histogram bin of
// the residuals mod one semitone; -1 when no residual falls in the histogram.
int tuning_histogram_bin(float median, TuningScratch& s) {
    s.edges.resize(kTuningBins + 1);
    for (int i = 0; i <= kTuningBins; ++i) s.edges[i] = tuning_bin_edge(i);
    s.edges[kTuningBins] = 0.5;
    s.counts.assign(kTuningBins, 0);
    int n_counted = 0;
    for (std::size_t i = 0; i < s.mags.size(); ++i) {
        if (!(s.mags[i] >= median)) continue;
        // residual = mod(12 * log2(f / 27.5), 1) in float32, wrapped to [-0.5, 0.5).
        const float octs = std::log2(s.pitches[i] / 27.5f);
        const float bins = 12.0f * octs;
        float r = std::fmod(bins, 1.0f);
        if (r != 0.0f && r < 0.0f) r += 1.0f;
        if (r >= 0.5f) r -= 1.0f;
        const double v = double(r);
        if (!(v >= s.edges[0] && v <= s.edges[kTuningBins])) continue;
        // np.histogram with explicit edges: edge[i] <= v < edge[i+1], last bin closed.
        int bin = int(std::upper_bound(s.edges.begin(), s.edges.end(), v) - s.edges.begin()) - 1;
        if (bin >= kTuningBins) bin = kTuningBins - 1;
        ++s.counts[bin];
        ++n_counted;
    }
    if (n_counted == 0) return -1;
    // np.argmax: the first (lowest) bin among ties.
    return int(std::max_element(s.counts.begin(), s.counts.end()) - s.counts.begin());
}

}  // namespace

int estimate_tuning_bin(const float* power, int n_bins, int n_frames, int sample_rate_hz,
                        TuningScratch& s) {
    const int no_candidates_bin = kTuningBins / 2;  // tuning 0.0
    piptrack_candidates(power, n_bins, n_frames, sample_rate_hz, s);
    if (s.mags.empty()) return no_candidates_bin;
    const int bin = tuning_histogram_bin(median_f32(s.mags, s.sorted), s);
    return bin < 0 ? no_candidates_bin : bin;
}

}  // namespace ser::detail
