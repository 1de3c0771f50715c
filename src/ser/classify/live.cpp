// Live analysis of a capture stream (see live.h).
#include "ser/classify/live.h"

#include <nlohmann/json.hpp>
#include "ser/audio/resample.h"
#include "ser/base/clock.h"
#include "ser/frames/tables.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "kiss_fftr.h"

namespace ser {


Status LiveConfig::validate() const {
    auto bad = [](const std::string& what) { return Status::error("live", what); };
    if (!(window_s >= 0.1 && window_s <= 30.0))
        return bad("window_s is " + format_value(window_s) + "; expected 0.1 to 30 s");
    if (!(hop_s >= 0.05 && hop_s <= window_s))
        return bad("hop_s is " + format_value(hop_s) + "; expected 0.05 s to window_s (" + format_value(window_s) + ")");
    if (!(min_window_s > 0.0 && min_window_s <= window_s))
        return bad("min_window_s is " + format_value(min_window_s) + "; expected > 0 and <= window_s");
    if (!(smoothing_tau_s >= 0.0))
        return bad("smoothing_tau_s is " + format_value(smoothing_tau_s) + "; expected >= 0");
    if (spectrum_n_fft < 64 || spectrum_n_fft > 4096 || (spectrum_n_fft & (spectrum_n_fft - 1)) != 0)
        return bad("spectrum_n_fft is " + format_value(spectrum_n_fft) + "; expected a power of two 64 to 4096");
    if (spectrum_hop < 1 || spectrum_hop > spectrum_n_fft)
        return bad("spectrum_hop is " + format_value(spectrum_hop) + "; expected 1 to spectrum_n_fft");
    if (!(level_block_s >= 0.005 && level_block_s <= 1.0))
        return bad("level_block_s is " + format_value(level_block_s) + "; expected 0.005 to 1 s");
    if (!(max_duration_s > 0.0))
        return bad("max_duration_s is " + format_value(max_duration_s) + "; expected > 0");
    return Status::ok();
}

void smooth_probabilities(std::vector<float>& prev, const std::vector<float>& next, float alpha) {
    if (prev.size() != next.size()) {
        prev = next;
        return;
    }
    for (std::size_t i = 0; i < prev.size(); ++i) prev[i] = (1.0f - alpha) * prev[i] + alpha * next[i];
}

struct LiveAnalyser::Impl {
    Classifier* classifier = nullptr;
    std::shared_ptr<const SpeakerProfile> profile;
    bool calibrated = false;
    std::vector<TimelinePoint> timeline;
    double busy_ms = 0.0;
    LiveConfig config;
    Status config_status;
    bool started = false;
    StreamResampler resampler;
    std::vector<float> chunk_16k;       // scratch: the current push, resampled
    std::vector<float> recording;       // kept audio
    std::vector<float> buffer;          // the last window_s + hop_s of audio, from stream sample buffer_start on
    std::size_t buffer_start = 0;
    EmoStream emo_stream;               // the emo set's window vectors, each frame analysed once
    std::size_t n_received = 0;         // 16 kHz samples received in this take
    std::size_t next_update_at = 0;     // n_received at which the next classification is due
    bool truncated = false;
    // Level meter.
    std::vector<float> level_block;
    float level_rms_db = kSilenceDb;
    float level_peak_db = kSilenceDb;
    // Spectrum.
    kiss_fftr_cfg fft = nullptr;
    std::vector<double> hann;
    std::vector<float> spec_buffer;     // samples not yet consumed by a column (+ overlap)
    std::vector<kiss_fft_scalar> fft_in;
    std::vector<kiss_fft_cpx> fft_out;
    std::vector<std::vector<float>> columns;
    double spectrum_norm = 1.0;
    // Probabilities.
    std::vector<float> smoothed, raw;
    int n_updates = 0;
    bool window_silent = false;
    Status last_error;

    std::size_t window_len() const { return std::size_t(std::lround(config.window_s * kTargetRateHz)); }
    std::size_t hop_len() const { return std::max<std::size_t>(1, std::lround(config.hop_s * kTargetRateHz)); }
    std::size_t min_len() const { return std::size_t(std::lround(config.min_window_s * kTargetRateHz)); }
    std::size_t max_kept() const { return std::size_t(config.max_duration_s * kTargetRateHz); }

    void build_spectrum() {
        const int n = config.spectrum_n_fft;
        if (fft) kiss_fftr_free(fft);
        fft = kiss_fftr_alloc(n, 0, nullptr, nullptr);
        hann = detail::hann_periodic(n);
        double sum = 0.0;
        for (double w : hann) sum += w;
        // A sine of amplitude A at a bin centre gives |X| = A * sum(w) / 2.
        spectrum_norm = sum / 2.0;
        fft_in.resize(n);
        fft_out.resize(n / 2 + 1);
    }

    void spectrum_push(const float* x, std::size_t n) {
        spec_buffer.insert(spec_buffer.end(), x, x + n);
        const std::size_t nfft = std::size_t(config.spectrum_n_fft), hop = std::size_t(config.spectrum_hop);
        std::size_t pos = 0;
        while (spec_buffer.size() - pos >= nfft) {
            for (std::size_t i = 0; i < nfft; ++i) fft_in[i] = spec_buffer[pos + i] * hann[i];
            kiss_fftr(fft, fft_in.data(), fft_out.data());
            std::vector<float> col(nfft / 2 + 1);
            for (std::size_t k = 0; k < col.size(); ++k)
                col[k] = amplitude_dbfs(std::hypot(fft_out[k].r, fft_out[k].i) / spectrum_norm);
            columns.push_back(std::move(col));
            pos += hop;
        }
        spec_buffer.erase(spec_buffer.begin(), spec_buffer.begin() + std::ptrdiff_t(pos));
        // Bound the queue if nobody takes the columns (about 8 s of columns at the defaults).
        if (columns.size() > 512) columns.erase(columns.begin(), columns.end() - 512);
    }

    void level_push(const float* x, std::size_t n) {
        const std::size_t block = std::size_t(config.level_block_s * kTargetRateHz);
        for (std::size_t i = 0; i < n; ++i) {
            level_block.push_back(x[i]);
            if (level_block.size() >= block) {
                level_rms_db = rms_dbfs(level_block.data(), level_block.size());
                level_peak_db = peak_dbfs(level_block.data(), level_block.size());
                level_block.clear();
            }
        }
    }

    // Keeps what the next window needs: it ends at most hop_s before the newest sample.
    void buffer_push(const float* x, std::size_t n) {
        buffer.insert(buffer.end(), x, x + n);
        const std::size_t keep = window_len() + hop_len();
        if (buffer.size() > 2 * keep) {
            const std::size_t drop = buffer.size() - keep;
            buffer.erase(buffer.begin(), buffer.begin() + std::ptrdiff_t(drop));
            buffer_start += drop;
        }
    }

    // The window's probabilities (classify_stream_window: the emo set through EmoStream, each
    // frame of the take analysed once).
    Result<Classification> classify_span(const float* x, std::size_t n, std::size_t start) {
        return classify_stream_window(*classifier->context(), classifier->state(), &emo_stream, x, n, start,
                                      profile.get());
    }

    // The window that ends at stream sample `end` (a multiple of hop_s from the take's start, so
    // that windows and their frames fall on the same stream positions from one update to the next).
    void classify_window(std::size_t end) {
        const std::size_t start = end > window_len() ? end - window_len() : 0;
        const float* x = buffer.data() + (start - buffer_start);
        const std::size_t n = end - start;
        window_silent = below_silence_gate(x, n);
        if (!classifier) return;
        TimelinePoint point;
        point.start_s = double(start) / kTargetRateHz;
        point.end_s = double(end) / kTargetRateHz;
        if (window_silent) return timeline.push_back(std::move(point));
        auto r = classify_span(x, n, start);
        if (!r.is_ok()) {
            last_error = r.status;
            return;
        }
        last_error = Status::ok();
        raw = r.value.probabilities;
        point.probabilities = raw;
        timeline.push_back(std::move(point));
        calibrated = r.value.calibrated;
        const double tau = config.smoothing_tau_s;
        const float alpha = tau > 0.0 ? float(1.0 - std::exp(-config.hop_s / tau)) : 1.0f;
        smooth_probabilities(smoothed, raw, alpha);
        ++n_updates;
    }
};

LiveAnalyser::LiveAnalyser(Classifier* classifier, LiveConfig config) : impl_(new Impl) {
    impl_->classifier = classifier;
    impl_->config = config;
    impl_->config_status = config.validate();
    if (impl_->config_status.is_ok()) impl_->build_spectrum();
}

LiveAnalyser::~LiveAnalyser() {
    if (impl_->fft) kiss_fftr_free(impl_->fft);
    delete impl_;
}

Status LiveAnalyser::start(int input_rate_hz) {
    Impl& m = *impl_;
    if (!m.config_status.is_ok()) return m.config_status;
    if (input_rate_hz < kMinRateHz || input_rate_hz > kMaxRateHz)
        return Status::error("live", "capture rate is " + format_value(input_rate_hz) + " Hz; expected " +
                                         format_value(kMinRateHz) + " to " + format_value(kMaxRateHz) + " Hz");
    Status s = m.resampler.reset(input_rate_hz, kTargetRateHz);
    if (!s.is_ok()) return s;
    m.started = true;
    m.recording.clear();
    m.buffer.clear();
    m.buffer_start = 0;
    m.emo_stream.reset();
    m.n_received = 0;
    m.next_update_at = m.min_len();
    m.truncated = false;
    m.level_block.clear();
    m.level_rms_db = m.level_peak_db = kSilenceDb;
    m.spec_buffer.clear();
    m.columns.clear();
    m.smoothed.clear();
    m.raw.clear();
    m.n_updates = 0;
    m.window_silent = false;
    m.calibrated = false;
    m.timeline.clear();
    m.busy_ms = 0.0;
    m.last_error = Status::ok();
    return Status::ok();
}

void LiveAnalyser::set_classifier(Classifier* classifier) {
    impl_->classifier = classifier;
    impl_->smoothed.clear();
    impl_->raw.clear();
}

void LiveAnalyser::set_profile(std::shared_ptr<const SpeakerProfile> profile) {
    if (profile == impl_->profile) return;
    impl_->profile = std::move(profile);
    impl_->smoothed.clear();
    impl_->raw.clear();
}

Status LiveAnalyser::push(const float* samples, std::size_t n_samples) {
    const auto t0 = SteadyClock::now();
    Status s = push_timed(samples, n_samples);
    impl_->busy_ms += ms_since(t0);
    return s;
}

LiveReading LiveAnalyser::reading(std::size_t timeline_from) const {
    const Impl& m = *impl_;
    LiveReading r;
    r.duration_s = duration_s();
    r.level_rms_db = m.level_rms_db;
    r.level_peak_db = m.level_peak_db;
    r.n_updates = m.n_updates;
    r.probabilities = m.smoothed;
    r.silent = m.window_silent;
    r.calibrated = m.calibrated;
    r.timeline_from = std::min(timeline_from, m.timeline.size());
    r.timeline.assign(m.timeline.begin() + std::ptrdiff_t(r.timeline_from), m.timeline.end());
    r.busy_ms = m.busy_ms;
    return r;
}

Status LiveAnalyser::push_timed(const float* samples, std::size_t n_samples) {
    Impl& m = *impl_;
    if (!m.started) return Status::error("live", "push() before start(); expected start(rate) first");
    for (std::size_t i = 0; i < n_samples; ++i)
        if (!std::isfinite(samples[i]))
            return Status::error("live", "sample " + format_value(double(i)) + " of the chunk is not finite; expected finite floats");
    m.chunk_16k.clear();
    Status s = m.resampler.push(samples, n_samples, m.chunk_16k);
    if (!s.is_ok()) return s;
    const float* x = m.chunk_16k.data();
    const std::size_t n = m.chunk_16k.size();
    if (n == 0) return Status::ok();

    const std::size_t keep = m.max_kept();
    if (m.recording.size() < keep) {
        const std::size_t take = std::min(n, keep - m.recording.size());
        m.recording.insert(m.recording.end(), x, x + take);
        if (take < n) m.truncated = true;
    } else {
        m.truncated = true;
    }
    m.buffer_push(x, n);
    m.n_received += n;
    m.level_push(x, n);
    m.spectrum_push(x, n);

    if (m.n_received >= m.next_update_at) {
        // Skip the hops a late chunk jumped over: one classification per push, of the newest window.
        std::size_t end = m.next_update_at;
        while (m.next_update_at <= m.n_received) {
            end = m.next_update_at;
            m.next_update_at += m.hop_len();
        }
        m.classify_window(end);
    }
    return Status::ok();
}

bool LiveAnalyser::started() const { return impl_->started; }
double LiveAnalyser::duration_s() const { return double(impl_->n_received) / kTargetRateHz; }
const std::vector<float>& LiveAnalyser::recording() const { return impl_->recording; }
bool LiveAnalyser::truncated() const { return impl_->truncated; }
float LiveAnalyser::level_rms_db() const { return impl_->level_rms_db; }
float LiveAnalyser::level_peak_db() const { return impl_->level_peak_db; }
int LiveAnalyser::n_spectrum_bins() const { return impl_->config.n_spectrum_bins(); }
std::vector<std::vector<float>> LiveAnalyser::take_spectrum_columns() {
    std::vector<std::vector<float>> out;
    out.swap(impl_->columns);
    return out;
}
const std::vector<float>& LiveAnalyser::probabilities() const { return impl_->smoothed; }
const std::vector<float>& LiveAnalyser::raw_probabilities() const { return impl_->raw; }
int LiveAnalyser::n_updates() const { return impl_->n_updates; }
bool LiveAnalyser::calibrated() const { return impl_->calibrated; }
const std::vector<TimelinePoint>& LiveAnalyser::timeline() const { return impl_->timeline; }
bool LiveAnalyser::window_silent() const { return impl_->window_silent; }
const Status& LiveAnalyser::last_error() const { return impl_->last_error; }

namespace {
using Json = nlohmann::json;

Json timeline_json(const std::vector<TimelinePoint>& tl) {
    Json a = Json::array();
    for (const auto& p : tl) a.push_back({p.start_s, p.end_s, p.probabilities});
    return a;
}

Status reading_error(const std::string& what) {
    return Status::error("live", "the reading " + what + "; expected a live_reading_json object");
}
}  // namespace

std::string live_reading_json(const LiveReading& r) {
    Json j{{"duration_s", r.duration_s}, {"level_rms_db", r.level_rms_db}, {"level_peak_db", r.level_peak_db},
           {"n_updates", r.n_updates}, {"probabilities", r.probabilities}, {"silent", r.silent},
           {"calibrated", r.calibrated}, {"timeline_from", r.timeline_from}, {"timeline", timeline_json(r.timeline)},
           {"busy_ms", r.busy_ms}};
    return j.dump();
}

Result<LiveReading> parse_live_reading(const std::uint8_t* data, std::size_t n_bytes) {
    if (data == nullptr || n_bytes == 0) return reading_error("is empty");
    const Json j = Json::parse(data, data + n_bytes, nullptr, false);
    if (!j.is_object()) return reading_error("is not a JSON object");
    for (const char* key : {"duration_s", "level_rms_db", "level_peak_db", "n_updates", "timeline_from", "busy_ms"})
        if (!j.contains(key) || !j[key].is_number()) return reading_error(std::string("has no number '") + key + "'");
    for (const char* key : {"silent", "calibrated"})
        if (!j.contains(key) || !j[key].is_boolean()) return reading_error(std::string("has no boolean '") + key + "'");
    if (!j.contains("probabilities") || !j["probabilities"].is_array() || !j.contains("timeline") || !j["timeline"].is_array())
        return reading_error("has no 'probabilities' or 'timeline' array");
    LiveReading r;
    r.duration_s = j["duration_s"].get<double>();
    r.level_rms_db = j["level_rms_db"].get<float>();
    r.level_peak_db = j["level_peak_db"].get<float>();
    r.n_updates = j["n_updates"].get<int>();
    r.timeline_from = j["timeline_from"].get<std::size_t>();
    r.busy_ms = j["busy_ms"].get<double>();
    r.silent = j["silent"].get<bool>();
    r.calibrated = j["calibrated"].get<bool>();
    for (const auto& v : j["probabilities"]) {
        if (!v.is_number()) return reading_error("holds a probability that is not a number");
        r.probabilities.push_back(v.get<float>());
    }
    for (const auto& p : j["timeline"]) {
        if (!p.is_array() || p.size() != 3 || !p[0].is_number() || !p[1].is_number() || !p[2].is_array())
            return reading_error("holds a timeline point that is not [start_s, end_s, [p...]]");
        TimelinePoint t;
        t.start_s = p[0].get<double>();
        t.end_s = p[1].get<double>();
        for (const auto& v : p[2]) {
            if (!v.is_number()) return reading_error("holds a timeline probability that is not a number");
            t.probabilities.push_back(v.get<float>());
        }
        r.timeline.push_back(std::move(t));
    }
    return r;
}

}  // namespace ser
