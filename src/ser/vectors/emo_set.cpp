// The "emo" feature set; see emo_set.h for the groups and the reasons behind them.
#include "ser/vectors/emo_set.h"

#include <algorithm>
#include <cmath>

#include "ser/frames/pitch.h"
#include "ser/frames/spectral.h"
#include "ser/frames/trim.h"

namespace ser {

namespace {

constexpr int kHop = 160;             // C2 hop: 10 ms at 16 kHz
constexpr float kTrimTopDb = 40.0f;   // below the loudest frame: breath and room noise
constexpr float kActiveDb = 40.0f;
constexpr float kLevelDbfs = -20.0f;  // loudest frame after levelling: far from clipping and from the floors    // frames within this of the loudest enter spectral statistics
constexpr int kMinTrimmed = 1600;     // 0.1 s
constexpr int kNMfcc = 20;
constexpr int kNMels = 64;        // C2 mel bands
constexpr int kNMelsUsed = 61;    // bands 0..60 end below 7.2 kHz; the top 3 reach the resampler's roll-off
constexpr int kMaxBin = 224;      // 224 * 31.25 Hz = 7 kHz: spectral statistics stay below the roll-off
constexpr int kNContrast = 7;
const char* const kStats5[] = {"mean", "std", "p10", "p50", "p90"};
const char* const kSpectral[] = {"centroid", "bandwidth", "rolloff", "flatness", "flux", "slope"};

// Mean, population sd, 10th/50th/90th percentiles (linear interpolation, numpy's default).
void stats5(std::vector<float> v, std::vector<float>& out) {
    if (v.empty()) {
        out.insert(out.end(), 5, 0.0f);
        return;
    }
    double sum = 0.0;
    for (float x : v) sum += x;
    const double mean = sum / double(v.size());
    double ss = 0.0;
    for (float x : v) ss += (x - mean) * (x - mean);
    std::sort(v.begin(), v.end());
    auto pct = [&](double q) {
        const double pos = q * double(v.size() - 1);
        const std::size_t lo = std::size_t(std::floor(pos));
        const std::size_t hi = std::min(lo + 1, v.size() - 1);
        return float(v[lo] + (pos - double(lo)) * (v[hi] - v[lo]));
    };
    out.push_back(float(mean));
    out.push_back(float(std::sqrt(ss / double(v.size()))));
    out.push_back(pct(0.1));
    out.push_back(pct(0.5));
    out.push_back(pct(0.9));
}

void mean_std(const std::vector<float>& v, std::vector<float>& out) {
    double sum = 0.0;
    for (float x : v) sum += x;
    const double mean = v.empty() ? 0.0 : sum / double(v.size());
    double ss = 0.0;
    for (float x : v) ss += (x - mean) * (x - mean);
    out.push_back(float(mean));
    out.push_back(v.empty() ? 0.0f : float(std::sqrt(ss / double(v.size()))));
}

// Least-squares slope of values against times (units per second); 0 with fewer than 2 points.
float slope_per_s(const std::vector<float>& t_s, const std::vector<float>& v) {
    const std::size_t n = v.size();
    if (n < 2) return 0.0f;
    double mt = 0.0, mv = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        mt += t_s[i];
        mv += v[i];
    }
    mt /= double(n);
    mv /= double(n);
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        num += (t_s[i] - mt) * (v[i] - mv);
        den += (t_s[i] - mt) * (t_s[i] - mt);
    }
    return den > 0.0 ? float(num / den) : 0.0f;
}

// Row r of m over the selected columns.
std::vector<float> row_at(const Eigen::MatrixXf& m, Eigen::Index r, const std::vector<int>& cols) {
    std::vector<float> v;
    v.reserve(cols.size());
    for (int c : cols) v.push_back(m(r, c));
    return v;
}

struct Scratch {
    std::vector<float> levelled;
    FrameFeatures frames;
    PitchTracker pitch;
    PitchTrack track;
};

Scratch& scratch() {
    static thread_local Scratch s;
    return s;
}

}  // namespace

std::vector<std::string> emo_names() {
    std::vector<std::string> n;
    for (const char* s : kStats5) n.push_back(std::string("f0_st_") + s);
    for (const char* s : {"range_st", "slope_st_per_s", "abs_delta_st", "rel_p10_st", "rel_p90_st"})
        n.push_back(std::string("f0_") + s);
    for (const char* s : {"ratio", "prob_mean", "aperiodicity_mean", "segments_per_s", "segment_mean_s"})
        n.push_back(std::string("voice_") + s);
    for (const char* s : kStats5) n.push_back(std::string("energy_rel_db_") + s);
    for (const char* s : {"slope_db_per_s", "delta_std_db", "voiced_minus_unvoiced_db"})
        n.push_back(std::string("energy_") + s);
    for (const char* d : kSpectral) {
        n.push_back(std::string("spec_") + d + "_mean");
        n.push_back(std::string("spec_") + d + "_std");
    }
    for (int b = 0; b < kNContrast; ++b) {
        n.push_back("spec_contrast" + std::to_string(b) + "_mean");
        n.push_back("spec_contrast" + std::to_string(b) + "_std");
    }
    for (int i = 1; i < kNMfcc; ++i) n.push_back("mfcc" + std::to_string(i) + "_mean");
    n.push_back("mfcc0_std");
    for (int i = 1; i < kNMfcc; ++i) n.push_back("mfcc" + std::to_string(i) + "_std");
    for (int i = 0; i < kNMfcc; ++i) n.push_back("mfcc" + std::to_string(i) + "_delta_std");
    for (int b = 0; b < kNMelsUsed; ++b) n.push_back("meldb" + std::to_string(b) + "_rel_mean");
    for (int b = 0; b < kNMelsUsed; ++b) n.push_back("meldb" + std::to_string(b) + "_std");
    n.push_back("dur_trimmed_s");
    return n;
}

Status compute_emo(FeatureExtractor& extractor, const float* samples, std::size_t n_samples, FeatureVector& out,
                   FeatureSetTrace* trace) {
    const FeatureConfig& cfg = extractor.config();
    if (cfg.hop_length != kHop || cfg.n_mfcc != kNMfcc || cfg.n_mels != kNMels || cfg.sample_rate_hz != 16000)
        return Status::error("emo", "extractor has " + cfg.describe() + "; expected C2 (hop 160, 20 MFCC, 64 mels, 16 kHz)");
    Scratch& s = scratch();
    if (!s.pitch.status()) return s.pitch.status();

    // 0. Level: scale the clip so that its loudest 512-sample frame has RMS kLevelDbfs. Every
    // statistic below is relative already, but librosa.yin zeroes autocorrelation and energy
    // terms below 1e-6 and the pitch tracker's voicing has an absolute -70 dBFS floor: on a
    // quiet recording (RAVDESS's loudest frames: median -29 dBFS) both moved F0 statistics by
    // up to 0.2 semitones at -20 dB and unvoiced 30% of the frames (emo v2).
    Result<std::vector<float>> frame_level = frame_rms(samples, n_samples, 512, kHop);
    if (!frame_level) return frame_level.status;
    const float loudest = *std::max_element(frame_level.value.begin(), frame_level.value.end());
    float gain = 1.0f;
    if (loudest > 0.0f) {
        const float g = std::pow(10.0f, kLevelDbfs / 20.0f) / loudest;
        gain = g;
        s.levelled.resize(n_samples);
        for (std::size_t i = 0; i < n_samples; ++i) s.levelled[i] = samples[i] * g;
        samples = s.levelled.data();
    }

    // 1. Trim leading/trailing silence.
    Result<TrimRange> range = trim_silence(samples, n_samples, kTrimTopDb, 512, kHop);
    if (!range) return range.status;
    const float* y = samples;
    std::size_t n = n_samples;
    if (range.value.length() >= std::size_t(kMinTrimmed)) {
        y = samples + range.value.start;
        n = range.value.length();
    }
    const double dur_s = double(n) / 16000.0;
    if (trace) {
        trace->start = std::size_t(y - samples);
        trace->end = trace->start + n;
        trace->gain_db = 20.0f * std::log10(gain);
    }

    // 2. Frame features and the F0 track on the same grid (1 + n / 160 frames each).
    if (Status st = extractor.compute(y, n, s.frames); !st) return st;
    if (Status st = s.pitch.compute(y, n, s.track); !st) return st;
    if (trace) trace->frames = s.frames;
    const FrameFeatures& f = s.frames;
    const PitchTrack& tr = s.track;
    const int T = std::min(f.n_frames, tr.n_frames());
    std::vector<float> t_s(T);
    for (int t = 0; t < T; ++t) t_s[t] = float(t * kHop) / 16000.0f;

    std::vector<float>& v = out.values;
    v.clear();

    // 3. F0 in semitones re 100 Hz over voiced frames; octave jumps (beyond 0.55..1.8 times
    // the median) folded back by one octave, frames still outside dropped.
    std::vector<float> st, st_t;
    for (int t = 0; t < T; ++t)
        if (tr.voiced[t]) {
            st.push_back(float(12.0 * std::log2(tr.f0_hz[t] / 100.0)));
            st_t.push_back(t_s[t]);
        }
    std::vector<int> voiced_idx;
    for (int t = 0; t < T; ++t)
        if (tr.voiced[t]) voiced_idx.push_back(t);
    if (!st.empty()) {
        std::vector<float> tmp = st;
        std::nth_element(tmp.begin(), tmp.begin() + tmp.size() / 2, tmp.end());
        const float med = tmp[tmp.size() / 2];
        std::vector<float> kept, kept_t;
        std::vector<int> kept_idx;
        for (std::size_t i = 0; i < st.size(); ++i) {
            float x = st[i];
            if (x - med > 10.2f) x -= 12.0f;        // 1.8x above the median: octave too high
            else if (med - x > 10.3f) x += 12.0f;   // 0.55x below: octave too low
            if (std::fabs(x - med) > 10.3f) continue;
            kept.push_back(x);
            kept_t.push_back(st_t[i]);
            kept_idx.push_back(voiced_idx[i]);
        }
        st.swap(kept);
        st_t.swap(kept_t);
        voiced_idx.swap(kept_idx);
    }
    stats5(st, v);
    const std::size_t f0_base = v.size() - 5;
    const float p10 = v[f0_base + 2], p50 = v[f0_base + 3], p90 = v[f0_base + 4];
    v.push_back(p90 - p10);
    v.push_back(slope_per_s(st_t, st));
    double abs_delta = 0.0;
    int n_delta = 0;
    for (std::size_t i = 1; i < st.size(); ++i)
        if (voiced_idx[i] == voiced_idx[i - 1] + 1) {
            abs_delta += std::fabs(st[i] - st[i - 1]);
            ++n_delta;
        }
    v.push_back(n_delta > 0 ? float(abs_delta / n_delta) : 0.0f);
    v.push_back(st.empty() ? 0.0f : p10 - p50);
    v.push_back(st.empty() ? 0.0f : p90 - p50);

    // 4. Voicing.
    int n_voiced = 0, n_segments = 0;
    double prob = 0.0, aper = 0.0;
    for (int t = 0; t < T; ++t) {
        prob += tr.voiced_prob[t];
        if (tr.voiced[t]) {
            ++n_voiced;
            aper += std::min(tr.aperiodicity[t], 1.0f);
            if (t == 0 || !tr.voiced[t - 1]) ++n_segments;
        }
    }
    v.push_back(T > 0 ? float(n_voiced) / float(T) : 0.0f);
    v.push_back(T > 0 ? float(prob / T) : 0.0f);
    v.push_back(n_voiced > 0 ? float(aper / n_voiced) : 1.0f);
    v.push_back(float(n_segments / std::max(dur_s, 0.1)));
    v.push_back(n_segments > 0 ? float(n_voiced * 0.01 / n_segments) : 0.0f);

    // 5. Energy: RMS dB relative to the loudest frame.
    std::vector<float> e_db(T);
    float e_max = -200.0f;
    for (int t = 0; t < T; ++t) {
        e_db[t] = float(20.0 * std::log10(std::max(double(f.rms(0, t)), 1e-5)));
        e_max = std::max(e_max, e_db[t]);
    }
    for (float& x : e_db) x -= e_max;
    stats5(e_db, v);
    v.push_back(slope_per_s(t_s, e_db));
    std::vector<float> e_delta;
    for (int t = 1; t < T; ++t) e_delta.push_back(e_db[t] - e_db[t - 1]);
    {
        std::vector<float> tmp;
        mean_std(e_delta, tmp);
        v.push_back(tmp[1]);
    }
    double ev = 0.0, eu = 0.0;
    int nv = 0, nu = 0;
    for (int t = 0; t < T; ++t) {
        if (e_db[t] < -kActiveDb) continue;
        if (tr.voiced[t]) {
            ev += e_db[t];
            ++nv;
        } else {
            eu += e_db[t];
            ++nu;
        }
    }
    v.push_back((nv > 0 && nu > 0) ? float(ev / nv - eu / nu) : 0.0f);

    // 6. Spectral shape over active frames (within kActiveDb of the loudest).
    std::vector<int> active;
    for (int t = 0; t < T; ++t)
        if (e_db[t] >= -kActiveDb) active.push_back(t);
    if (active.empty())
        for (int t = 0; t < T; ++t) active.push_back(t);
    // Only bins up to 7 kHz: between 7 and 8 kHz the level depends on which anti-aliasing filter
    // the clip went through (a 44.1 kHz file resampled here versus the 16 kHz training copies).
    const int n_fft = cfg.n_fft;
    const Eigen::MatrixXf mag = f.stft_mag.block(0, 0, kMaxBin + 1, T);
    Result<Eigen::MatrixXf> desc[6] = {spectral_centroid(mag, 16000, n_fft), spectral_bandwidth(mag, 16000, 2.0f, n_fft),
                                       spectral_rolloff(mag, 16000, 0.85f, n_fft), spectral_flatness(mag),
                                       spectral_flux(mag), spectral_slope(mag, 16000, n_fft)};
    for (auto& d : desc) {
        if (!d) return d.status;
        mean_std(row_at(d.value, 0, active), v);
    }
    Result<Eigen::MatrixXf> contrast = spectral_contrast(mag, 16000, 200.0f, 6, 0.02f, n_fft);
    if (!contrast) return contrast.status;
    for (int b = 0; b < kNContrast; ++b) mean_std(row_at(contrast.value, b, active), v);

    // 7. MFCC: c0 carries the gain, so only its spread is kept.
    const Eigen::MatrixXf mfcc = f.mfcc.leftCols(T);
    std::vector<float> tmp;
    for (int i = 1; i < kNMfcc; ++i) {
        tmp.clear();
        mean_std(row_at(mfcc, i, active), tmp);
        v.push_back(tmp[0]);
    }
    for (int i = 0; i < kNMfcc; ++i) {
        tmp.clear();
        mean_std(row_at(mfcc, i, active), tmp);
        v.push_back(tmp[1]);
    }
    const Eigen::MatrixXf dm = delta_width9(mfcc);
    for (int i = 0; i < kNMfcc; ++i) {
        tmp.clear();
        mean_std(row_at(dm, i, active), tmp);
        v.push_back(tmp[1]);
    }

    // 8. Log-mel bands: mean relative to the clip's mean level over all bands (gain-invariant
    // spectral envelope), and spread.
    const Eigen::MatrixXf mel = f.melspec_db.leftCols(T);
    std::vector<float> band_mean(kNMelsUsed), band_std(kNMelsUsed);
    double level = 0.0;
    for (int b = 0; b < kNMelsUsed; ++b) {
        tmp.clear();
        mean_std(row_at(mel, b, active), tmp);
        band_mean[b] = tmp[0];
        band_std[b] = tmp[1];
        level += tmp[0];
    }
    level /= kNMelsUsed;
    for (int b = 0; b < kNMelsUsed; ++b) v.push_back(float(band_mean[b] - level));
    for (int b = 0; b < kNMelsUsed; ++b) v.push_back(band_std[b]);

    // 9. Duration.
    v.push_back(float(dur_s));

    for (float& x : v)
        if (!std::isfinite(x)) x = 0.0f;
    return Status::ok();
}

}  // namespace ser
