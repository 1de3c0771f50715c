// Classification pipeline: 16 kHz samples -> the model's feature set -> probabilities, whole clip or per window.
// Ties the stages together for the CLI (`ser classify`) and the web app; no UI code here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/model/model.h"
#include "ser/base/status.h"

namespace ser {

struct Classification {
    std::vector<std::string> classes;
    std::vector<float> probabilities;   // same order as classes, sums to 1
    int top = -1;                       // index of the most probable class
    const std::string& label() const { return classes[top]; }
};

// Per-window probabilities along a clip (the emotion timeline).
struct TimelinePoint {
    double start_s = 0.0;
    double end_s = 0.0;
    std::vector<float> probabilities;
};

// Default sliding window for timelines and live analysis (about 3 s, twice a second).
constexpr double kWindowS = 3.0;
constexpr double kWindowHopS = 0.5;

// Holds one model and a FeatureExtractor built for the model's feature configuration.
// Construct with a parsed model; check status() (refuses a model whose feature
// config/set name or version this build does not know).
class Classifier {
public:
    explicit Classifier(Model model);
    ~Classifier();
    Classifier(Classifier&&) noexcept;
    Classifier& operator=(Classifier&&) noexcept;
    const Status& status() const;
    const Model& model() const;

    // Whole clip, mono 16 kHz. Silence only (peak below -60 dBFS) is an error value
    // ("classify: the clip is silent ..."), not a guess.
    Result<Classification> classify(const float* samples_16k, std::size_t n_samples);
    // Windows of window_s every hop_s; a clip shorter than one window gives one point.
    // A silent window (a pause) stays in the timeline with empty probabilities.
    Result<std::vector<TimelinePoint>> timeline(const float* samples_16k, std::size_t n_samples,
                                                double window_s = kWindowS, double hop_s = kWindowHopS);
private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser
