// Classification metrics: confusion matrix, accuracy, unweighted average recall (UAR), macro-F1,
// per-class precision/recall/F1. Evaluation stage; definitions as scikit-learn's classification_report.
#pragma once
#include <Eigen/Core>
#include <string>
#include <vector>

#include "ser/base/status.h"

namespace ser {

struct ClassMetrics {
    double precision = 0.0;   // tp / (tp + fp); 0 when the class is never predicted (zero_division=0)
    double recall = 0.0;      // tp / (tp + fn); 0 when the class has no true samples
    double f1 = 0.0;          // harmonic mean of the two; 0 when both are 0
    int support = 0;          // true samples of the class
    int predicted = 0;        // samples predicted as the class
};

struct Metrics {
    std::vector<std::string> classes;
    Eigen::MatrixXi confusion;   // [true, predicted], classes in order
    int n = 0;                   // samples counted
    double accuracy = 0.0;       // trace / n
    double uar = 0.0;            // mean recall over classes with support > 0
    double macro_f1 = 0.0;       // mean F1 over classes with support > 0 or predictions > 0
    std::vector<ClassMetrics> per_class;
};

// From a confusion matrix [true, predicted] (square, non-negative, size = classes).
Metrics metrics_from_confusion(const Eigen::MatrixXi& confusion, const std::vector<std::string>& classes);
// From label lists of equal length with values in [0, classes.size()).
Result<Metrics> compute_metrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                const std::vector<std::string>& classes);

// Mean, sample standard deviation (n - 1; 0 for one value), min and max of repeated figures.
struct Summary {
    double mean = 0.0, sd = 0.0, min = 0.0, max = 0.0;
    int n = 0;
};
Summary summarize(const std::vector<double>& values);

}  // namespace ser
