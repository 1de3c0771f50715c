// The staged analysis path (see analysis.h): one Impl per clip holder, one stage per step().
#include "ser/classify/analysis.h"

#include <algorithm>
#include <limits>

#include "ser/audio/levels.h"
#include "ser/base/clock.h"

namespace ser {

const char* analysis_stage_label(AnalysisStage stage) {
    switch (stage) {
        case AnalysisStage::decode: return "Decoding";
        case AnalysisStage::resample: return "Resampling to 16 kHz";
        case AnalysisStage::classify: return "Computing features and classifying";
        case AnalysisStage::timeline: return "Emotion timeline";
        case AnalysisStage::done: return "Done";
        case AnalysisStage::failed: return "Failed";
        case AnalysisStage::idle: break;
    }
    return "";
}

struct Analysis::Impl {
    AnalysisOptions options;
    AnalysisStage stage = AnalysisStage::idle;
    Status error;
    ClipAnalysis clip;
    std::vector<std::uint8_t> bytes;   // pending encoded input (decode stage)
    Audio audio;                       // pending decoded input (resample stage)
    std::shared_ptr<const ClassifierContext> model;
    std::unique_ptr<ClassifierState> state;
    std::vector<SampleSpan> windows;   // the timeline's windows
    EmoStream timeline_stream;         // their frames, each analysed once (emo models)
    std::size_t next_window = 0;

    void reset() {
        stage = AnalysisStage::idle;
        error = Status::ok();
        clip = ClipAnalysis{};
        bytes.clear();
        audio = Audio{};
        windows.clear();
        next_window = 0;
    }

    Status fail(Status st) {
        error = st;
        stage = AnalysisStage::failed;
        bytes.clear();
        audio = Audio{};
        return st;
    }

    Status check_duration(double duration_s) {
        if (duration_s <= options.max_duration_s) return Status::ok();
        return Status::error("analysis", "the file is " + seconds_text(duration_s) + " s long; expected at most " +
                                             format_value(options.max_duration_s) + " s here");
    }

    void keep_source(const Audio& a) {
        clip.format = a.format;
        clip.source_rate_hz = a.source_rate_hz ? a.source_rate_hz : a.rate_hz;
        clip.source_channels = a.source_channels ? a.source_channels : a.channels;
    }

    Status step_decode() {
        Result<Audio> r = decode_audio(bytes.data(), bytes.size());
        bytes.clear();
        bytes.shrink_to_fit();
        if (!r) return fail(r.status);
        keep_source(r.value);
        if (Status st = check_duration(r.value.duration_s()); !st) return fail(st);
        audio = std::move(r.value);
        stage = AnalysisStage::resample;
        return Status::ok();
    }

    Status step_resample() {
        Result<Audio> r = to_mono_16k(std::move(audio));
        audio = Audio{};
        if (!r) return fail(r.status);
        clip.samples_16k = std::move(r.value.samples);
        clip.duration_s = double(clip.samples_16k.size()) / kTargetRateHz;
        stage = AnalysisStage::classify;
        return Status::ok();
    }

    Status use_model(const std::shared_ptr<const ClassifierContext>& m) {
        if (!m) return Status::error("analysis", "no model is loaded; expected a model to classify with");
        if (m != model || !state) {
            model = m;
            state = std::make_unique<ClassifierState>(*model);
        }
        return state->status();
    }

    Status step_classify(const std::shared_ptr<const ClassifierContext>& m) {
        if (Status st = use_model(m); !st) return fail(st);
        clip.result = Classification{};
        clip.timeline.clear();
        clip.used = FeatureSetTrace{};
        clip.vector = FeatureVector{};
        // classify_samples refuses silence with its message; the flag lets a UI say it kindly.
        clip.silent = below_silence_gate(clip.samples_16k.data(), clip.samples_16k.size());
        const auto t0 = SteadyClock::now();
        SampleClassification out;
        Status st = classify_samples(*model, *state, clip.samples_16k.data(), clip.samples_16k.size(), out, options.keep_frames,
                                     options.profile.get());
        clip.classify_ms = ms_since(t0);
        if (!st) return fail(st);
        clip.vector = std::move(out.vector);
        clip.used = std::move(out.trace);
        clip.result = std::move(out.result);
        return begin_timeline();
    }

    Status begin_timeline() {
        windows.clear();
        next_window = 0;
        timeline_stream.reset();
        if (!options.timeline || clip.duration_s <= options.window_s) {
            stage = AnalysisStage::done;
            return Status::ok();
        }
        Result<std::vector<SampleSpan>> w = timeline_windows(clip.samples_16k.size(), options.window_s, options.hop_s);
        if (!w) return fail(w.status);
        windows = std::move(w.value);
        stage = AnalysisStage::timeline;
        return Status::ok();
    }

    Status step_timeline() {
        const std::size_t end = std::min(windows.size(), next_window + std::max<std::size_t>(1, options.windows_per_step));
        for (; next_window < end; ++next_window) {
            Result<TimelinePoint> pt = classify_window(*model, *state, clip.samples_16k.data(), windows[next_window],
                                                     options.profile.get(), &timeline_stream);
            if (!pt) return fail(pt.status);
            clip.timeline.push_back(std::move(pt.value));
        }
        if (next_window == windows.size()) stage = AnalysisStage::done;
        return Status::ok();
    }

};

Analysis::Analysis(AnalysisOptions options) : impl_(new Impl) { impl_->options = options; }
Analysis::~Analysis() = default;

void Analysis::start_bytes(const std::uint8_t* data, std::size_t n_bytes) {
    impl_->reset();
    impl_->bytes.assign(data, data + n_bytes);
    impl_->stage = AnalysisStage::decode;
}

void Analysis::start_pcm(const float* planar, std::size_t n_frames, int channels, int rate_hz,
                         const std::string& format) {
    Impl& m = *impl_;
    m.reset();
    m.clip.format = format;
    m.clip.source_rate_hz = rate_hz;
    m.clip.source_channels = channels;
    if (rate_hz > 0) {
        if (Status st = m.check_duration(double(n_frames) / rate_hz); !st) {
            m.fail(st);
            return;
        }
    }
    Result<Audio> a = audio_from_planar(planar, n_frames, channels, rate_hz, format);
    if (!a) {
        m.fail(a.status);
        return;
    }
    m.audio = std::move(a.value);
    m.stage = AnalysisStage::resample;
}

void Analysis::start_samples_16k(std::vector<float> samples, const std::string& format, int source_rate_hz) {
    Impl& m = *impl_;
    m.reset();
    m.clip.format = format;
    m.clip.source_rate_hz = source_rate_hz;
    m.clip.source_channels = 1;
    if (Status st = validate_pcm(samples.data(), samples.size(), kTargetRateHz); !st) {
        m.fail(st);
        return;
    }
    m.clip.samples_16k = std::move(samples);
    m.clip.duration_s = double(m.clip.samples_16k.size()) / kTargetRateHz;
    m.stage = AnalysisStage::classify;
}

void Analysis::reclassify() {
    Impl& m = *impl_;
    if (m.clip.samples_16k.empty()) return;
    m.error = Status::ok();
    m.stage = AnalysisStage::classify;
}

void Analysis::reset() { impl_->reset(); }

void Analysis::set_profile(std::shared_ptr<const SpeakerProfile> profile) { impl_->options.profile = std::move(profile); }

Status Analysis::prepare(const std::shared_ptr<const ClassifierContext>& model) {
    if (Status st = impl_->use_model(model); !st) return st;
    return warm_up(*model, *impl_->state);
}

Status Analysis::step(const std::shared_ptr<const ClassifierContext>& model) {
    Impl& m = *impl_;
    switch (m.stage) {
        case AnalysisStage::decode: return m.step_decode();
        case AnalysisStage::resample: return m.step_resample();
        case AnalysisStage::classify: return m.step_classify(model);
        case AnalysisStage::timeline:
            if (model != m.model) return m.step_classify(model);   // the model changed mid-timeline
            return m.step_timeline();
        case AnalysisStage::failed: return m.error;
        case AnalysisStage::idle:
        case AnalysisStage::done: break;
    }
    return Status::ok();
}

Status Analysis::step_for(const std::shared_ptr<const ClassifierContext>& model, double budget_ms) {
    const auto t0 = SteadyClock::now();
    Status st = step(model);
    while (st && busy() && ms_since(t0) < budget_ms) st = step(model);
    return st;
}

Status Analysis::run(const std::shared_ptr<const ClassifierContext>& model) {
    return step_for(model, std::numeric_limits<double>::infinity());
}

AnalysisStage Analysis::stage() const { return impl_->stage; }
bool Analysis::busy() const {
    const AnalysisStage s = impl_->stage;
    return s != AnalysisStage::idle && s != AnalysisStage::done && s != AnalysisStage::failed;
}
float Analysis::progress() const {
    const Impl& m = *impl_;
    switch (m.stage) {
        case AnalysisStage::decode: return 0.05f;
        case AnalysisStage::resample: return 0.2f;
        case AnalysisStage::classify: return 0.4f;
        case AnalysisStage::timeline:
            return 0.7f + 0.3f * float(m.windows.empty() ? 1.0 : double(m.next_window) / double(m.windows.size()));
        case AnalysisStage::done: return 1.0f;
        default: return 0.0f;
    }
}
const Status& Analysis::error() const { return impl_->error; }
const ClipAnalysis& Analysis::clip() const { return impl_->clip; }
const std::shared_ptr<const ClassifierContext>& Analysis::model() const { return impl_->model; }

Result<ClipAnalysis> analyse_bytes(const std::shared_ptr<const ClassifierContext>& model, const std::uint8_t* data,
                                   std::size_t n_bytes, const AnalysisOptions& options) {
    Analysis a(options);
    a.start_bytes(data, n_bytes);
    if (Status st = a.run(model); !st) return st;
    return a.clip();
}

Result<ClipAnalysis> analyse_file(const std::shared_ptr<const ClassifierContext>& model, const std::string& path,
                                  const AnalysisOptions& options) {
    Result<std::vector<std::uint8_t>> bytes = read_file_bytes(path);
    if (!bytes) return bytes.status;
    Result<ClipAnalysis> r = analyse_bytes(model, bytes.value.data(), bytes.value.size(), options);
    if (!r) r.status.message = path + ": " + r.status.message;
    return r;
}

}  // namespace ser
