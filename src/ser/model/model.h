// The classifier: normaliser + MLP (ReLU hidden layers, softmax output), its file format and training.
// Last stage (utterance vector -> class probabilities); plays the role of scikit-learn's MLPClassifier.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "ser/base/status.h"
#include "ser/model/model_card.h"
#include "ser/model/normaliser.h"
#include "ser/model/profile.h"

namespace ser {

struct DenseLayer {
    Eigen::MatrixXf weights;  // [n_out, n_in]
    Eigen::VectorXf bias;     // [n_out]
};

// The second network of a model that accepts speaker profiles (issue #10): trained on calibrated
// vectors x - rule.shift(profile) of its training speakers (train/calibrated_rows.h), with its own
// standardisation of them and its own layers; same classes and feature set as the model.
struct CalibratedNet {
    ProfileRule rule;
    Normaliser normaliser;
    std::vector<DenseLayer> layers;
};

// Everything a model file holds. The feature config/set it needs travels inside it.
struct Model {
    std::string feature_config;      // e.g. "C1"
    int feature_config_version = 0;
    std::string feature_set;         // e.g. "seed"
    int feature_set_version = 0;
    std::vector<std::string> classes;          // output order
    Normaliser normaliser;                     // vector -> network input (standardisation)
    std::vector<DenseLayer> layers;            // hidden layers (ReLU) then the output layer (softmax)
    std::string metadata_json = "{}";          // training data, protocol, seed, date, figures
    std::vector<CalibratedNet> calibrated;     // empty, or one: the network for profile-shifted vectors

    int n_inputs() const { return normaliser.n_inputs(); }
    int n_classes() const { return int(classes.size()); }
    // Shapes agree with each other and with the class list; numbers are finite.
    Status validate() const;
    // Class probabilities (sum to 1) for one raw (unstandardised) feature vector.
    Result<std::vector<float>> predict(const float* features, int n_features) const;
    // Batch: X is [n_samples, n_inputs] raw features; returns [n_samples, n_classes].
    Eigen::MatrixXf predict_batch(const Eigen::MatrixXf& x) const;

    bool accepts_profiles() const { return !calibrated.empty(); }
    // Whether this model applies `profile`: it accepts profiles and the profile is of its feature
    // set, version and length (check_profile_for); the status says what does not fit.
    Status check_profile(const SpeakerProfile& profile) const;
    // The calibrated network's probabilities for one speaker: `profile` checked against the model
    // (feature set, version, length), then x - shift(profile) through calibrated[0]. Errors when the
    // model was trained without profiles.
    Result<std::vector<float>> predict_with_profile(const float* features, int n_features,
                                                    const SpeakerProfile& profile) const;
    // Batch through the calibrated network of rows already shifted (x - shift per row's speaker).
    Eigen::MatrixXf predict_batch_calibrated(const Eigen::MatrixXf& x_shifted) const;
};

// Binary file: magic "SERMODEL", u32 format version, u32 JSON header length, JSON header
// (config/set names+versions, classes, layer shapes, metadata, and "calibrated" with its rule
// and layer shapes when the model accepts profiles), then little-endian float32 arrays in header
// order, then a CRC-32 of everything before it.
std::vector<std::uint8_t> serialize_model(const Model& m);
Result<Model> parse_model(const std::uint8_t* data, std::size_t n_bytes);
Result<Model> load_model_file(const std::string& path);
Status save_model_file(const Model& m, const std::string& path);

}  // namespace ser
