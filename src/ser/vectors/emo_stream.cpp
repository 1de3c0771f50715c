// EmoStream: the emo vector of stream windows with per-frame analyses kept between windows (see emo_stream.h).
#include "ser/vectors/emo_stream.h"

#include <algorithm>
#include <map>
#include <vector>

#include "ser/frames/feature_config.h"
#include "ser/frames/frame_features.h"
#include "ser/frames/pitch.h"
#include "ser/vectors/emo_set.h"

namespace ser {

namespace {

// What a frame gives before the window's gain is known: |X|, mel power and YIN's terms of the
// unlevelled samples.
struct FrameAnalysis {
    std::vector<float> mag;
    std::vector<float> mel;
    YinFrameTerms yin;
    std::uint64_t call = 0;   // the compute() call that analysed it
    // YIN's decision at the last energy scale asked for (the gain often stays for several windows).
    double decided_scale = -1.0;
    YinFrame decided;
    // Its spectral descriptors (emo_spectral_frames' column) at the last gain asked for.
    float spectral_gain = -1.0f;
    float shape[5] = {};
    double peak[7] = {}, valley[7] = {};
};

}  // namespace

struct EmoStream::Impl {
    FeatureExtractor extractor{config_c2()};
    PitchTracker pitch{emo_pitch_config()};
    Status status;
    std::map<std::int64_t, FrameAnalysis> kept;   // by the frame centre's stream position
    int n_analysed = 0;
    int n_reused = 0;
    std::uint64_t call = 0;   // compute() calls so far
    // Scratch, reused between windows.
    std::vector<float> levelled, frame, power;
    FrameAnalysis edge;
    FrameFeatures frames;
    PitchTrack track;
    std::vector<FrameAnalysis*> window_frames;   // per frame of the window; null for an edge frame
    EmoSpectralFrames spectral, computed;
    std::vector<int> stale;
    Eigen::MatrixXf stale_mag;

    int n_fft() const { return extractor.config().n_fft; }
    int n_bins() const { return n_fft() / 2 + 1; }
    int hop() const { return extractor.config().hop_length; }
    // The longest analysis span around a centre: YIN's frame (the STFT's n_fft is shorter).
    long long half_span() const { return std::max(pitch.config().frame_length, n_fft()) / 2; }

    // The frame centred on sample c of clip[0..n) (the unlevelled trimmed window), zeros outside,
    // as compute_emo frames the levelled trimmed window.
    void analyse(const float* clip, std::size_t n, long long c, FrameAnalysis& out) {
        const long long start = c - n_fft() / 2;
        frame.resize(std::size_t(n_fft()));
        for (int i = 0; i < n_fft(); ++i) {
            const long long k = start + i;
            frame[i] = (k >= 0 && k < (long long)n) ? clip[k] : 0.0f;
        }
        out.mag.resize(std::size_t(n_bins()));
        power.resize(std::size_t(n_bins()));
        out.mel.resize(std::size_t(extractor.config().n_mels));
        extractor.frame_spectrum(frame.data(), out.mag.data(), power.data());
        extractor.frame_mel(power.data(), out.mel.data());
        pitch.frame_terms(clip, n, c, out.yin);
        out.call = call;
        out.decided_scale = -1.0;
        out.spectral_gain = -1.0f;
        ++n_analysed;
    }

    // Frame t's analysis: kept (analyse_new_frames) when its span lies inside the trimmed part.
    FrameAnalysis& frame_at(const float* clip, std::size_t n, int t, std::int64_t clip_offset) {
        const long long c = (long long)t * hop();
        const bool inside = c - half_span() >= 0 && c + half_span() <= (long long)n;
        if (!inside) {
            analyse(clip, n, c, edge);
            return edge;
        }
        auto it = kept.find(clip_offset + c);
        if (it != kept.end()) {
            if (it->second.call != call) ++n_reused;
            return it->second;
        }
        FrameAnalysis& a = kept[clip_offset + c];
        analyse(clip, n, c, a);
        return a;
    }

    // Every frame of the window on the grid from its first sample whose span lies inside the
    // window and that no earlier window analysed: each stream frame is analysed once, when it has
    // arrived, whether or not this window's trim keeps it (a pause trimmed away now is inside the
    // trimmed part once speech resumes).
    void analyse_new_frames(const float* samples, std::size_t n, std::int64_t offset) {
        for (long long c = 0; c + half_span() <= (long long)n; c += hop()) {
            if (c - half_span() < 0) continue;
            auto it = kept.lower_bound(offset + c);
            if (it != kept.end() && it->first == offset + c) continue;
            analyse(samples, n, c, kept.emplace_hint(it, offset + c, FrameAnalysis())->second);
        }
    }

    // The window's per-frame spectral descriptors: kept ones where the frame was described at this
    // gain before (the same |X| column, so the same values), the others (edge frames, a new gain)
    // computed together.
    Status assemble_spectral(float g) {
        const int T = frames.n_frames;
        spectral.shape.resize(5, T);
        spectral.contrast.peak.resize(7, T);
        spectral.contrast.valley.resize(7, T);
        stale.clear();
        for (int t = 0; t < T; ++t) {
            const FrameAnalysis* a = window_frames[t];
            if (a && a->spectral_gain == g) {
                for (int r = 0; r < 5; ++r) spectral.shape(r, t) = a->shape[r];
                for (int b = 0; b < 7; ++b) {
                    spectral.contrast.peak(b, t) = a->peak[b];
                    spectral.contrast.valley(b, t) = a->valley[b];
                }
            } else {
                stale.push_back(t);
            }
        }
        if (stale.empty()) return Status::ok();
        stale_mag.resize(frames.stft_mag.rows(), Eigen::Index(stale.size()));
        for (std::size_t i = 0; i < stale.size(); ++i) stale_mag.col(Eigen::Index(i)) = frames.stft_mag.col(stale[i]);
        if (Status st = emo_spectral_frames(stale_mag, n_fft(), computed); !st) return st;
        for (std::size_t i = 0; i < stale.size(); ++i) {
            const int t = stale[i];
            const Eigen::Index c = Eigen::Index(i);
            spectral.shape.col(t) = computed.shape.col(c);
            spectral.contrast.peak.col(t) = computed.contrast.peak.col(c);
            spectral.contrast.valley.col(t) = computed.contrast.valley.col(c);
            FrameAnalysis* a = window_frames[t];
            if (!a) continue;
            a->spectral_gain = g;
            for (int r = 0; r < 5; ++r) a->shape[r] = computed.shape(r, c);
            for (int b = 0; b < 7; ++b) {
                a->peak[b] = computed.contrast.peak(b, c);
                a->valley[b] = computed.contrast.valley(b, c);
            }
        }
        return Status::ok();
    }

    // Step 2 of compute_emo from the frames' analyses at gain g: the matrices emo_values reads.
    Status assemble(const float* clip, const float* levelled_clip, std::size_t n, std::int64_t clip_offset, float g) {
        const FeatureConfig& cfg = extractor.config();
        const int T = int(1 + n / std::size_t(hop()));
        const float g2 = g * g;
        const double energy_scale = double(g) * double(g);
        frames.n_frames = T;
        frames.stft_mag.resize(n_bins(), T);
        frames.melspec.resize(cfg.n_mels, T);
        frames.melspec_db.resize(cfg.n_mels, T);
        frames.mfcc.resize(cfg.n_mfcc, T);
        track.f0_hz.assign(std::size_t(T), 0.0f);
        track.aperiodicity.assign(std::size_t(T), 1.0f);
        track.voiced_prob.assign(std::size_t(T), 0.0f);
        track.voiced.assign(std::size_t(T), 0);
        track.rms_db.assign(std::size_t(T), -120.0f);
        track.hop_length = hop();
        track.sample_rate_hz = cfg.sample_rate_hz;
        window_frames.assign(std::size_t(T), nullptr);
        for (int t = 0; t < T; ++t) {
            FrameAnalysis& a = frame_at(clip, n, t, clip_offset);
            if (&a != &edge) window_frames[t] = &a;
            for (int k = 0; k < n_bins(); ++k) frames.stft_mag(k, t) = g * a.mag[k];
            for (int m = 0; m < cfg.n_mels; ++m) frames.melspec(m, t) = g2 * a.mel[m];
            if (a.decided_scale != energy_scale) {
                a.decided = pitch.decide_frame(a.yin, energy_scale);
                a.decided_scale = energy_scale;
            }
            const YinFrame& f = a.decided;
            track.f0_hz[t] = f.f0_hz;
            track.aperiodicity[t] = f.aperiodicity;
            track.voiced_prob[t] = f.voiced_prob;
            track.rms_db[t] = f.rms_db;
        }
        pitch.finish_voicing(track);
        if (Status st = assemble_spectral(g); !st) return st;
        extractor.mel_db_and_mfcc(frames.melspec.data(), T, frames.melspec_db.data(), frames.mfcc.data());
        // The frame RMS of the levelled samples, as FeatureExtractor computes it (librosa.feature.rms).
        Result<std::vector<float>> rms = frame_rms(levelled_clip, n, n_fft(), hop());
        if (!rms) return rms.status;
        frames.rms = Eigen::Map<const Eigen::MatrixXf>(rms.value.data(), 1, T);
        return Status::ok();
    }
};

EmoStream::EmoStream() : impl_(std::make_unique<Impl>()) {
    impl_->status = impl_->extractor.status() ? impl_->pitch.status() : impl_->extractor.status();
}

EmoStream::~EmoStream() = default;

const Status& EmoStream::status() const { return impl_->status; }

Status EmoStream::compute(const float* samples, std::size_t n_samples, std::int64_t offset, FeatureVector& out) {
    Impl& m = *impl_;
    if (!m.status) return m.status;
    if (offset < 0) return Status::error("emo", "stream offset " + format_value(double(offset)) + "; expected >= 0");
    m.n_analysed = m.n_reused = 0;
    ++m.call;
    m.kept.erase(m.kept.begin(), m.kept.lower_bound(offset));
    const float* levelled = samples;
    Result<EmoClip> clip = emo_level_and_trim(levelled, n_samples, m.levelled);
    if (!clip) return clip.status;
    m.analyse_new_frames(samples, n_samples, offset);
    const std::size_t lo = clip.value.range.start, n = clip.value.range.length();
    if (Status st = m.assemble(samples + lo, levelled + lo, n, offset + std::int64_t(lo), clip.value.gain); !st)
        return st;
    return emo_values(m.frames, m.track, n, m.n_fft(), out.values, &m.spectral);
}

void EmoStream::reset() { impl_->kept.clear(); }
int EmoStream::n_analysed() const { return impl_->n_analysed; }
int EmoStream::n_reused() const { return impl_->n_reused; }

}  // namespace ser
