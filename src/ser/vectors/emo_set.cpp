// The "emo" feature set; see emo_set.h for the groups and the reasons behind them.
#include "ser/vectors/emo_set.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "ser/base/stats.h"
#include "ser/frames/pitch.h"
#include "ser/frames/spectral.h"
#include "ser/frames/trim.h"

namespace ser {

namespace {

constexpr int kHop = 160;             // C2 hop: 10 ms at 16 kHz
constexpr float kTrimTopDb = 40.0f;   // below the loudest frame: breath and room noise
constexpr float kActiveDb = 40.0f;    // frames within this of the loudest enter spectral statistics
constexpr float kLevelDbfs = -20.0f;  // loudest frame after levelling: far from clipping and from the floors
constexpr int kMinTrimmed = 1600;     // 0.1 s
constexpr int kNMfcc = 20;
constexpr int kNMels = 64;        // C2 mel bands
constexpr int kNMelsUsed = 61;    // bands 0..60 end below 7.2 kHz; the top 3 reach the resampler's roll-off
constexpr int kMaxBin = 224;      // 224 * 31.25 Hz = 7 kHz: spectral statistics stay below the roll-off
constexpr int kNContrast = 7;

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
    PitchTracker pitch{emo_pitch_config()};
    PitchTrack track;
};

Scratch& scratch() {
    static thread_local Scratch s;
    return s;
}


// The vector under construction with its names: every group adds a value and its name in the same
// call, so the names (emo_names) cannot drift from the values. names is null when only values are wanted.
class NamedValues {
public:
    NamedValues(std::vector<float>& values, std::vector<std::string>* names) : values_(values), names_(names) {}
    void add(const std::string& name, float v) {
        values_.push_back(v);
        if (names_) names_->push_back(name);
    }
    void add(const std::string& stem, const char* suffix, float v) {
        values_.push_back(v);
        if (names_) names_->push_back(stem + suffix);  // names only when asked: classification needs none
    }
    // stem_mean, stem_std, stem_p10, stem_p50, stem_p90 (zeros for no values).
    void add_stats5(const std::string& stem, std::vector<float> v) {
        if (v.empty()) {
            for (const char* s : {"_mean", "_std", "_p10", "_p50", "_p90"}) add(stem, s, 0.0f);
            return;
        }
        const MeanSd m = mean_sd(v);
        std::sort(v.begin(), v.end());
        add(stem, "_mean", float(m.mean));
        add(stem, "_std", float(m.sd));
        add(stem, "_p10", percentile_sorted(v, 0.1));
        add(stem, "_p50", percentile_sorted(v, 0.5));
        add(stem, "_p90", percentile_sorted(v, 0.9));
    }
    void add_mean_std(const std::string& stem, const std::vector<float>& v) {
        const MeanSd m = mean_sd(v);
        add(stem, "_mean", float(m.mean));
        add(stem, "_std", float(m.sd));
    }
    float back(std::size_t from_end) const { return values_[values_.size() - 1 - from_end]; }

private:
    std::vector<float>& values_;
    std::vector<std::string>* names_;
};

// What every group reads: the trimmed clip's frames and F0 track on one grid, frame times, the
// energy profile and the active frames.
struct EmoFrames {
    const FrameFeatures& f;
    const PitchTrack& tr;
    int T = 0;                     // frames common to both
    double dur_s = 0.0;            // trimmed duration
    std::vector<float> t_s;        // frame times
    std::vector<float> e_db;       // frame RMS in dB relative to the loudest frame
    std::vector<int> active;       // frames within kActiveDb of the loudest (all when none)
};

// 0. Level: scale the clip so that its loudest 512-sample frame has RMS kLevelDbfs. Every
// statistic below is relative already, but librosa.yin zeroes autocorrelation and energy
// terms below 1e-6 and the pitch tracker's voicing has an absolute -70 dBFS floor: on a
// quiet recording (RAVDESS's loudest frames: median -29 dBFS) both moved F0 statistics by
// up to 0.2 semitones at -20 dB and unvoiced 30% of the frames (emo v2).
Result<float> level_clip(const float*& samples, std::size_t n_samples, std::vector<float>& levelled) {
    Result<std::vector<float>> frame_level = frame_rms(samples, n_samples, 512, kHop);
    if (!frame_level) return frame_level.status;
    const float loudest = *std::max_element(frame_level.value.begin(), frame_level.value.end());
    if (!(loudest > 0.0f)) return 1.0f;
    const float g = std::pow(10.0f, kLevelDbfs / 20.0f) / loudest;
    levelled.resize(n_samples);
    for (std::size_t i = 0; i < n_samples; ++i) levelled[i] = samples[i] * g;
    samples = levelled.data();
    return g;
}

// 1. Trim leading/trailing silence; the whole clip when what is left is shorter than 0.1 s.
Result<TrimRange> trim_clip(const float* samples, std::size_t n_samples) {
    Result<TrimRange> range = trim_silence(samples, n_samples, kTrimTopDb, 512, kHop);
    if (!range) return range;
    if (range.value.length() < std::size_t(kMinTrimmed)) range.value = TrimRange{0, n_samples};
    return range;
}

// Frame times, the energy profile (RMS dB re the loudest frame) and the active frames.
void prepare_frames(EmoFrames& in) {
    in.t_s.resize(std::size_t(in.T));
    for (int t = 0; t < in.T; ++t) in.t_s[t] = float(t * kHop) / 16000.0f;
    in.e_db.resize(std::size_t(in.T));
    float e_max = -200.0f;
    for (int t = 0; t < in.T; ++t) {
        in.e_db[t] = float(20.0 * std::log10(std::max(double(in.f.rms(0, t)), 1e-5)));
        e_max = std::max(e_max, in.e_db[t]);
    }
    for (float& x : in.e_db) x -= e_max;
    for (int t = 0; t < in.T; ++t)
        if (in.e_db[t] >= -kActiveDb) in.active.push_back(t);
    if (in.active.empty())
        for (int t = 0; t < in.T; ++t) in.active.push_back(t);
}

// 3. F0 in semitones re 100 Hz over voiced frames; octave jumps (beyond 0.55..1.8 times
// the median) folded back by one octave, frames still outside dropped.
void add_f0(const EmoFrames& in, NamedValues& out) {
    std::vector<float> st, st_t;
    std::vector<int> voiced_idx;
    for (int t = 0; t < in.T; ++t)
        if (in.tr.voiced[t]) {
            st.push_back(float(12.0 * std::log2(in.tr.f0_hz[t] / 100.0)));
            st_t.push_back(in.t_s[t]);
            voiced_idx.push_back(t);
        }
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
    out.add_stats5("f0_st", st);
    const float p10 = out.back(2), p50 = out.back(1), p90 = out.back(0);
    out.add("f0_range_st", p90 - p10);
    out.add("f0_slope_st_per_s", slope_per_s(st_t, st));
    double abs_delta = 0.0;
    int n_delta = 0;
    for (std::size_t i = 1; i < st.size(); ++i)
        if (voiced_idx[i] == voiced_idx[i - 1] + 1) {
            abs_delta += std::fabs(st[i] - st[i - 1]);
            ++n_delta;
        }
    out.add("f0_abs_delta_st", n_delta > 0 ? float(abs_delta / n_delta) : 0.0f);
    out.add("f0_rel_p10_st", st.empty() ? 0.0f : p10 - p50);
    out.add("f0_rel_p90_st", st.empty() ? 0.0f : p90 - p50);
}

// 4. Voicing: share of voiced frames, mean voicing probability and aperiodicity, segment rate and length.
void add_voicing(const EmoFrames& in, NamedValues& out) {
    const int T = in.T;
    int n_voiced = 0, n_segments = 0;
    double prob = 0.0, aper = 0.0;
    for (int t = 0; t < T; ++t) {
        prob += in.tr.voiced_prob[t];
        if (in.tr.voiced[t]) {
            ++n_voiced;
            aper += std::min(in.tr.aperiodicity[t], 1.0f);
            if (t == 0 || !in.tr.voiced[t - 1]) ++n_segments;
        }
    }
    out.add("voice_ratio", T > 0 ? float(n_voiced) / float(T) : 0.0f);
    out.add("voice_prob_mean", T > 0 ? float(prob / T) : 0.0f);
    out.add("voice_aperiodicity_mean", n_voiced > 0 ? float(aper / n_voiced) : 1.0f);
    out.add("voice_segments_per_s", float(n_segments / std::max(in.dur_s, 0.1)));
    out.add("voice_segment_mean_s", n_segments > 0 ? float(n_voiced * 0.01 / n_segments) : 0.0f);
}

// 5. Energy: RMS dB relative to the loudest frame, its slope and frame-to-frame spread, and the
// level of voiced over unvoiced active frames.
void add_energy(const EmoFrames& in, NamedValues& out) {
    out.add_stats5("energy_rel_db", in.e_db);
    out.add("energy_slope_db_per_s", slope_per_s(in.t_s, in.e_db));
    std::vector<float> e_delta;
    for (int t = 1; t < in.T; ++t) e_delta.push_back(in.e_db[t] - in.e_db[t - 1]);
    out.add("energy_delta_std_db", float(mean_sd(e_delta).sd));
    double ev = 0.0, eu = 0.0;
    int nv = 0, nu = 0;
    for (int t = 0; t < in.T; ++t) {
        if (in.e_db[t] < -kActiveDb) continue;
        if (in.tr.voiced[t]) {
            ev += in.e_db[t];
            ++nv;
        } else {
            eu += in.e_db[t];
            ++nu;
        }
    }
    out.add("energy_voiced_minus_unvoiced_db", (nv > 0 && nu > 0) ? float(ev / nv - eu / nu) : 0.0f);
}

// 6. Spectral shape over active frames. Only bins up to 7 kHz: between 7 and 8 kHz the level
// depends on which anti-aliasing filter the clip went through (a 44.1 kHz file resampled here
// versus the 16 kHz training copies).
Status spectral_frames(const Eigen::MatrixXf& mag, int n_fft, EmoSpectralFrames& out) {
    const Result<Eigen::MatrixXf> rows[] = {spectral_centroid(mag, 16000, n_fft), spectral_bandwidth(mag, 16000, 2.0f, n_fft),
                                            spectral_rolloff(mag, 16000, 0.85f, n_fft), spectral_flatness(mag),
                                            spectral_slope(mag, 16000, n_fft)};
    out.shape.resize(5, mag.cols());
    for (int r = 0; r < 5; ++r) {
        if (!rows[r]) return rows[r].status;
        out.shape.row(r) = rows[r].value.row(0);
    }
    Result<ContrastBands> bands = spectral_contrast_bands(mag, 16000, 200.0f, 6, 0.02f, n_fft);
    if (!bands) return bands.status;
    out.contrast = std::move(bands.value);
    return Status::ok();
}

// The descriptors of each frame (given, or computed here), then flux, which pairs frames, and the
// contrast in dB, whose floor is window-wide.
Status add_spectral(const EmoFrames& in, int n_fft, const EmoSpectralFrames* given, NamedValues& out) {
    const Eigen::MatrixXf mag = in.f.stft_mag.block(0, 0, kMaxBin + 1, in.T);
    EmoSpectralFrames own;
    if (!given) {
        if (Status st = spectral_frames(mag, n_fft, own); !st) return st;
        given = &own;
    }
    Result<Eigen::MatrixXf> flux = spectral_flux(mag);
    if (!flux) return flux.status;
    const char* shape_names[] = {"spec_centroid", "spec_bandwidth", "spec_rolloff", "spec_flatness"};
    for (int r = 0; r < 4; ++r) out.add_mean_std(shape_names[r], row_at(given->shape, r, in.active));
    out.add_mean_std("spec_flux", row_at(flux.value, 0, in.active));
    out.add_mean_std("spec_slope", row_at(given->shape, 4, in.active));
    const Eigen::MatrixXf contrast = contrast_from_bands(given->contrast);
    for (int b = 0; b < kNContrast; ++b)
        out.add_mean_std("spec_contrast" + std::to_string(b), row_at(contrast, b, in.active));
    return Status::ok();
}

// 7. MFCC over active frames: c0 carries the gain, so only its spread is kept; then the spread of
// every coefficient's delta.
void add_mfcc(const EmoFrames& in, NamedValues& out) {
    const Eigen::MatrixXf mfcc = in.f.mfcc.leftCols(in.T);
    std::vector<MeanSd> m(kNMfcc);
    for (int i = 0; i < kNMfcc; ++i) m[i] = mean_sd(row_at(mfcc, i, in.active));
    for (int i = 1; i < kNMfcc; ++i) out.add("mfcc" + std::to_string(i) + "_mean", float(m[i].mean));
    for (int i = 0; i < kNMfcc; ++i) out.add("mfcc" + std::to_string(i) + "_std", float(m[i].sd));
    const Eigen::MatrixXf dm = delta_width9(mfcc);
    for (int i = 0; i < kNMfcc; ++i)
        out.add("mfcc" + std::to_string(i) + "_delta_std", float(mean_sd(row_at(dm, i, in.active)).sd));
}

// 8. Log-mel bands below 7.2 kHz over active frames: mean relative to the clip's mean level over
// all bands (a gain-invariant spectral envelope), and spread.
void add_mel(const EmoFrames& in, NamedValues& out) {
    const Eigen::MatrixXf mel = in.f.melspec_db.leftCols(in.T);
    std::vector<float> band_mean(kNMelsUsed), band_std(kNMelsUsed);
    double level = 0.0;
    for (int b = 0; b < kNMelsUsed; ++b) {
        const MeanSd m = mean_sd(row_at(mel, b, in.active));
        band_mean[b] = float(m.mean);
        band_std[b] = float(m.sd);
        level += band_mean[b];
    }
    level /= kNMelsUsed;
    for (int b = 0; b < kNMelsUsed; ++b) out.add("meldb" + std::to_string(b) + "_rel_mean", float(band_mean[b] - level));
    for (int b = 0; b < kNMelsUsed; ++b) out.add("meldb" + std::to_string(b) + "_std", band_std[b]);
}

// Step 3's groups in order; names when asked.
Status values_from_frames(const FrameFeatures& frames, const PitchTrack& track, std::size_t n_trimmed, int n_fft,
                          const EmoSpectralFrames* spectral, std::vector<float>& values, std::vector<std::string>* names) {
    EmoFrames in{frames, track, std::min(frames.n_frames, track.n_frames()), double(n_trimmed) / 16000.0, {}, {}, {}};
    prepare_frames(in);
    values.clear();
    if (names) names->clear();
    NamedValues out(values, names);
    add_f0(in, out);
    add_voicing(in, out);
    add_energy(in, out);
    if (Status st = add_spectral(in, n_fft, spectral, out); !st) return st;
    add_mfcc(in, out);
    add_mel(in, out);
    out.add("dur_trimmed_s", float(in.dur_s));   // 9. Duration.
    for (float& x : values)
        if (!std::isfinite(x)) x = 0.0f;
    return Status::ok();
}

Status check_extractor(const FeatureExtractor& extractor) {
    const FeatureConfig& cfg = extractor.config();
    if (cfg.hop_length != kHop || cfg.n_mfcc != kNMfcc || cfg.n_mels != kNMels || cfg.sample_rate_hz != 16000)
        return Status::error("emo", "extractor has " + cfg.describe() + "; expected C2 (hop 160, 20 MFCC, 64 mels, 16 kHz)");
    return Status::ok();
}

// The whole set: level, trim, frames and F0 on the trimmed part, then the groups in order.
Status compute_named(FeatureExtractor& extractor, const float* samples, std::size_t n_samples, std::vector<float>& values,
                     std::vector<std::string>* names, FeatureSetTrace* trace) {
    if (Status st = check_extractor(extractor); !st) return st;
    Scratch& s = scratch();
    if (!s.pitch.status()) return s.pitch.status();
    Result<EmoClip> clip = emo_level_and_trim(samples, n_samples, s.levelled);
    if (!clip) return clip.status;
    const float* y = samples + clip.value.range.start;
    const std::size_t n = clip.value.range.length();
    if (trace) {
        trace->start = clip.value.range.start;
        trace->end = clip.value.range.end;
        trace->gain_db = 20.0f * std::log10(clip.value.gain);
    }
    // 2. Frame features and the F0 track on the same grid (1 + n / 160 frames each).
    if (Status st = extractor.compute(y, n, s.frames); !st) return st;
    if (Status st = s.pitch.compute(y, n, s.track); !st) return st;
    if (trace) trace->frames = s.frames;
    return values_from_frames(s.frames, s.track, n, extractor.config().n_fft, nullptr, values, names);
}

}  // namespace

// The names come from the groups themselves, run once on 0.2 s of a synthetic voiced sound.
std::vector<std::string> emo_names() {
    static const std::vector<std::string> names = [] {
        std::vector<float> y(3200), values;   // 0.2 s: the names do not depend on the length
        for (std::size_t i = 0; i < y.size(); ++i)
            y[i] = float(0.1 * std::sin(2.0 * 3.14159265358979323846 * 150.0 * double(i) / 16000.0));
        std::vector<std::string> n;
        FeatureExtractor extractor(config_c2());
        Status st = extractor.status() ? compute_named(extractor, y.data(), y.size(), values, &n, nullptr) : extractor.status();
        assert(st && "the emo groups run on a synthetic tone");
        (void)st;
        return n;
    }();
    return names;
}

Result<EmoClip> emo_level_and_trim(const float*& samples, std::size_t n_samples, std::vector<float>& levelled) {
    Result<float> gain = level_clip(samples, n_samples, levelled);
    if (!gain) return gain.status;
    Result<TrimRange> range = trim_clip(samples, n_samples);
    if (!range) return range.status;
    return EmoClip{gain.value, range.value};
}

PitchConfig emo_pitch_config() { return PitchConfig(); }

Status emo_spectral_frames(const Eigen::MatrixXf& stft_mag, int n_fft, EmoSpectralFrames& out) {
    if (stft_mag.rows() <= kMaxBin)
        return Status::error("emo", "spectrogram has " + format_value(double(stft_mag.rows())) + " bins; expected more than " +
                                        format_value(kMaxBin));
    return spectral_frames(stft_mag.topRows(kMaxBin + 1), n_fft, out);
}

Status emo_values(const FrameFeatures& frames, const PitchTrack& track, std::size_t n_trimmed, int n_fft,
                  std::vector<float>& values, const EmoSpectralFrames* spectral) {
    return values_from_frames(frames, track, n_trimmed, n_fft, spectral, values, nullptr);
}

Status compute_emo(FeatureExtractor& extractor, const float* samples, std::size_t n_samples, FeatureVector& out,
                   FeatureSetTrace* trace) {
    return compute_named(extractor, samples, n_samples, out.values, nullptr, trace);
}

}  // namespace ser
