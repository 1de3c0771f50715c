// YIN F0 tracker with pYIN-style voicing probability; see pitch.h for the contract and references.
#include "ser/frames/pitch.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "kiss_fftr.h"
#include "ser/base/spectrum_ops.h"

namespace ser {

namespace {

Status config_error(const std::string& what) { return Status::error("pitch", what); }

}  // namespace

Status PitchConfig::validate() const {
    if (sample_rate_hz < 1000 || sample_rate_hz > 192000)
        return config_error("sample rate " + format_value(sample_rate_hz) + " Hz; expected 1000 to 192000 Hz");
    if (!(fmin_hz > 0.0f) || !std::isfinite(fmin_hz))
        return config_error("fmin " + format_value(fmin_hz) + " Hz; expected > 0 Hz");
    if (!(fmax_hz > fmin_hz) || !(fmax_hz <= 0.5f * float(sample_rate_hz)))
        return config_error("fmax " + format_value(fmax_hz) + " Hz; expected fmin (" + format_value(fmin_hz) +
                            " Hz) < fmax <= sr/2 (" + format_value(0.5 * sample_rate_hz) + " Hz)");
    if (frame_length < 64 || frame_length > 8192 || frame_length % 2 != 0)
        return config_error("frame_length " + format_value(frame_length) + "; expected an even number in 64..8192");
    if (win_length < 16 || win_length >= frame_length)
        return config_error("win_length " + format_value(win_length) + "; expected 16 <= win_length < frame_length (" +
                            format_value(frame_length) + ")");
    if (hop_length < 1 || hop_length > 8192)
        return config_error("hop_length " + format_value(hop_length) + "; expected 1..8192");
    const int longest = int(std::ceil(double(sample_rate_hz) / fmin_hz));
    const int room = frame_length - win_length - 1;
    if (longest > room)
        return config_error("fmin " + format_value(fmin_hz) + " Hz needs periods up to " + format_value(longest) +
                            " samples but frame_length - win_length - 1 is " + format_value(room) +
                            "; expected a longer frame or a higher fmin");
    const int shortest = std::max(int(std::floor(double(sample_rate_hz) / fmax_hz)), 1);
    if (longest - shortest < 2)
        return config_error("period range " + format_value(shortest) + ".." + format_value(longest) +
                            " samples; expected at least 3 candidate periods (widen fmin..fmax)");
    if (!(trough_threshold > 0.0f && trough_threshold <= 1.0f))
        return config_error("trough_threshold " + format_value(trough_threshold) + "; expected (0, 1]");
    if (!(voiced_threshold > 0.0f && voiced_threshold < 1.0f))
        return config_error("voiced_threshold " + format_value(voiced_threshold) + "; expected (0, 1)");
    if (!(prior_mean >= 0.01f && prior_mean <= 0.5f))
        return config_error("prior_mean " + format_value(prior_mean) + "; expected 0.01..0.5");
    if (!(silence_db >= -150.0f && silence_db <= 0.0f))
        return config_error("silence_db " + format_value(silence_db) + " dBFS; expected -150..0 dBFS");
    if (!(relative_db >= 0.0f && relative_db <= 150.0f))
        return config_error("relative_db " + format_value(relative_db) + " dB; expected 0..150 dB");
    return Status::ok();
}

float PitchTrack::voiced_ratio() const {
    if (voiced.empty()) return 0.0f;
    std::size_t n = 0;
    for (unsigned char v : voiced) n += v ? 1 : 0;
    return float(n) / float(voiced.size());
}

float yin_voiced_probability(float aperiodicity, float prior_mean) {
    // 1 - I_d(2, b) = (1-d)^b (1 + b d): the tail of the Beta(2, b) distribution, whose density
    // b (b+1) x (1-x)^(b-1) is minus the derivative of that expression.
    const double d = std::min(std::max(double(aperiodicity), 0.0), 1.0);
    const double b = 2.0 / double(prior_mean) - 2.0;
    const double p = std::pow(1.0 - d, b) * (1.0 + b * d);
    return float(std::min(std::max(p, 0.0), 1.0));
}

struct PitchTracker::Impl {
    PitchConfig config;
    Status status;
    int min_period = 1;
    int max_period = 1;
    kiss_fftr_cfg forward = nullptr;
    kiss_fftr_cfg inverse = nullptr;
    // Work buffers, sized once.
    std::vector<double> frame, reversed, corr, diff, energy_cum;
    std::vector<kiss_fft_cpx> spec_a, spec_b;
    std::vector<double> cmnd;

    ~Impl() {
        if (forward) kiss_fftr_free(forward);
        if (inverse) kiss_fftr_free(inverse);
    }

    YinFrameTerms terms;                // of the frame held in `frame`

    // The zero-padded frame centred on sample `centre` (librosa center=True, pad_mode='constant').
    void load_frame(const float* samples, std::size_t n_samples, long long centre) {
        const long long start = centre - config.frame_length / 2;
        for (int i = 0; i < config.frame_length; ++i) {
            const long long k = start + i;
            frame[i] = (k >= 0 && k < (long long)n_samples) ? double(samples[k]) : 0.0;
        }
    }

    // Eq. 6's terms of the frame held in `frame` (librosa _cumulative_mean_normalized_difference,
    // before it zeroes tiny values).
    void compute_terms(YinFrameTerms& t) {
        const int fl = config.frame_length;
        const int w = config.win_length;
        // Autocorrelation acf[tau] = sum_{j=1..W} x[j] x[j+tau] as irfft(rfft(x) * rfft(x[W:0:-1])).
        std::fill(reversed.begin(), reversed.end(), 0.0);
        for (int m = 0; m < w; ++m) reversed[m] = frame[w - m];
        kiss_fftr(forward, frame.data(), spec_a.data());
        kiss_fftr(forward, reversed.data(), spec_b.data());
        multiply_spectra(spec_a, spec_b);
        kiss_fftri(inverse, spec_a.data(), corr.data());
        const double inv_n = 1.0 / fl;
        // Lags beyond max_period never reach d'(tau) (librosa computes them and slices them off).
        const int n_lag = std::min(fl - w, max_period + 1);
        energy_cum[0] = frame[0] * frame[0];
        for (int i = 1; i < w + n_lag; ++i) energy_cum[i] = energy_cum[i - 1] + frame[i] * frame[i];
        t.acf.resize(std::size_t(n_lag));
        t.energy.resize(std::size_t(n_lag));
        for (int tau = 0; tau < n_lag; ++tau) {
            t.acf[tau] = corr[w + tau] * inv_n;
            t.energy[tau] = energy_cum[w + tau] - energy_cum[tau];
        }
        double e = 0.0;
        for (int j = 1; j <= w; ++j) e += frame[j] * frame[j];
        t.window_energy = e;
    }

    // d'(tau) into `cmnd` from the terms, every energy times `scale`.
    void compute_cmnd(const YinFrameTerms& t, double scale) {
        const int n_lag = int(t.acf.size());
        double e0 = 0.0;
        for (int tau = 0; tau < n_lag; ++tau) {
            double acf = t.acf[tau] * scale;
            if (std::fabs(acf) < 1e-6) acf = 0.0;   // librosa zeroes tiny values (FFT round-off)
            double e = t.energy[tau] * scale;
            if (std::fabs(e) < 1e-6) e = 0.0;
            if (tau == 0) e0 = e;
            diff[tau] = e0 + e - 2.0 * acf;          // YIN eq. 6 via energies and acf
        }
        // YIN eq. 8: d'(tau) = d(tau) / ((1/tau) sum_{j=1..tau} d(j)), for tau in [min, max].
        double cum = 0.0;
        cmnd.resize(max_period - min_period + 1);
        for (int tau = 1; tau <= max_period; ++tau) {
            cum += diff[tau];
            if (tau >= min_period) cmnd[tau - min_period] = diff[tau] / (cum / tau + DBL_MIN);
        }
    }

    // librosa _parabolic_interpolation: the vertex offset of the parabola through candidates i-1, i,
    // i+1 (0 at the ends and beyond one candidate). librosa computes it for every candidate and
    // picks one; only the chosen one's is computed here, the same value.
    static double parabolic_shift(const std::vector<double>& d, int i) {
        if (i < 1 || i + 1 >= int(d.size())) return 0.0;
        const double a = (d[i - 1] + d[i + 1] - 2.0 * d[i]) / 2.0;
        const double b = (d[i + 1] - d[i - 1]) / 2.0;
        const double sh = -b / (2.0 * a + DBL_MIN);
        return std::fabs(sh) <= 1.0 ? sh : 0.0;
    }

    // First trough of d' below the threshold (else the global minimum), refined by a parabola;
    // the pYIN voicing probability of the deepest trough; the window's level.
    YinFrame decide(const YinFrameTerms& t, double scale) {
        compute_cmnd(t, scale);
        const std::vector<double>& d = cmnd;
        const int n_cand = max_period - min_period + 1;
        // Troughs: util.localmin (x[i] < x[i-1] and x[i] <= x[i+1], edges replicated),
        // with the first candidate a trough when it is below the second.
        int chosen = -1;
        int global_min = 0;
        double deepest = 2.0;
        bool any_trough = false;
        for (int i = 0; i < n_cand; ++i) {
            if (d[i] < d[global_min]) global_min = i;
            bool trough;
            if (i == 0)
                trough = d[0] < d[1];
            else
                trough = d[i] < d[i - 1] && d[i] <= (i + 1 < n_cand ? d[i + 1] : d[i]);
            if (!trough) continue;
            any_trough = true;
            deepest = std::min(deepest, d[i]);
            if (chosen < 0 && d[i] < config.trough_threshold) chosen = i;
        }
        if (chosen < 0) chosen = global_min;
        const double period = min_period + chosen + parabolic_shift(d, chosen);
        YinFrame out;
        out.f0_hz = float(double(config.sample_rate_hz) / period);
        out.aperiodicity = float(std::min(std::max(d[chosen], 0.0), 1e6));
        out.voiced_prob = any_trough ? yin_voiced_probability(float(deepest), config.prior_mean) : 0.0f;
        // Level of the integration window x[1..W] that YIN analysed.
        const double rms = std::sqrt(t.window_energy * scale / config.win_length);
        out.rms_db = float(20.0 * std::log10(std::max(rms, 1e-6)));
        return out;
    }
};

PitchTracker::PitchTracker(const PitchConfig& config) : impl_(std::make_unique<Impl>()) {
    Impl& s = *impl_;
    s.config = config;
    s.status = config.validate();
    if (!s.status) return;
    const int fl = config.frame_length;
    s.min_period = std::max(int(std::floor(double(config.sample_rate_hz) / config.fmax_hz)), 1);
    s.max_period = std::min(int(std::ceil(double(config.sample_rate_hz) / config.fmin_hz)),
                            fl - config.win_length - 1);
    s.forward = kiss_fftr_alloc(fl, 0, nullptr, nullptr);
    s.inverse = kiss_fftr_alloc(fl, 1, nullptr, nullptr);
    if (!s.forward || !s.inverse) {
        s.status = Status::error("pitch", "could not allocate FFT plans of " + format_value(fl) + " points");
        return;
    }
    s.frame.assign(fl, 0.0);
    s.reversed.assign(fl, 0.0);
    s.corr.assign(fl, 0.0);
    s.diff.assign(fl, 0.0);
    s.energy_cum.assign(fl, 0.0);
    s.spec_a.resize(fl / 2 + 1);
    s.spec_b.resize(fl / 2 + 1);
}

PitchTracker::~PitchTracker() = default;
PitchTracker::PitchTracker(PitchTracker&&) noexcept = default;
PitchTracker& PitchTracker::operator=(PitchTracker&&) noexcept = default;

const Status& PitchTracker::status() const { return impl_->status; }
const PitchConfig& PitchTracker::config() const { return impl_->config; }
int PitchTracker::min_period() const { return impl_->min_period; }
int PitchTracker::max_period() const { return impl_->max_period; }

Status PitchTracker::cmnd(const float* frame, std::vector<double>& out) {
    Impl& s = *impl_;
    if (!s.status) return s.status;
    if (frame == nullptr) return Status::error("pitch", "null frame; expected frame_length samples");
    for (int i = 0; i < s.config.frame_length; ++i) {
        if (!std::isfinite(frame[i]))
            return Status::error("pitch", "sample " + format_value(i) + " of the frame is not finite; expected finite samples");
        s.frame[i] = frame[i];
    }
    s.compute_terms(s.terms);
    s.compute_cmnd(s.terms, 1.0);
    out = s.cmnd;
    return Status::ok();
}

Status PitchTracker::compute(const float* samples, std::size_t n_samples, PitchTrack& out) {
    Impl& s = *impl_;
    if (!s.status) return s.status;
    if (samples == nullptr || n_samples == 0)
        return Status::error("pitch", "input has 0 samples; expected at least 1");
    for (std::size_t i = 0; i < n_samples; ++i)
        if (!std::isfinite(samples[i]))
            return Status::error("pitch", "sample " + format_value(double(i)) + " is not finite; expected finite samples");

    const int hop = s.config.hop_length;
    const std::size_t n_frames = 1 + n_samples / std::size_t(hop);
    out.f0_hz.assign(n_frames, 0.0f);
    out.aperiodicity.assign(n_frames, 1.0f);
    out.voiced_prob.assign(n_frames, 0.0f);
    out.voiced.assign(n_frames, 0);
    out.rms_db.assign(n_frames, -120.0f);
    out.hop_length = hop;
    out.sample_rate_hz = s.config.sample_rate_hz;
    for (std::size_t t = 0; t < n_frames; ++t) {
        s.load_frame(samples, n_samples, (long long)(t * hop));
        s.compute_terms(s.terms);
        const YinFrame f = s.decide(s.terms, 1.0);
        out.f0_hz[t] = f.f0_hz;
        out.aperiodicity[t] = f.aperiodicity;
        out.voiced_prob[t] = f.voiced_prob;
        out.rms_db[t] = f.rms_db;
    }
    finish_voicing(out);
    return Status::ok();
}

void PitchTracker::frame_terms(const float* samples, std::size_t n_samples, long long centre, YinFrameTerms& out) {
    impl_->load_frame(samples, n_samples, centre);
    impl_->compute_terms(out);
}

YinFrame PitchTracker::decide_frame(const YinFrameTerms& terms, double energy_scale) {
    return impl_->decide(terms, energy_scale);
}

void PitchTracker::finish_voicing(PitchTrack& track) const {
    const PitchConfig& c = impl_->config;
    float loudest = -120.0f;
    for (float v : track.rms_db) loudest = std::max(loudest, v);
    for (std::size_t t = 0; t < track.rms_db.size(); ++t) {
        const bool loud_enough = track.rms_db[t] >= c.silence_db &&
                                 (c.relative_db <= 0.0f || track.rms_db[t] >= loudest - c.relative_db);
        if (!loud_enough) track.voiced_prob[t] = 0.0f;
        track.voiced[t] = (loud_enough && track.voiced_prob[t] >= c.voiced_threshold) ? 1 : 0;
    }
}

}  // namespace ser
