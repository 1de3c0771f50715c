// Classification: 16 kHz samples (or a feature vector) -> the model's feature set -> normaliser -> MLP -> probabilities.
// Last stage of the data flow; a read-only context shared by all callers and a per-call state (as whisper.cpp splits them).
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/base/status.h"
#include "ser/frames/frame_features.h"
#include "ser/model/model.h"
#include "ser/vectors/emo_stream.h"
#include "ser/vectors/feature_sets.h"

namespace ser {

struct Classification {
    std::vector<std::string> classes;
    std::vector<float> probabilities;   // same order as classes, sums to 1
    int top = -1;                       // index of the most probable class
    bool calibrated = false;            // through the model's calibrated network with a speaker profile
    const std::string& label() const { return classes[top]; }
};

// Per-window probabilities along a clip (the emotion timeline). A silent window (a pause)
// keeps its place with empty probabilities.
struct TimelinePoint {
    double start_s = 0.0;
    double end_s = 0.0;
    std::vector<float> probabilities;
};

// Default sliding window for timelines and live analysis (about 3 s, twice a second).
constexpr double kWindowS = 3.0;
constexpr double kWindowHopS = 0.5;

// The windows of a timeline over n_samples at 16 kHz: [start, end) in samples, window_s every
// hop_s; a clip no longer than one window gives one window over all of it. Shared by
// Classifier::timeline and the staged analysis, so both place windows the same way.
struct SampleSpan {
    std::size_t start = 0;
    std::size_t end = 0;
};
Result<std::vector<SampleSpan>> timeline_windows(std::size_t n_samples, double window_s = kWindowS,
                                                 double hop_s = kWindowHopS);

// The shared, read-only part: a model checked against this build (feature config and set by
// name and version, input count), with its feature config resolved. Immutable after create();
// any number of threads or workers may use one context, each with its own ClassifierState.
class ClassifierContext {
public:
    // Refuses a model whose feature config/set name or version this build does not know.
    static Result<std::shared_ptr<const ClassifierContext>> create(Model model);
    const Model& model() const { return model_; }
    const FeatureConfig& config() const { return config_; }

    // Probabilities for a feature vector of the model's set (n_inputs values, finite). With a
    // profile, through the calibrated network (model.h: predict_with_profile); a model trained
    // without profiles, or a profile of another feature set, is an error, never ignored.
    Result<Classification> classify_vector(const float* values, std::size_t n_values,
                                           const SpeakerProfile* profile = nullptr) const;

private:
    ClassifierContext() = default;
    Model model_;
    FeatureConfig config_;
};

// The per-call part: the FeatureExtractor (tables built once, buffers reused) and scratch for one
// caller at a time. Not thread-safe; make one per thread or worker.
class ClassifierState {
public:
    explicit ClassifierState(const ClassifierContext& context);
    const Status& status() const { return status_; }
    FeatureExtractor& extractor() { return extractor_; }

private:
    Status status_;
    FeatureExtractor extractor_;
};

// What one classification of samples produced: the vector, what the set took from the clip
// (trace: span, gain, frame matrices; filled only when asked) and the probabilities.
struct SampleClassification {
    FeatureVector vector;
    FeatureSetTrace trace;
    Classification result;
};

// Runs the model once on one second of a synthetic voiced sound (a 150 Hz harmonic series) and
// discards the result: every table built on first use (the feature set's scratch and pitch
// tracker, FFT plans, the network's buffers) then exists before the first real clip, which
// otherwise pays for them (about 80 ms of 120 in the page). Call at load, off the critical path.
Status warm_up(const ClassifierContext& context, ClassifierState& state);

// Whole clip (mono 16 kHz). Gated first: silence only (audio/levels.h, peak below -60 dBFS) is an
// error value ("classify: the clip is silent ..."), not a guess; check with below_silence_gate
// beforehand to tell a pause from a failure. With want_trace, out.trace is filled; with a
// profile, the calibrated network classifies (classify_vector).
Status classify_samples(const ClassifierContext& context, ClassifierState& state, const float* samples_16k,
                        std::size_t n_samples, SampleClassification& out, bool want_trace = false,
                        const SpeakerProfile* profile = nullptr);

// One window of a stream of 16 kHz samples (a clip, a take) that starts at position `start` of it:
// with a model of the emo set and a stream, through EmoStream (vectors/emo_stream.h: each frame
// of the stream analysed once over successive windows; the vector equals the batch one within
// float rounding), else classify_samples. The caller gates silence; `stream` must be reset for
// another stream. Timelines and the live analysis classify their windows with this.
Result<Classification> classify_stream_window(const ClassifierContext& context, ClassifierState& state,
                                              EmoStream* stream, const float* window, std::size_t n_samples,
                                              std::size_t start, const SpeakerProfile* profile = nullptr);

// One window of a timeline: empty probabilities when the window is below the silence gate (a
// pause keeps its place), else classify_stream_window on the window (with `stream`, frames the
// clip's earlier windows analysed are reused). Classifier::timeline and the staged Analysis both
// call this.
Result<TimelinePoint> classify_window(const ClassifierContext& context, ClassifierState& state,
                                      const float* samples_16k, SampleSpan span,
                                      const SpeakerProfile* profile = nullptr, EmoStream* stream = nullptr);

// One context with its own state, for single-threaded callers (the CLI, the tests). Check
// status() after construction.
class Classifier {
public:
    explicit Classifier(Model model);
    explicit Classifier(std::shared_ptr<const ClassifierContext> context);
    ~Classifier();
    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;
    const Status& status() const;
    const Model& model() const;
    const std::shared_ptr<const ClassifierContext>& context() const;
    ClassifierState& state();

    // classify_samples without the trace.
    Result<Classification> classify(const float* samples_16k, std::size_t n_samples,
                                    const SpeakerProfile* profile = nullptr);
    // The model on a feature vector of its set (ClassifierContext::classify_vector).
    Result<Classification> classify_vector(const float* values, std::size_t n_values) const;
    // Windows of window_s every hop_s (timeline_windows); silent windows keep empty probabilities.
    Result<std::vector<TimelinePoint>> timeline(const float* samples_16k, std::size_t n_samples,
                                                double window_s = kWindowS, double hop_s = kWindowHopS);
    // One window of a timeline: empty probabilities when the window is below the silence gate.
    Result<TimelinePoint> timeline_point(const float* samples_16k, SampleSpan span);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser
