// Classification pipeline: 16 kHz samples -> the model's feature set -> MLP probabilities, per clip or window.
// Checks that this build provides the feature config/set the model was trained on before using it.
#include "ser/classify/classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"

namespace ser {

namespace {
// -60 dBFS: a clip whose peak stays below it holds no usable speech (the seed system would still
// have produced a confident label from its noise floor).
constexpr float kSilencePeak = 0.001f;

float peak_of(const float* s, std::size_t n) {
    float p = 0.0f;
    for (std::size_t i = 0; i < n; ++i) p = std::max(p, std::abs(s[i]));
    return p;
}

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
}  // namespace

struct Classifier::Impl {
    Model model;
    Status status;
    std::unique_ptr<FeatureExtractor> extractor;
    FeatureVector vec;
};

Classifier::Classifier(Model model) : impl_(new Impl) {
    impl_->model = std::move(model);
    impl_->status = check_model_against_build(impl_->model);
    if (!impl_->status) return;
    Result<FeatureConfig> cfg = config_by_name(impl_->model.feature_config);
    impl_->extractor = std::make_unique<FeatureExtractor>(cfg.value);
    if (!impl_->extractor->status()) impl_->status = impl_->extractor->status();
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

const Status& Classifier::status() const { return impl_->status; }
const Model& Classifier::model() const { return impl_->model; }

Result<Classification> Classifier::classify(const float* samples_16k, std::size_t n_samples) {
    if (!impl_->status) return impl_->status;
    if (samples_16k == nullptr || n_samples == 0)
        return Status::error("classify", "the clip has 0 samples; expected audio");
    const float peak = peak_of(samples_16k, n_samples);
    if (!std::isfinite(peak)) return Status::error("classify", "the clip holds a non-finite sample; expected finite audio");
    if (peak < kSilencePeak) {
        char buf[160];
        const double db = peak > 0.0f ? 20.0 * std::log10(double(peak)) : -INFINITY;
        std::snprintf(buf, sizeof buf, "the clip is silent (peak %.1f dBFS); expected a peak above -60 dBFS", db);
        return Status::error("classify", buf);
    }
    Status st = compute_feature_vector(impl_->model.feature_set, *impl_->extractor, samples_16k, n_samples, impl_->vec);
    if (!st) return st;
    Result<std::vector<float>> p = impl_->model.predict(impl_->vec.values.data(), int(impl_->vec.values.size()));
    if (!p) return p.status;
    Classification c;
    c.classes = impl_->model.classes;
    c.probabilities = std::move(p.value);
    c.top = int(std::max_element(c.probabilities.begin(), c.probabilities.end()) - c.probabilities.begin());
    return c;
}

Result<std::vector<TimelinePoint>> Classifier::timeline(const float* samples_16k, std::size_t n_samples, double window_s,
                                                        double hop_s) {
    if (!impl_->status) return impl_->status;
    if (!(window_s >= 0.1 && window_s <= 60.0) || !(hop_s >= 0.01 && hop_s <= 60.0))
        return Status::error("classify", "timeline window " + std::to_string(window_s) + " s, hop " +
                                             std::to_string(hop_s) + " s; expected window 0.1-60 s and hop 0.01-60 s");
    if (samples_16k == nullptr || n_samples == 0)
        return Status::error("classify", "the clip has 0 samples; expected audio");
    const double rate = double(kTargetRateHz);
    const std::size_t win = std::size_t(std::llround(window_s * rate));
    const std::size_t hop = std::max<std::size_t>(1, std::size_t(std::llround(hop_s * rate)));
    std::vector<TimelinePoint> out;
    if (n_samples <= win) {
        Result<Classification> c = classify(samples_16k, n_samples);
        if (!c) return c.status;
        out.push_back({0.0, double(n_samples) / rate, c.value.probabilities});
        return out;
    }
    for (std::size_t start = 0; start + win <= n_samples; start += hop) {
        TimelinePoint pt;
        pt.start_s = double(start) / rate;
        pt.end_s = double(start + win) / rate;
        Result<Classification> c = classify(samples_16k + start, win);
        if (c) {
            pt.probabilities = std::move(c.value.probabilities);
        } else if (c.status.message.find("silent") == std::string::npos) {
            return c.status;
        }
        // A silent window (a pause) stays in the timeline with no probabilities.
        out.push_back(std::move(pt));
    }
    return out;
}

}  // namespace ser
