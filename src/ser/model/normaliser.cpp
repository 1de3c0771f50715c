// The normaliser stage (see normaliser.h).
#include "ser/model/normaliser.h"

#include <cmath>

namespace ser {

Status Normaliser::validate() const {
    auto bad = [](const std::string& text) { return Status::error("model", text); };
    if (kind != kStandardise) return bad("normaliser is '" + kind + "'; expected '" + kStandardise + "'");
    if (mean.size() < 1) return bad("model has 0 inputs; expected at least 1");
    if (scale.size() != mean.size())
        return bad("scale has " + std::to_string(scale.size()) + " values; expected " + std::to_string(mean.size()) +
                   " (one per input)");
    for (int i = 0; i < mean.size(); ++i)
        if (!std::isfinite(mean[i]) || !std::isfinite(scale[i]))
            return bad("standardisation holds a non-finite value; expected finite mean and scale");
    for (int i = 0; i < scale.size(); ++i)
        if (!(scale[i] > 0.0f)) return bad("scale[" + std::to_string(i) + "] is " + std::to_string(scale[i]) + "; expected > 0");
    return Status::ok();
}

Eigen::VectorXf Normaliser::apply(const float* x) const {
    return (Eigen::Map<const Eigen::VectorXf>(x, mean.size()) - mean).cwiseQuotient(scale);
}

Eigen::MatrixXf Normaliser::apply_rows(const Eigen::MatrixXf& x) const {
    return ((x.rowwise() - mean.transpose()).array().rowwise() / scale.transpose().array()).transpose();
}

}  // namespace ser
