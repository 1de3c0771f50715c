// Training of the MLP classifier: standardisation, mini-batch Adam on class-weighted cross-entropy,
// L2 decay, dropout, early stopping. Feature vectors -> ser::Model; the role of scikit-learn's MLPClassifier.fit.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ser/model/model.h"
#include "ser/base/rng.h"
#include "ser/base/status.h"

namespace ser {

struct TrainOptions {
    std::vector<int> hidden = {256};   // widths of the ReLU layers (the seed system had one of 256)
    int max_epochs = 200;              // [1, 100000]
    int batch_size = 64;               // [1, 65536]; clipped to the training size
    double learning_rate = 1e-3;       // Adam step size (Kingma & Ba 2015), (0, 1]
    double l2 = 1e-4;                  // weight decay on weights (not biases), [0, 1]
    double dropout = 0.0;              // drop probability on hidden units, [0, 0.9]
    double validation_fraction = 0.1;  // stratified hold-out from the training data for early stopping; 0 = none
    int patience = 30;                 // epochs without validation improvement before stopping
    bool class_weighting = true;       // inverse class frequency, n / (K n_c) (scikit-learn's "balanced")
    // Each group (corpus) weighs the same in the loss, n / (G n_g); with class_weighting too, each class
    // within its group, n / (G K_g n_gc). Without it ASED's 2474 clips outweigh SAVEE's 480 five to one.
    // One group (or none given) leaves the class weights exactly as without it.
    bool group_weighting = true;
    // Early stopping watches validation accuracy (loss as tie-break) rather than loss: on RAVDESS the
    // validation loss bottoms out early (over-confidence) while accuracy still improves; stopping on
    // loss cost 5 points on the 8-class random protocol (56.0% vs 59.2%, `ser eval`, docs in the report).
    bool stop_on_accuracy = true;
    bool refit = true;                 // after early stopping, retrain on all the data for the best epoch count
    std::uint64_t seed = 1;            // same seed + same data -> same model, bit for bit
    // Ranges above; message names the option, value found and range expected.
    Status validate() const;
    // "hidden 256, epochs<=200, batch 64, ..." for metadata and reports.
    std::string describe() const;
};

// One line of the training history (the curves plot).
struct EpochStats {
    int epoch = 0;                 // 1-based
    double train_loss = 0.0;       // mean weighted cross-entropy over the epoch's batches (with dropout), plus L2
    double train_accuracy = 0.0;   // on the batches as seen during the epoch
    double val_loss = 0.0;         // weighted cross-entropy on the validation split (NaN when there is none)
    double val_accuracy = 0.0;     // NaN when there is no validation split
};

struct TrainResult {
    Model model;                   // classes, standardisation and layers filled; feature config/set left to the caller
    std::vector<EpochStats> history;   // of the early-stopping run (validation curves)
    int best_epoch = 0;            // epoch with the lowest validation loss (the last one without validation)
    int refit_epochs = 0;          // epochs of the refit on all the data (0 = no refit; model is the best epoch's)
    int n_train = 0;               // samples the final weights were fitted on
    int n_val = 0;                 // samples held out for early stopping
    std::vector<int> val_indices;  // rows of x that formed the validation split (sorted)
    std::vector<int> val_predictions;  // predictions of the early-stopped model on them (before any refit)
};

using EpochCallback = std::function<void(const EpochStats&)>;

// Augmented copies of training clips (features of perturbed audio, augment.h): row i of x comes
// from row source[i] of the main feature matrix and takes its label. A copy joins the training
// part only when its source does, never the validation part, so that early stopping is judged
// on clean clips none of whose copies were trained on.
struct AugmentedRows {
    Eigen::MatrixXf x;             // [n_copies, n_features] raw feature vectors (finite)
    std::vector<int> source;       // one row index of the main matrix per copy
    bool empty() const { return source.empty(); }
};

// x: [n_samples, n_features] raw feature vectors (finite); labels in [0, classes.size()).
// Every class needs at least 2 samples (one may go to validation). Deterministic for a seed.
// With a validation split and refit, the network is trained twice (about twice the time).
// groups: empty, or one group (corpus) index >= 0 per row of x for group_weighting; copies take their source's.
Result<TrainResult> train_mlp(const Eigen::MatrixXf& x, const std::vector<int>& labels,
                              const std::vector<std::string>& classes, const TrainOptions& options,
                              const EpochCallback& on_epoch = {}, const AugmentedRows& augmented = {},
                              const std::vector<int>& groups = {});

// Loss weight per sample (mean 1 over the samples): n / (G K_g n_gc) with both flags, n / (G n_g) by
// group only, n / (K n_c) by class only (K = n_classes), 1 with neither. G counts the groups present,
// K_g the classes present in group g. groups empty = one group.
std::vector<float> balance_weights(const std::vector<int>& labels, const std::vector<int>& groups, int n_classes,
                                   bool by_class, bool by_group);

// Stratified split of sample indices: from each class, round(fraction * n_c) samples go to the
// second part (at least one when the class has two or more and fraction > 0). Both parts sorted.
void stratified_split(const std::vector<int>& labels, int n_classes, double fraction, std::uint64_t seed,
                      std::vector<int>& first, std::vector<int>& second);

// Standardisation as scikit-learn's StandardScaler: mean and population sd per column, sd 1
// where a column is constant. x is [n_samples, n_features].
void fit_standardisation(const Eigen::MatrixXf& x, Eigen::VectorXf& mean, Eigen::VectorXf& scale);

// The training objective and its gradient, in double, for the finite-difference test.
// x is [n_features, n_samples] (already standardised); weights[l] is [n_out, n_in].
// Loss = sum_i sample_weight_i * (-log p_i[y_i]) / n + l2/2 * sum_l |W_l|^2 (no dropout).
double mlp_loss_and_gradient(const std::vector<Eigen::MatrixXd>& weights, const std::vector<Eigen::VectorXd>& biases,
                             const Eigen::MatrixXd& x, const std::vector<int>& labels,
                             const Eigen::VectorXd& sample_weight, double l2,
                             std::vector<Eigen::MatrixXd>* grad_weights, std::vector<Eigen::VectorXd>* grad_biases);

}  // namespace ser
