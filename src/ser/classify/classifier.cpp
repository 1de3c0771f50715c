// Classification (see classifier.h): checks that this build provides the feature config/set a
// model was trained on, then vector -> normaliser -> MLP, and the silence gate on samples.
#include "ser/classify/classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ser/audio/levels.h"
#include "ser/frames/feature_config.h"

namespace ser {

namespace {

Status check_model_against_build(const Model& m) {
    Status st = m.validate();
    if (!st) return st;
    Result<FeatureSetInfo> set = feature_set_by_name(m.feature_set);
    if (!set)
        return Status::error("classify", "model needs feature set '" + m.feature_set + "' v" +
                                             std::to_string(m.feature_set_version) +
                                             ", which this build does not provide; expected one of the sets listed by `ser features --help`");
    if (set.value.version != m.feature_set_version)
        return Status::error("classify", "model needs feature set '" + m.feature_set + "' v" +
                                             std::to_string(m.feature_set_version) + "; this build provides v" +
                                             std::to_string(set.value.version) + " (retrain the model)");
    Result<FeatureConfig> cfg = config_by_name(m.feature_config);
    if (!cfg)
        return Status::error("classify", "model needs feature config '" + m.feature_config +
                                             "', which this build does not provide");
    if (cfg.value.version != m.feature_config_version)
        return Status::error("classify", "model needs feature config '" + m.feature_config + "' v" +
                                             std::to_string(m.feature_config_version) + "; this build provides v" +
                                             std::to_string(cfg.value.version) + " (retrain the model)");
    if (set.value.config != cfg.value.name)
        return Status::error("classify", "model says feature set '" + m.feature_set + "' runs on config '" +
                                             m.feature_config + "'; expected '" + set.value.config + "'");
    Result<std::vector<std::string>> names = feature_vector_names(m.feature_set);
    if (!names) return names.status;
    if (int(names.value.size()) != m.n_inputs())
        return Status::error("classify", "model takes " + std::to_string(m.n_inputs()) + " inputs; feature set '" +
                                             m.feature_set + "' has " + std::to_string(names.value.size()) +
                                             " values (expected equal)");
    return Status::ok();
}

Classification make_classification(const Model& m, std::vector<float> probabilities) {
    Classification c;
    c.classes = m.classes;
    c.probabilities = std::move(probabilities);
    c.top = int(std::max_element(c.probabilities.begin(), c.probabilities.end()) - c.probabilities.begin());
    return c;
}

Status silent_clip_error(const float* samples, std::size_t n) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "the clip is silent (peak %.1f dBFS); expected a peak above %.0f dBFS",
                  double(peak_dbfs(samples, n)), double(kSilenceGateDbfs));
    return Status::error("classify", buf);
}

}  // namespace

Result<std::vector<SampleSpan>> timeline_windows(std::size_t n_samples, double window_s, double hop_s) {
    if (!(window_s >= 0.1 && window_s <= 60.0) || !(hop_s >= 0.01 && hop_s <= 60.0))
        return Status::error("classify", "timeline window " + format_value(window_s) + " s, hop " +
                                             format_value(hop_s) + " s; expected window 0.1-60 s and hop 0.01-60 s");
    if (n_samples == 0) return Status::error("classify", "the clip has 0 samples; expected audio");
    const double rate = double(kTargetRateHz);
    const std::size_t win = std::size_t(std::llround(window_s * rate));
    const std::size_t hop = std::max<std::size_t>(1, std::size_t(std::llround(hop_s * rate)));
    std::vector<SampleSpan> out;
    if (n_samples <= win) {
        out.push_back({0, n_samples});
        return out;
    }
    for (std::size_t start = 0; start + win <= n_samples; start += hop) out.push_back({start, start + win});
    return out;
}

Result<std::shared_ptr<const ClassifierContext>> ClassifierContext::create(Model model) {
    if (Status st = check_model_against_build(model); !st) return st;
    Result<FeatureConfig> cfg = config_by_name(model.feature_config);
    if (!cfg) return cfg.status;
    std::shared_ptr<ClassifierContext> ctx(new ClassifierContext());
    ctx->model_ = std::move(model);
    ctx->config_ = cfg.value;
    return std::shared_ptr<const ClassifierContext>(std::move(ctx));
}

Result<Classification> ClassifierContext::classify_vector(const float* values, std::size_t n_values,
                                                          const SpeakerProfile* profile) const {
    Result<std::vector<float>> p = profile ? model_.predict_with_profile(values, int(n_values), *profile)
                                           : model_.predict(values, int(n_values));
    if (!p) return p.status;
    Classification c = make_classification(model_, std::move(p.value));
    c.calibrated = profile != nullptr;
    return c;
}

ClassifierState::ClassifierState(const ClassifierContext& context)
    : status_(Status::ok()), extractor_(context.config()) {
    status_ = extractor_.status();
}

Status warm_up(const ClassifierContext& context, ClassifierState& state) {
    std::vector<float> voiced(kTargetRateHz);
    for (std::size_t i = 0; i < voiced.size(); ++i) {
        double v = 0.0;
        for (int h = 1; h <= 8; ++h) v += std::sin(2.0 * 3.14159265358979323846 * 150.0 * h * double(i) / kTargetRateHz) / h;
        voiced[i] = float(0.1 * v);
    }
    SampleClassification out;
    return classify_samples(context, state, voiced.data(), voiced.size(), out, false);
}

Status classify_samples(const ClassifierContext& context, ClassifierState& state, const float* samples_16k,
                        std::size_t n_samples, SampleClassification& out, bool want_trace,
                        const SpeakerProfile* profile) {
    if (!state.status()) return state.status();
    if (samples_16k == nullptr || n_samples == 0)
        return Status::error("classify", "the clip has 0 samples; expected audio");
    for (std::size_t i = 0; i < n_samples; ++i)
        if (!std::isfinite(samples_16k[i]))
            return Status::error("classify", "the clip holds a non-finite sample; expected finite audio");
    if (below_silence_gate(samples_16k, n_samples)) return silent_clip_error(samples_16k, n_samples);
    Status st = compute_feature_vector(context.model().feature_set, state.extractor(), samples_16k, n_samples,
                                       out.vector, want_trace ? &out.trace : nullptr);
    if (!st) return st;
    Result<Classification> c = context.classify_vector(out.vector.values.data(), out.vector.values.size(), profile);
    if (!c) return c.status;
    out.result = std::move(c.value);
    return Status::ok();
}

struct Classifier::Impl {
    Status status;
    std::shared_ptr<const ClassifierContext> context;
    std::unique_ptr<ClassifierState> state;
    SampleClassification scratch;
    Model empty_model;
};

Classifier::Classifier(Model model) : impl_(new Impl) {
    Result<std::shared_ptr<const ClassifierContext>> ctx = ClassifierContext::create(std::move(model));
    if (!ctx) {
        impl_->status = ctx.status;
        return;
    }
    impl_->context = std::move(ctx.value);
    impl_->state = std::make_unique<ClassifierState>(*impl_->context);
    impl_->status = impl_->state->status();
}

Classifier::Classifier(std::shared_ptr<const ClassifierContext> context) : impl_(new Impl) {
    if (!context) {
        impl_->status = Status::error("classify", "no model context; expected one from ClassifierContext::create");
        return;
    }
    impl_->context = std::move(context);
    impl_->state = std::make_unique<ClassifierState>(*impl_->context);
    impl_->status = impl_->state->status();
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

const Status& Classifier::status() const { return impl_->status; }
const Model& Classifier::model() const { return impl_->context ? impl_->context->model() : impl_->empty_model; }
const std::shared_ptr<const ClassifierContext>& Classifier::context() const { return impl_->context; }
ClassifierState& Classifier::state() { return *impl_->state; }

Result<Classification> Classifier::classify(const float* samples_16k, std::size_t n_samples,
                                            const SpeakerProfile* profile) {
    if (!impl_->status) return impl_->status;
    Status st = classify_samples(*impl_->context, *impl_->state, samples_16k, n_samples, impl_->scratch, false, profile);
    if (!st) return st;
    return impl_->scratch.result;
}

Result<Classification> Classifier::classify_vector(const float* values, std::size_t n_values) const {
    if (!impl_->status) return impl_->status;
    return impl_->context->classify_vector(values, n_values);
}

Result<Classification> classify_stream_window(const ClassifierContext& context, ClassifierState& state,
                                              EmoStream* stream, const float* window, std::size_t n_samples,
                                              std::size_t start, const SpeakerProfile* profile) {
    if (!stream || context.model().feature_set != "emo") {
        SampleClassification out;
        if (Status st = classify_samples(context, state, window, n_samples, out, false, profile); !st) return st;
        return std::move(out.result);
    }
    FeatureVector v;
    if (Status st = stream->compute(window, n_samples, std::int64_t(start), v); !st) return st;
    return context.classify_vector(v.values.data(), v.values.size(), profile);
}

Result<TimelinePoint> classify_window(const ClassifierContext& context, ClassifierState& state,
                                      const float* samples_16k, SampleSpan span, const SpeakerProfile* profile,
                                      EmoStream* stream) {
    TimelinePoint pt;
    pt.start_s = double(span.start) / kTargetRateHz;
    pt.end_s = double(span.end) / kTargetRateHz;
    const float* w = samples_16k + span.start;
    const std::size_t n = span.end - span.start;
    if (below_silence_gate(w, n)) return pt;
    Result<Classification> r = classify_stream_window(context, state, stream, w, n, span.start, profile);
    if (!r) return r.status;
    pt.probabilities = std::move(r.value.probabilities);
    return pt;
}

Result<TimelinePoint> Classifier::timeline_point(const float* samples_16k, SampleSpan span) {
    if (!impl_->status) return impl_->status;
    return classify_window(*impl_->context, *impl_->state, samples_16k, span);
}

Result<std::vector<TimelinePoint>> Classifier::timeline(const float* samples_16k, std::size_t n_samples, double window_s,
                                                        double hop_s) {
    if (!impl_->status) return impl_->status;
    if (samples_16k == nullptr && n_samples > 0) return Status::error("classify", "no samples; expected audio");
    Result<std::vector<SampleSpan>> spans = timeline_windows(n_samples, window_s, hop_s);
    if (!spans) return spans.status;
    std::vector<TimelinePoint> out;
    // A clip of one window is the whole-clip classification, silence included as an error.
    if (spans.value.size() == 1 && spans.value[0].end == n_samples && spans.value[0].start == 0) {
        Result<Classification> c = classify(samples_16k, n_samples);
        if (!c) return c.status;
        out.push_back({0.0, double(n_samples) / kTargetRateHz, c.value.probabilities});
        return out;
    }
    EmoStream stream;   // the windows overlap: each frame of the clip analysed once
    for (const SampleSpan& s : spans.value) {
        Result<TimelinePoint> pt = classify_window(*impl_->context, *impl_->state, samples_16k, s, nullptr, &stream);
        if (!pt) return pt.status;
        out.push_back(std::move(pt.value));
    }
    return out;
}

}  // namespace ser
