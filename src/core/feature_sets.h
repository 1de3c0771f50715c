// Utterance feature vectors: fixed-length summaries of FrameFeatures that a model consumes.
// Third stage (frame matrices -> one vector per clip); "seed" v1 matches reference seed_vector.npy.
#pragma once
#include <string>
#include <vector>

#include "features.h"
#include "status.h"

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

// Computes the set `set_name` from the clip's mono 16 kHz samples. The extractor must be
// built with the set's config. Errors: unknown set, config mismatch, empty/non-finite input.
Status compute_feature_vector(const std::string& set_name, FeatureExtractor& extractor,
                              const float* samples, std::size_t n_samples, FeatureVector& out);

// Only the names (for headers), without computing anything.
Result<std::vector<std::string>> feature_vector_names(const std::string& set_name);

}  // namespace ser
