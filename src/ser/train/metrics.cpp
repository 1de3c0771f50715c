// Classification metrics from a confusion matrix; scikit-learn conventions (zero_division = 0).
// Evaluation stage, used by `ser eval` and the protocols in eval.cpp.
#include "ser/train/metrics.h"

#include <algorithm>
#include <cmath>

namespace ser {

Metrics metrics_from_confusion(const Eigen::MatrixXi& confusion, const std::vector<std::string>& classes) {
    Metrics m;
    m.classes = classes;
    m.confusion = confusion;
    const int k = int(confusion.rows());
    m.n = confusion.sum();
    m.accuracy = m.n > 0 ? double(confusion.trace()) / double(m.n) : 0.0;
    m.per_class.resize(k);
    double recall_sum = 0.0, f1_sum = 0.0;
    int n_recall = 0, n_f1 = 0;
    for (int c = 0; c < k; ++c) {
        ClassMetrics& pc = m.per_class[c];
        const int tp = confusion(c, c);
        pc.support = confusion.row(c).sum();
        pc.predicted = confusion.col(c).sum();
        pc.precision = pc.predicted > 0 ? double(tp) / pc.predicted : 0.0;
        pc.recall = pc.support > 0 ? double(tp) / pc.support : 0.0;
        pc.f1 = (pc.precision + pc.recall) > 0 ? 2.0 * pc.precision * pc.recall / (pc.precision + pc.recall) : 0.0;
        if (pc.support > 0) {
            recall_sum += pc.recall;
            ++n_recall;
        }
        if (pc.support > 0 || pc.predicted > 0) {
            f1_sum += pc.f1;
            ++n_f1;
        }
    }
    m.uar = n_recall > 0 ? recall_sum / n_recall : 0.0;
    m.macro_f1 = n_f1 > 0 ? f1_sum / n_f1 : 0.0;
    return m;
}

Result<Metrics> compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                const std::vector<std::string>& classes) {
    const int k = int(classes.size());
    if (truth.size() != predicted.size())
        return Status::error("metrics", std::to_string(predicted.size()) + " predictions for " +
                                            std::to_string(truth.size()) + " true labels; expected equal counts");
    Eigen::MatrixXi cm = Eigen::MatrixXi::Zero(k, k);
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k)
            return Status::error("metrics", "label pair (" + std::to_string(truth[i]) + ", " +
                                                std::to_string(predicted[i]) + ") found; expected labels in [0, " +
                                                std::to_string(k - 1) + "]");
        ++cm(truth[i], predicted[i]);
    }
    return metrics_from_confusion(cm, classes);
}

Summary summarize(const std::vector<double>& values) {
    Summary s;
    s.n = int(values.size());
    if (values.empty()) return s;
    double sum = 0.0;
    for (double v : values) sum += v;
    s.mean = sum / s.n;
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = s.n > 1 ? std::sqrt(ss / (s.n - 1)) : 0.0;
    s.min = *std::min_element(values.begin(), values.end());
    s.max = *std::max_element(values.begin(), values.end());
    return s;
}

}  // namespace ser
