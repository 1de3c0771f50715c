// The normaliser stage: feature vector -> network input, z = (x - mean) / scale per value.
// Between vectors and the MLP; standardisation as scikit-learn's StandardScaler, fitted on training data only.
#pragma once
#include <Eigen/Core>
#include <string>

#include "ser/base/status.h"

namespace ser {

// Recorded in the model file ("normaliser" in its header; files without the key are
// standardisation, the only kind so far). A speaker profile (issue #7) will be a second kind,
// applied here too, so that nothing between the vector and the network lives elsewhere.
struct Normaliser {
    static constexpr const char* kStandardise = "standardise";
    std::string kind = kStandardise;
    Eigen::VectorXf mean;     // per input, fitted on the training rows
    Eigen::VectorXf scale;    // population sd per input; 1 where the training column was constant

    int n_inputs() const { return int(mean.size()); }
    // A known kind, as many scales as means (>= 1), finite, every scale > 0.
    Status validate() const;
    // One vector of n_inputs() values -> z. The caller checks the length.
    Eigen::VectorXf apply(const float* x) const;
    // Rows of x [n_samples, n_inputs] -> columns of z [n_inputs, n_samples] (one sample per
    // column, the layout the network's matrix products want).
    Eigen::MatrixXf apply_rows(const Eigen::MatrixXf& x) const;
};

}  // namespace ser
