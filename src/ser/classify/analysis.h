// The one analysis path: audio bytes, host-decoded PCM or 16 kHz samples -> everything a front end shows.
// Runs decode -> mono/16 kHz -> the model's features (with what it used) -> probabilities -> timeline, in steps.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/base/status.h"
#include "ser/classify/classifier.h"

namespace ser {

enum class AnalysisStage { idle, decode, resample, classify, timeline, done, failed };
// "Decoding", "Resampling to 16 kHz", "Computing features and classifying", "Emotion timeline", ...
const char* analysis_stage_label(AnalysisStage stage);

struct AnalysisOptions {
    double max_duration_s = kMaxDurationS;  // longer input is refused (the app takes less than the CLI)
    bool timeline = true;                   // per-window probabilities when the clip is longer than a window
    double window_s = kWindowS;
    double hop_s = kWindowHopS;
    std::size_t windows_per_step = 8;       // timeline windows per step() (keeps a UI frame short)
    bool keep_frames = true;                // fill ClipAnalysis::used (span, gain, a copy of the frame
                                            // matrices) for views; a batch that only scores clips leaves
                                            // it off, and `used` stays empty
    // The speaker's profile (model/profile.h), applied to the clip and every timeline window while
    // set; null = the plain network. The model must accept profiles, else the analysis fails.
    std::shared_ptr<const SpeakerProfile> profile;
};

// What the clip was and what the model made of it. Filled stage by stage; fields of stages not
// reached yet are empty.
struct ClipAnalysis {
    // The source as decoded (format line, its own rate and channels) and its length.
    std::string format;
    int source_rate_hz = 0;
    int source_channels = 0;
    double duration_s = 0.0;
    std::vector<float> samples_16k;          // mono, 16 kHz: what every later stage reads
    // The model's view: its feature vector, the span and gain its feature set used, and the
    // frame matrices of that span (FeatureSetTrace), and the probabilities.
    FeatureVector vector;
    FeatureSetTrace used;
    bool silent = false;                     // below the silence gate (the analysis then fails with "silent")
    Classification result;
    std::vector<TimelinePoint> timeline;
    double classify_ms = 0.0;                // features + network for the whole clip (steady clock)
    // Seconds of the clip where the model's span starts and ends (used.start / used.end).
    double used_start_s() const { return double(used.start) / kTargetRateHz; }
    double used_end_s() const { return double(used.end) / kTargetRateHz; }
};

// A staged analysis with its own ClassifierState: start with one input, then step() until done()
// (or run()). A UI calls step_for() once per frame; the CLI calls run(). After a model switch,
// reclassify() keeps the decoded samples and repeats the model's stages.
class Analysis {
public:
    explicit Analysis(AnalysisOptions options = {});
    ~Analysis();
    Analysis(const Analysis&) = delete;
    Analysis& operator=(const Analysis&) = delete;

    // Inputs: encoded bytes (WAV everywhere; natively also FLAC/OGG/MP3 via libsndfile), planar
    // PCM decoded by the host, or mono 16 kHz samples (a recording). Each forgets the last clip.
    void start_bytes(const std::uint8_t* data, std::size_t n_bytes);
    void start_pcm(const float* planar, std::size_t n_frames, int channels, int rate_hz, const std::string& format);
    void start_samples_16k(std::vector<float> samples, const std::string& format, int source_rate_hz);
    // The same samples with another model: back to the classify stage (no-op before resampling).
    void reclassify();
    // Forgets the clip: idle, as if nothing had been started.
    void reset();
    // Sets or (null) removes the speaker profile for the next classify stage (reclassify() to
    // apply it to the current clip).
    void set_profile(std::shared_ptr<const SpeakerProfile> profile);
    // Builds this analysis' state for `model` and warms it up (classifier.h: warm_up), so that
    // the first clip costs what every later one does. Optional; the classify stage does it otherwise.
    Status prepare(const std::shared_ptr<const ClassifierContext>& model);

    // Advances by one stage (the timeline by windows_per_step windows) with this model.
    // Returns the error that ended the analysis, if any (stage() is then failed).
    Status step(const std::shared_ptr<const ClassifierContext>& model);
    // Steps at least once, then on while busy and less than budget_ms (steady clock) has passed:
    // a UI calls this once per frame, so a short clip is done in one frame (its stages do not
    // share the cores with the drawing of a progress frame each) and a long one still shows
    // progress. A step is never cut: one may end past the budget. budget_ms <= 0 is one step.
    Status step_for(const std::shared_ptr<const ClassifierContext>& model, double budget_ms);
    // Steps to the end.
    Status run(const std::shared_ptr<const ClassifierContext>& model);

    AnalysisStage stage() const;
    bool busy() const;          // started and neither done nor failed
    float progress() const;     // 0..1
    const Status& error() const;
    const ClipAnalysis& clip() const;
    // The context the results belong to (null before the classify stage).
    const std::shared_ptr<const ClassifierContext>& model() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The whole path at once, for the CLI and tests: bytes -> ClipAnalysis.
Result<ClipAnalysis> analyse_bytes(const std::shared_ptr<const ClassifierContext>& model, const std::uint8_t* data,
                                   std::size_t n_bytes, const AnalysisOptions& options = {});
Result<ClipAnalysis> analyse_file(const std::shared_ptr<const ClassifierContext>& model, const std::string& path,
                                  const AnalysisOptions& options = {});

}  // namespace ser
