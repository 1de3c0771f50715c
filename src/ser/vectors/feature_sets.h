// Utterance feature vectors: fixed-length summaries of FrameFeatures that a model consumes.
// Third stage (frame matrices -> one vector per clip); "seed" v1 matches reference seed_vector.npy.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "ser/frames/frame_features.h"
#include "ser/base/status.h"

namespace ser {

// A named, versioned recipe; the model file records name + version and loading refuses a mismatch.
struct FeatureSetInfo {
    std::string name;       // "seed", "stats", ...
    int version = 1;
    std::string config;     // the FeatureConfig it is defined on ("C1", ...)
    std::string summary;    // one line for --help and `ser info`
};

std::vector<FeatureSetInfo> feature_sets();
Result<FeatureSetInfo> feature_set_by_name(const std::string& name);

struct FeatureVector {
    std::vector<std::string> names;
    std::vector<float> values;
};

// What a set took from the clip to compute its vector, so that the views can show what the
// model saw: the span [start, end) of the 16 kHz samples it framed, the gain it applied first
// (the `emo` set levels the clip, then trims silence), and the frame matrices of that span
// (the levelled samples, on the set's config; frame 0 is centred on sample `start`).
struct FeatureSetTrace {
    std::size_t start = 0;
    std::size_t end = 0;
    float gain_db = 0.0f;
    FrameFeatures frames;
};

// Computes the set `set_name` from the clip's mono 16 kHz samples. The extractor must be
// built with the set's config. Errors: unknown set, config mismatch, empty/non-finite input.
// With `trace`, also fills it (a copy of the frame matrices; without, nothing is copied).
Status compute_feature_vector(const std::string& set_name, FeatureExtractor& extractor,
                              const float* samples, std::size_t n_samples, FeatureVector& out,
                              FeatureSetTrace* trace = nullptr);

// Only the names (for headers), without computing anything.
Result<std::vector<std::string>> feature_vector_names(const std::string& set_name);

// The registry behind the functions above: one row per set, in feature_sets.cpp. A new set is
// one more row there plus two functions (in its own file, declared in its own header).
struct FeatureSetEntry {
    FeatureSetInfo info;
    // The value names, in order; the count fixes the vector length.
    std::vector<std::string> (*names)();
    // Fills out.values (out.names is filled by the caller). The extractor is already checked
    // to be built with info.config; samples are non-empty and finite.
    // Fills *trace when trace is not null.
    Status (*compute)(FeatureExtractor& extractor, const float* samples, std::size_t n_samples,
                      FeatureVector& out, FeatureSetTrace* trace);
};
const std::vector<FeatureSetEntry>& feature_set_registry();

// Per-row mean / population standard deviation (ddof 0, as numpy) of a [n_features, T]
// matrix, accumulated in float64; appends one value per row to `values`. Shared by the sets.
void append_frame_means(const Eigen::Ref<const Eigen::MatrixXf>& m, std::vector<float>& values);
void append_frame_stds(const Eigen::Ref<const Eigen::MatrixXf>& m, std::vector<float>& values);

// librosa.feature.delta(width=9, order=1, mode='interp') along frames: the least-squares slope
// over 9 frames, sum_{n=-4..4} n*x[t+n] / 60; the first/last 4 frames take the slope of the
// line fitted to the first/last 9 frames (savgol 'interp'), which is the same value as frame
// 4 / T-5. With fewer than 9 frames (librosa refuses) the slope of the line fitted to all
// frames is used for every frame; one frame gives 0.
Eigen::MatrixXf delta_width9(const Eigen::Ref<const Eigen::MatrixXf>& m);

}  // namespace ser
