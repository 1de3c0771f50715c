// MLP training: Glorot init, ReLU hidden layers, softmax + class-weighted cross-entropy, Adam, early stopping.
// Feature vectors -> ser::Model; follows scikit-learn's MLPClassifier (Glorot uniform init, Adam defaults).
#include "ser/train/trainer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

namespace ser {

// ---------------------------------------------------------------------------------------------
// Options

Status TrainOptions::validate() const {
    auto bad = [](const std::string& what, const std::string& found, const std::string& expected) {
        return Status::error("train", what + " is " + found + "; expected " + expected);
    };
    if (hidden.size() > 16) return bad("number of hidden layers", std::to_string(hidden.size()), "0 to 16");
    for (int h : hidden)
        if (h < 1 || h > 8192) return bad("hidden layer width", std::to_string(h), "1 to 8192");
    if (max_epochs < 1 || max_epochs > 100000) return bad("epochs", std::to_string(max_epochs), "1 to 100000");
    if (batch_size < 1 || batch_size > 65536) return bad("batch size", std::to_string(batch_size), "1 to 65536");
    if (!(learning_rate > 0.0 && learning_rate <= 1.0)) return bad("learning rate", std::to_string(learning_rate), "(0, 1]");
    if (!(l2 >= 0.0 && l2 <= 1.0)) return bad("L2 weight decay", std::to_string(l2), "[0, 1]");
    if (!(dropout >= 0.0 && dropout <= 0.9)) return bad("dropout", std::to_string(dropout), "[0, 0.9]");
    if (!(validation_fraction >= 0.0 && validation_fraction <= 0.5))
        return bad("validation fraction", std::to_string(validation_fraction), "[0, 0.5]");
    if (patience < 1 || patience > 100000) return bad("patience", std::to_string(patience), "1 to 100000");
    return Status::ok();
}

std::string TrainOptions::describe() const {
    std::ostringstream o;
    o << "hidden ";
    if (hidden.empty()) o << "none";
    for (std::size_t i = 0; i < hidden.size(); ++i) o << (i ? "," : "") << hidden[i];
    o << ", epochs<=" << max_epochs << ", batch " << batch_size << ", Adam lr " << learning_rate << ", L2 " << l2
      << ", dropout " << dropout << ", validation " << validation_fraction << ", patience " << patience
      << ", class weights " << (class_weighting ? "balanced" : "none") << (group_weighting ? ", corpora equal" : "")
      << (refit && validation_fraction > 0 ? ", refit" : "")
      << (validation_fraction > 0 ? (stop_on_accuracy ? ", stop on val accuracy" : ", stop on val loss") : "")
      << ", seed " << seed;
    return o.str();
}

// ---------------------------------------------------------------------------------------------
// Splits and standardisation

void stratified_split(const std::vector<int>& labels, int n_classes, double fraction, std::uint64_t seed,
                      std::vector<int>& first, std::vector<int>& second) {
    first.clear();
    second.clear();
    Rng rng(seed);
    for (int c = 0; c < n_classes; ++c) {
        std::vector<int> idx;
        for (std::size_t i = 0; i < labels.size(); ++i)
            if (labels[i] == c) idx.push_back(int(i));
        rng.shuffle(idx);
        int n_second = int(std::lround(fraction * double(idx.size())));
        if (fraction > 0.0 && n_second == 0 && idx.size() >= 2) n_second = 1;
        if (n_second >= int(idx.size()) && !idx.empty()) n_second = int(idx.size()) - 1;
        if (n_second < 0) n_second = 0;
        second.insert(second.end(), idx.begin(), idx.begin() + n_second);
        first.insert(first.end(), idx.begin() + n_second, idx.end());
    }
    std::sort(first.begin(), first.end());
    std::sort(second.begin(), second.end());
}

void fit_standardisation(const Eigen::MatrixXf& x, Eigen::VectorXf& mean, Eigen::VectorXf& scale) {
    const Eigen::Index n = x.rows(), d = x.cols();
    mean.resize(d);
    scale.resize(d);
    for (Eigen::Index j = 0; j < d; ++j) {
        // Two-pass in double: the features span many orders of magnitude (mel power vs. MFCC).
        double m = 0.0;
        for (Eigen::Index i = 0; i < n; ++i) m += x(i, j);
        m = n > 0 ? m / double(n) : 0.0;
        double v = 0.0;
        for (Eigen::Index i = 0; i < n; ++i) v += (x(i, j) - m) * (x(i, j) - m);
        v = n > 0 ? v / double(n) : 0.0;
        const double sd = std::sqrt(v);
        mean[j] = float(m);
        // StandardScaler treats near-zero variance as zero (scale 1).
        scale[j] = (sd > 10.0 * std::numeric_limits<float>::epsilon() * std::max(1.0, std::abs(m)) && std::isfinite(sd))
                       ? float(sd)
                       : 1.0f;
    }
}

// ---------------------------------------------------------------------------------------------
// The network, templated so that the finite-difference test runs the very same code in double.

namespace {

template <class S>
struct Net {
    using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
    using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;
    std::vector<Mat> w;
    std::vector<Vec> b;
};

// Forward + backward on a batch whose samples are the columns of x. Returns the sum over the
// batch of sample_weight * cross-entropy (the caller divides); grad (optional) receives the
// gradient of (that sum / n_norm) + l2/2 |W|^2. masks (optional): inverted-dropout multipliers
// per hidden layer, same shape as the activations. correct (optional) counts top-1 hits.
template <class S>
double forward_backward(const Net<S>& net, const typename Net<S>::Mat& x, const int* y, const S* sw, S n_norm, S l2,
                        const std::vector<typename Net<S>::Mat>* masks, Net<S>* grad, int* correct) {
    using Mat = typename Net<S>::Mat;
    const std::size_t n_layers = net.w.size();
    const Eigen::Index n = x.cols();
    std::vector<Mat> acts;  // acts[0] = input, acts[l+1] = output of layer l (after ReLU/dropout)
    acts.reserve(n_layers + 1);
    acts.push_back(x);
    for (std::size_t l = 0; l < n_layers; ++l) {
        Mat z = net.w[l] * acts.back();
        z.colwise() += net.b[l];
        if (l + 1 < n_layers) {
            z = z.cwiseMax(S(0));
            if (masks) z = z.cwiseProduct((*masks)[l]);
        }
        acts.push_back(std::move(z));
    }
    // Softmax with the maximum subtracted; the loss uses log-sum-exp so that it never takes log(0).
    Mat& logits = acts.back();
    double loss = 0.0;
    Mat delta(logits.rows(), n);
    for (Eigen::Index j = 0; j < n; ++j) {
        const S m = logits.col(j).maxCoeff();
        auto e = (logits.col(j).array() - m).exp();
        const S sum = e.sum();
        delta.col(j) = e / sum;
        const S log_p = logits(y[j], j) - m - std::log(sum);
        loss += double(sw[j]) * -double(log_p);
        if (correct) {
            Eigen::Index arg;
            logits.col(j).maxCoeff(&arg);
            if (arg == y[j]) ++*correct;
        }
        if (grad) {
            delta(y[j], j) -= S(1);
            delta.col(j) *= sw[j] / n_norm;
        }
    }
    if (!grad) return loss;
    grad->w.resize(n_layers);
    grad->b.resize(n_layers);
    for (std::size_t l = n_layers; l-- > 0;) {
        grad->w[l] = delta * acts[l].transpose() + l2 * net.w[l];
        grad->b[l] = delta.rowwise().sum();
        if (l == 0) break;
        Mat back = net.w[l].transpose() * delta;
        // acts[l] is post-ReLU (and post-mask): zero exactly where the unit was off or dropped.
        const Mat& a = acts[l];
        if (masks)
            back = back.cwiseProduct((*masks)[l - 1]);
        delta = (a.array() > S(0)).select(back, Mat::Zero(back.rows(), back.cols()));
    }
    return loss;
}

template <class S>
double l2_term(const Net<S>& net, S l2) {
    double s = 0.0;
    for (const auto& w : net.w) s += double(w.squaredNorm());
    return 0.5 * double(l2) * s;
}

}  // namespace

double mlp_loss_and_gradient(const std::vector<Eigen::MatrixXd>& weights, const std::vector<Eigen::VectorXd>& biases,
                             const Eigen::MatrixXd& x, const std::vector<int>& labels,
                             const Eigen::VectorXd& sample_weight, double l2,
                             std::vector<Eigen::MatrixXd>* grad_weights, std::vector<Eigen::VectorXd>* grad_biases) {
    Net<double> net{weights, biases};
    Net<double> g;
    const double n = double(x.cols());
    const double ce = forward_backward<double>(net, x, labels.data(), sample_weight.data(), n, l2, nullptr,
                                               (grad_weights || grad_biases) ? &g : nullptr, nullptr);
    if (grad_weights) *grad_weights = g.w;
    if (grad_biases) *grad_biases = g.b;
    return ce / n + l2_term(net, l2);
}

// ---------------------------------------------------------------------------------------------
// Loss weights

std::vector<float> balance_weights(const std::vector<int>& labels, const std::vector<int>& groups, int n_classes,
                                   bool by_class, bool by_group) {
    const std::size_t n = labels.size();
    auto group_of = [&](std::size_t i) { return groups.empty() ? 0 : groups[i]; };
    std::map<int, std::vector<int>> count_of_group;   // group -> samples per class
    for (std::size_t i = 0; i < n; ++i) {
        auto& c = count_of_group[group_of(i)];
        c.resize(std::size_t(n_classes), 0);
        ++c[std::size_t(labels[i])];
    }
    const double n_groups = by_group ? double(count_of_group.size()) : 1.0;
    std::vector<int> count_of_class(std::size_t(n_classes), 0);   // pooled over groups
    for (int y : labels) ++count_of_class[std::size_t(y)];
    std::vector<float> w(n, 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
        const std::vector<int>& c = count_of_group.at(group_of(i));
        if (by_class && by_group) {
            const double k_g = double(std::count_if(c.begin(), c.end(), [](int v) { return v > 0; }));
            w[i] = float(double(n) / (n_groups * k_g * double(c[std::size_t(labels[i])])));
        } else if (by_class) {
            w[i] = float(double(n) / (double(n_classes) * count_of_class[std::size_t(labels[i])]));
        } else if (by_group) {
            const int n_g = std::accumulate(c.begin(), c.end(), 0);
            w[i] = float(double(n) / (n_groups * double(n_g)));
        }
    }
    return w;
}

namespace {
// The weight a held-out sample of (label, group) would get: that of a training sample like it
// (0 when the training part has none), so the validation loss weighs as the training loss does.
float weight_like(const std::vector<int>& y_tr, const std::vector<int>& g_tr, const std::vector<float>& w_tr, int label,
                  int group) {
    for (std::size_t i = 0; i < y_tr.size(); ++i)
        if (y_tr[i] == label && (g_tr.empty() || g_tr[i] == group)) return w_tr[i];
    return 0.0f;
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Training loop: train_once is the sequence check -> split -> standardise -> weigh -> initialise ->
// epochs (Adam, dropout, early stopping) -> keep the best epoch's weights.

namespace {

using Mat = Net<float>::Mat;
using Vec = Net<float>::Vec;

Status check_augmented(const AugmentedRows& augmented, Eigen::Index n, Eigen::Index d) {
    if (augmented.empty()) return Status::ok();
    if (augmented.x.rows() != Eigen::Index(augmented.source.size()) || augmented.x.cols() != d)
        return Status::error("train", "augmented rows are " + std::to_string(augmented.x.rows()) + "x" +
                                          std::to_string(augmented.x.cols()) + " with " + std::to_string(augmented.source.size()) +
                                          " sources; expected one source per row and " + std::to_string(d) + " columns");
    for (int src : augmented.source)
        if (src < 0 || src >= n)
            return Status::error("train", "augmented row source " + std::to_string(src) + "; expected 0 to " + std::to_string(n - 1));
    if (!augmented.x.allFinite()) return Status::error("train", "augmented rows hold a non-finite value; expected finite features");
    return Status::ok();
}

Status check_labels_and_groups(const std::vector<int>& labels, const std::vector<std::string>& classes,
                               const std::vector<int>& groups) {
    const int n_classes = int(classes.size());
    if (!groups.empty() && groups.size() != labels.size())
        return Status::error("train", std::to_string(groups.size()) + " group ids for " + std::to_string(labels.size()) +
                                          " rows; expected none or one per row");
    for (int g : groups)
        if (g < 0) return Status::error("train", "group id " + std::to_string(g) + " found; expected 0 or more");
    std::vector<int> count(std::size_t(n_classes), 0);
    for (int y : labels) {
        if (y < 0 || y >= n_classes)
            return Status::error("train", "label " + std::to_string(y) + " found; expected 0 to " + std::to_string(n_classes - 1));
        ++count[std::size_t(y)];
    }
    for (int c = 0; c < n_classes; ++c)
        if (count[std::size_t(c)] < 2)
            return Status::error("train", "class '" + classes[std::size_t(c)] + "' has " + std::to_string(count[std::size_t(c)]) +
                                              " samples; expected at least 2");
    return Status::ok();
}

Status check_inputs(const Eigen::MatrixXf& x, const std::vector<int>& labels, const std::vector<std::string>& classes,
                    const TrainOptions& options, const AugmentedRows& augmented, const std::vector<int>& groups) {
    Status st = options.validate();
    if (!st) return st;
    const int n_classes = int(classes.size());
    if (n_classes < 2) return Status::error("train", std::to_string(n_classes) + " classes given; expected at least 2");
    if (std::size_t(x.rows()) != labels.size())
        return Status::error("train", std::to_string(labels.size()) + " labels for " + std::to_string(x.rows()) +
                                          " feature rows; expected one label per row");
    if (x.cols() < 1) return Status::error("train", "feature vectors have 0 values; expected at least 1");
    if (!x.allFinite()) return Status::error("train", "feature matrix holds a non-finite value; expected finite features");
    st = check_augmented(augmented, x.rows(), x.cols());
    if (!st) return st;
    return check_labels_and_groups(labels, classes, groups);
}

// The samples of one run, one per column: the training part (clean clips, then the copies of
// those clips) and the validation part (clean clips only), with labels, groups and loss weights.
struct RunData {
    std::vector<int> tr, va;   // rows of x
    Mat x_tr, x_va;
    std::vector<int> y_tr, g_tr, y_va;
    std::vector<float> sw_tr, sw_va;
};

// Validation split first, then the training part gathers its clean rows and their copies.
void split_rows(const Eigen::MatrixXf& x, const std::vector<int>& labels, int n_classes, const TrainOptions& options,
                const AugmentedRows& augmented, const std::vector<int>& groups, RunData& r) {
    const Eigen::Index n = x.rows(), d = x.cols();
    if (options.validation_fraction > 0.0)
        stratified_split(labels, n_classes, options.validation_fraction, options.seed ^ 0x5EEDULL, r.tr, r.va);
    else
        for (int i = 0; i < n; ++i) r.tr.push_back(i);
    std::vector<int> aug_rows;   // copies whose source is in the training part
    if (!augmented.empty()) {
        std::vector<char> in_train(std::size_t(n), 0);
        for (int i : r.tr) in_train[std::size_t(i)] = 1;
        for (std::size_t i = 0; i < augmented.source.size(); ++i)
            if (in_train[std::size_t(augmented.source[i])]) aug_rows.push_back(int(i));
    }
    const std::size_t n_tr = r.tr.size() + aug_rows.size();
    r.x_tr.resize(d, Eigen::Index(n_tr));
    r.y_tr.assign(n_tr, 0);
    r.g_tr.assign(groups.empty() ? 0 : n_tr, 0);
    for (std::size_t i = 0; i < r.tr.size(); ++i) {
        r.x_tr.col(Eigen::Index(i)) = x.row(r.tr[i]).transpose();
        r.y_tr[i] = labels[std::size_t(r.tr[i])];
        if (!groups.empty()) r.g_tr[i] = groups[std::size_t(r.tr[i])];
    }
    for (std::size_t i = 0; i < aug_rows.size(); ++i) {
        const std::size_t src = std::size_t(augmented.source[std::size_t(aug_rows[i])]);
        r.x_tr.col(Eigen::Index(r.tr.size() + i)) = augmented.x.row(aug_rows[i]).transpose();
        r.y_tr[r.tr.size() + i] = labels[src];
        if (!groups.empty()) r.g_tr[r.tr.size() + i] = groups[src];
    }
}

// The scaler is fitted on the training part only (copies included), then applied to both parts.
void standardise_parts(const Eigen::MatrixXf& x, const std::vector<int>& labels, Normaliser& normaliser, RunData& r) {
    {
        Eigen::MatrixXf rows = r.x_tr.transpose();
        fit_standardisation(rows, normaliser.mean, normaliser.scale);
    }
    r.x_tr = (r.x_tr.colwise() - normaliser.mean).array().colwise() / normaliser.scale.array();
    r.x_va.resize(x.cols(), Eigen::Index(r.va.size()));
    r.y_va.resize(r.va.size());
    for (std::size_t i = 0; i < r.va.size(); ++i) {
        r.x_va.col(Eigen::Index(i)) = (x.row(r.va[i]).transpose() - normaliser.mean).cwiseQuotient(normaliser.scale);
        r.y_va[i] = labels[std::size_t(r.va[i])];
    }
}

// Weights from the training part (copies included): the mean weight over its samples is 1.
void weigh_parts(int n_classes, const TrainOptions& options, const std::vector<int>& groups, RunData& r) {
    r.sw_tr = balance_weights(r.y_tr, r.g_tr, n_classes, options.class_weighting, options.group_weighting);
    r.sw_va.resize(r.y_va.size());
    for (std::size_t i = 0; i < r.y_va.size(); ++i)
        r.sw_va[i] = weight_like(r.y_tr, r.g_tr, r.sw_tr, r.y_va[i], groups.empty() ? 0 : groups[std::size_t(r.va[i])]);
}

// Glorot/Xavier uniform initialisation, bound sqrt(6 / (fan_in + fan_out)) (scikit-learn's choice
// for ReLU networks); biases start at zero.
Net<float> glorot_net(int n_inputs, const std::vector<int>& hidden, int n_classes, Rng& rng) {
    Net<float> net;
    std::vector<int> widths{n_inputs};
    widths.insert(widths.end(), hidden.begin(), hidden.end());
    widths.push_back(n_classes);
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
        const int fan_in = widths[l], fan_out = widths[l + 1];
        const double bound = std::sqrt(6.0 / double(fan_in + fan_out));
        Mat w(fan_out, fan_in);
        for (Eigen::Index j = 0; j < w.cols(); ++j)
            for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, j) = float((2.0 * rng.uniform() - 1.0) * bound);
        net.w.push_back(std::move(w));
        net.b.push_back(Vec::Zero(fan_out));
    }
    return net;
}

// Adam (Kingma & Ba 2015, defaults beta1 0.9, beta2 0.999, eps 1e-8), with the bias correction
// folded into the step size.
class Adam {
public:
    Adam(const Net<float>& net, double learning_rate) : learning_rate_(learning_rate) {
        for (std::size_t l = 0; l < net.w.size(); ++l) {
            m1_.w.push_back(Mat::Zero(net.w[l].rows(), net.w[l].cols()));
            m2_.w.push_back(Mat::Zero(net.w[l].rows(), net.w[l].cols()));
            m1_.b.push_back(Vec::Zero(net.b[l].size()));
            m2_.b.push_back(Vec::Zero(net.b[l].size()));
        }
    }
    void step(Net<float>& net, const Net<float>& g) {
        beta1_t_ *= kBeta1;
        beta2_t_ *= kBeta2;
        const float step = float(learning_rate_ * std::sqrt(1.0 - beta2_t_) / (1.0 - beta1_t_));
        for (std::size_t l = 0; l < net.w.size(); ++l) {
            update(net.w[l], m1_.w[l], m2_.w[l], g.w[l], step);
            update(net.b[l], m1_.b[l], m2_.b[l], g.b[l], step);
        }
    }

private:
    static constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f;
    template <class M>
    static void update(M& p, M& m1, M& m2, const M& g, float step) {
        m1 = kBeta1 * m1 + (1.0f - kBeta1) * g;
        m2 = kBeta2 * m2 + (1.0f - kBeta2) * g.cwiseAbs2();
        p.array() -= step * m1.array() / (m2.array().sqrt() + kEps);
    }
    double learning_rate_;
    double beta1_t_ = 1.0, beta2_t_ = 1.0;
    Net<float> m1_, m2_;
};

// Inverted-dropout multipliers for each hidden layer of a batch of nb samples.
void draw_dropout_masks(const Net<float>& net, Eigen::Index nb, double dropout, Rng& rng, std::vector<Mat>& masks) {
    const float keep = float(1.0 - dropout);
    masks.resize(net.w.size() - 1);
    for (std::size_t l = 0; l + 1 < net.w.size(); ++l) {
        masks[l].resize(net.w[l].rows(), nb);
        for (Eigen::Index j = 0; j < nb; ++j)
            for (Eigen::Index i = 0; i < masks[l].rows(); ++i) masks[l](i, j) = rng.uniform() < dropout ? 0.0f : 1.0f / keep;
    }
}

// One pass over the training part in shuffled mini-batches; returns the epoch's mean training loss
// (L2 term included) and accuracy in es.
void train_epoch(Net<float>& net, Adam& adam, const RunData& r, const TrainOptions& options, std::vector<int>& order,
                 Rng& rng, EpochStats& es) {
    const int n_tr = int(r.y_tr.size());
    const int batch = std::min(options.batch_size, n_tr);
    const Eigen::Index d = r.x_tr.rows();
    rng.shuffle(order);
    double loss_sum = 0.0;
    int correct = 0;
    Mat xb;
    std::vector<int> yb;
    std::vector<float> swb;
    Net<float> g;
    std::vector<Mat> masks;
    for (int start = 0; start < n_tr; start += batch) {
        const int nb = std::min(batch, n_tr - start);
        xb.resize(d, nb);
        yb.resize(std::size_t(nb));
        swb.resize(std::size_t(nb));
        for (int k = 0; k < nb; ++k) {
            const int i = order[std::size_t(start + k)];
            xb.col(k) = r.x_tr.col(i);
            yb[std::size_t(k)] = r.y_tr[std::size_t(i)];
            swb[std::size_t(k)] = r.sw_tr[std::size_t(i)];
        }
        if (options.dropout > 0.0) draw_dropout_masks(net, nb, options.dropout, rng, masks);
        const double ce = forward_backward<float>(net, xb, yb.data(), swb.data(), float(nb), float(options.l2),
                                                  options.dropout > 0.0 ? &masks : nullptr, &g, &correct);
        loss_sum += ce + double(nb) * l2_term(net, float(options.l2));
        adam.step(net, g);
    }
    es.train_loss = loss_sum / double(n_tr);
    es.train_accuracy = double(correct) / double(n_tr);
}

void validate_epoch(const Net<float>& net, const RunData& r, EpochStats& es) {
    es.val_loss = es.val_accuracy = std::numeric_limits<double>::quiet_NaN();
    if (r.va.empty()) return;
    int vc = 0;
    const double vl = forward_backward<float>(net, r.x_va, r.y_va.data(), r.sw_va.data(), 1.0f, 0.0f, nullptr, nullptr, &vc);
    es.val_loss = vl / double(r.va.size());
    es.val_accuracy = double(vc) / double(r.va.size());
}

// Early stopping on validation loss (smoother than accuracy on a few dozen clips) or on
// validation accuracy with the loss as tie-break (scikit-learn's early_stopping scores accuracy);
// the weights of the best epoch are kept. Without a validation part the last epoch is the best.
class EarlyStopping {
public:
    EarlyStopping(const Net<float>& net, const TrainOptions& options) : best_(net), options_(options) {}
    // True when training should stop after this epoch.
    bool observe(const Net<float>& net, const EpochStats& es, bool has_validation) {
        if (!has_validation) {
            best_epoch_ = es.epoch;
            return false;
        }
        const double score =
            options_.stop_on_accuracy ? -es.val_accuracy + 1e-3 * std::min(es.val_loss, 100.0) : es.val_loss;
        if (score < best_score_ - 1e-6) {
            best_score_ = score;
            best_ = net;
            best_epoch_ = es.epoch;
            waited_ = 0;
            return false;
        }
        return ++waited_ >= options_.patience;
    }
    int best_epoch() const { return best_epoch_; }
    const Net<float>& best() const { return best_; }

private:
    Net<float> best_;
    const TrainOptions& options_;
    double best_score_ = std::numeric_limits<double>::infinity();
    int best_epoch_ = 0, waited_ = 0;
};

// The early-stopped model's predictions on the validation rows (raw features in, as at run time).
std::vector<int> validation_predictions(const Model& model, const Eigen::MatrixXf& x, const std::vector<int>& va) {
    std::vector<int> out;
    if (va.empty()) return out;
    Eigen::MatrixXf xv(Eigen::Index(va.size()), x.cols());
    for (std::size_t i = 0; i < va.size(); ++i) xv.row(Eigen::Index(i)) = x.row(va[i]);
    const Eigen::MatrixXf p = model.predict_batch(xv);
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        Eigen::Index arg;
        p.row(i).maxCoeff(&arg);
        out.push_back(int(arg));
    }
    return out;
}

Result<TrainResult> train_once(const Eigen::MatrixXf& x, const std::vector<int>& labels,
                               const std::vector<std::string>& classes, const TrainOptions& options,
                               const EpochCallback& on_epoch, const AugmentedRows& augmented,
                               const std::vector<int>& groups) {
    Status st = check_inputs(x, labels, classes, options, augmented, groups);
    if (!st) return st;
    const int n_classes = int(classes.size());
    TrainResult out;
    Model& model = out.model;
    model.classes = classes;
    RunData r;
    split_rows(x, labels, n_classes, options, augmented, groups, r);
    standardise_parts(x, labels, model.normaliser, r);
    weigh_parts(n_classes, options, groups, r);

    Rng rng(options.seed);
    Net<float> net = glorot_net(int(x.cols()), options.hidden, n_classes, rng);
    Adam adam(net, options.learning_rate);
    EarlyStopping stopping(net, options);
    std::vector<int> order(r.y_tr.size());
    std::iota(order.begin(), order.end(), 0);
    for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
        EpochStats es;
        es.epoch = epoch;
        train_epoch(net, adam, r, options, order, rng, es);
        validate_epoch(net, r, es);
        out.history.push_back(es);
        if (on_epoch) on_epoch(es);
        if (!std::isfinite(es.train_loss))
            return Status::error("train", "training loss became " + std::to_string(es.train_loss) + " at epoch " +
                                              std::to_string(epoch) + "; expected a finite loss (lower the learning rate)");
        if (stopping.observe(net, es, !r.va.empty())) break;
    }
    const Net<float>& best = r.va.empty() ? net : stopping.best();
    for (std::size_t l = 0; l < best.w.size(); ++l) model.layers.push_back(DenseLayer{best.w[l], best.b[l]});
    out.best_epoch = stopping.best_epoch();
    out.n_train = int(r.y_tr.size());
    out.n_val = int(r.va.size());
    out.val_indices = r.va;
    out.val_predictions = validation_predictions(model, x, r.va);
    st = model.validate();
    if (!st) return st;
    return out;
}
}  // namespace

Result<TrainResult> train_mlp(const Eigen::MatrixXf& x, const std::vector<int>& labels,
                              const std::vector<std::string>& classes, const TrainOptions& options,
                              const EpochCallback& on_epoch, const AugmentedRows& augmented,
                              const std::vector<int>& groups) {
    Result<TrainResult> first = train_once(x, labels, classes, options, on_epoch, augmented, groups);
    if (!first || !options.refit || first.value.n_val == 0) return first;
    // Refit: early stopping chose the epoch count; train again from the same seed on all the
    // data (validation part included, scaler refitted) for that many epochs, so that the 10%
    // held out for stopping is not lost to the final model.
    TrainOptions again = options;
    again.validation_fraction = 0.0;
    again.max_epochs = std::max(1, first.value.best_epoch);
    again.refit = false;
    Result<TrainResult> second = train_once(x, labels, classes, again, {}, augmented, groups);
    if (!second) return second;
    TrainResult out = std::move(first.value);
    out.model = std::move(second.value.model);
    out.refit_epochs = again.max_epochs;
    out.n_train = second.value.n_train;
    return out;
}

}  // namespace ser
