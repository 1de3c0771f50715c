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
// Training loop

namespace {
Result<TrainResult> train_once(const Eigen::MatrixXf& x, const std::vector<int>& labels,
                               const std::vector<std::string>& classes, const TrainOptions& options,
                               const EpochCallback& on_epoch, const AugmentedRows& augmented,
                               const std::vector<int>& groups) {
    using Mat = Net<float>::Mat;
    using Vec = Net<float>::Vec;
    Status st = options.validate();
    if (!st) return st;
    const int n_classes = int(classes.size());
    const Eigen::Index n = x.rows(), d = x.cols();
    if (n_classes < 2) return Status::error("train", std::to_string(n_classes) + " classes given; expected at least 2");
    if (std::size_t(n) != labels.size())
        return Status::error("train", std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                                          " feature rows; expected one label per row");
    if (d < 1) return Status::error("train", "feature vectors have 0 values; expected at least 1");
    if (!x.allFinite()) return Status::error("train", "feature matrix holds a non-finite value; expected finite features");
    if (!augmented.empty()) {
        if (augmented.x.rows() != Eigen::Index(augmented.source.size()) || augmented.x.cols() != d)
            return Status::error("train", "augmented rows are " + std::to_string(augmented.x.rows()) + "x" +
                                              std::to_string(augmented.x.cols()) + " with " + std::to_string(augmented.source.size()) +
                                              " sources; expected one source per row and " + std::to_string(d) + " columns");
        for (int src : augmented.source)
            if (src < 0 || src >= n)
                return Status::error("train", "augmented row source " + std::to_string(src) + "; expected 0 to " + std::to_string(n - 1));
        if (!augmented.x.allFinite())
            return Status::error("train", "augmented rows hold a non-finite value; expected finite features");
    }
    if (!groups.empty() && groups.size() != labels.size())
        return Status::error("train", std::to_string(groups.size()) + " group ids for " + std::to_string(labels.size()) +
                                          " rows; expected none or one per row");
    for (int g : groups)
        if (g < 0) return Status::error("train", "group id " + std::to_string(g) + " found; expected 0 or more");
    std::vector<int> count(n_classes, 0);
    for (int y : labels) {
        if (y < 0 || y >= n_classes)
            return Status::error("train", "label " + std::to_string(y) + " found; expected 0 to " + std::to_string(n_classes - 1));
        ++count[y];
    }
    for (int c = 0; c < n_classes; ++c)
        if (count[c] < 2)
            return Status::error("train", "class '" + classes[c] + "' has " + std::to_string(count[c]) +
                                              " samples; expected at least 2");

    // Validation split first, then everything (scaler included) is fitted on the rest only.
    std::vector<int> tr, va;
    if (options.validation_fraction > 0.0)
        stratified_split(labels, n_classes, options.validation_fraction, options.seed ^ 0x5EEDULL, tr, va);
    else
        for (int i = 0; i < n; ++i) tr.push_back(i);

    std::vector<int> aug_rows;   // copies whose source is in the training part
    if (!augmented.empty()) {
        std::vector<char> in_train(std::size_t(n), 0);
        for (int i : tr) in_train[std::size_t(i)] = 1;
        for (std::size_t i = 0; i < augmented.source.size(); ++i)
            if (in_train[std::size_t(augmented.source[i])]) aug_rows.push_back(int(i));
    }
    Mat x_tr(d, tr.size() + aug_rows.size());
    std::vector<int> y_tr(tr.size() + aug_rows.size()), g_tr(groups.empty() ? 0 : y_tr.size());
    for (std::size_t i = 0; i < tr.size(); ++i) {
        x_tr.col(i) = x.row(tr[i]).transpose();
        y_tr[i] = labels[tr[i]];
        if (!groups.empty()) g_tr[i] = groups[tr[i]];
    }
    for (std::size_t i = 0; i < aug_rows.size(); ++i) {
        const std::size_t src = std::size_t(augmented.source[std::size_t(aug_rows[i])]);
        x_tr.col(tr.size() + i) = augmented.x.row(aug_rows[i]).transpose();
        y_tr[tr.size() + i] = labels[src];
        if (!groups.empty()) g_tr[tr.size() + i] = groups[src];
    }
    TrainResult out;
    Model& model = out.model;
    model.classes = classes;
    {
        Eigen::MatrixXf rows = x_tr.transpose();
        fit_standardisation(rows, model.normaliser.mean, model.normaliser.scale);
    }
    x_tr = (x_tr.colwise() - model.normaliser.mean).array().colwise() / model.normaliser.scale.array();
    Mat x_va(d, va.size());
    std::vector<int> y_va(va.size());
    for (std::size_t i = 0; i < va.size(); ++i) {
        x_va.col(i) = (x.row(va[i]).transpose() - model.normaliser.mean).cwiseQuotient(model.normaliser.scale);
        y_va[i] = labels[va[i]];
    }

    // Weights from the training part (copies included): the mean weight over its samples is 1.
    const std::vector<float> sw_tr =
        balance_weights(y_tr, g_tr, n_classes, options.class_weighting, options.group_weighting);
    std::vector<float> sw_va(y_va.size());
    for (std::size_t i = 0; i < y_va.size(); ++i) sw_va[i] = weight_like(y_tr, g_tr, sw_tr, y_va[i], groups.empty() ? 0 : groups[va[i]]);

    // Glorot/Xavier uniform initialisation, bound sqrt(6 / (fan_in + fan_out)) (scikit-learn's choice
    // for ReLU networks); biases start at zero.
    Rng rng(options.seed);
    Net<float> net;
    std::vector<int> widths{int(d)};
    widths.insert(widths.end(), options.hidden.begin(), options.hidden.end());
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
    const std::size_t n_layers = net.w.size();

    // Adam state (Kingma & Ba 2015, defaults beta1 0.9, beta2 0.999, eps 1e-8).
    const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
    Net<float> m1, m2;
    for (std::size_t l = 0; l < n_layers; ++l) {
        m1.w.push_back(Mat::Zero(net.w[l].rows(), net.w[l].cols()));
        m2.w.push_back(Mat::Zero(net.w[l].rows(), net.w[l].cols()));
        m1.b.push_back(Vec::Zero(net.b[l].size()));
        m2.b.push_back(Vec::Zero(net.b[l].size()));
    }
    double beta1_t = 1.0, beta2_t = 1.0;

    const int n_tr = int(y_tr.size());   // clean training clips, then their augmented copies
    const int batch = std::min(options.batch_size, n_tr);
    const float keep = float(1.0 - options.dropout);
    std::vector<int> order(n_tr);
    for (int i = 0; i < n_tr; ++i) order[i] = i;

    Net<float> best = net;
    double best_loss = std::numeric_limits<double>::infinity();
    int best_epoch = 0, waited = 0;
    const double nan = std::numeric_limits<double>::quiet_NaN();

    Mat xb;
    std::vector<int> yb;
    std::vector<float> swb;
    Net<float> g;
    std::vector<Mat> masks;
    for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
        rng.shuffle(order);
        double loss_sum = 0.0;
        int correct = 0;
        for (int start = 0; start < n_tr; start += batch) {
            const int nb = std::min(batch, n_tr - start);
            xb.resize(d, nb);
            yb.resize(nb);
            swb.resize(nb);
            for (int k = 0; k < nb; ++k) {
                const int i = order[start + k];
                xb.col(k) = x_tr.col(i);
                yb[k] = y_tr[i];
                swb[k] = sw_tr[std::size_t(i)];
            }
            const std::vector<Mat>* mp = nullptr;
            if (options.dropout > 0.0) {
                masks.resize(n_layers - 1);
                for (std::size_t l = 0; l + 1 < n_layers; ++l) {
                    masks[l].resize(net.w[l].rows(), nb);
                    for (Eigen::Index j = 0; j < nb; ++j)
                        for (Eigen::Index i = 0; i < masks[l].rows(); ++i)
                            masks[l](i, j) = rng.uniform() < options.dropout ? 0.0f : 1.0f / keep;
                }
                mp = &masks;
            }
            const double ce = forward_backward<float>(net, xb, yb.data(), swb.data(), float(nb), float(options.l2), mp,
                                                      &g, &correct);
            loss_sum += ce + double(nb) * l2_term(net, float(options.l2));
            beta1_t *= beta1;
            beta2_t *= beta2;
            const float step = float(options.learning_rate * std::sqrt(1.0 - beta2_t) / (1.0 - beta1_t));
            for (std::size_t l = 0; l < n_layers; ++l) {
                m1.w[l] = beta1 * m1.w[l] + (1.0f - beta1) * g.w[l];
                m2.w[l] = beta2 * m2.w[l] + (1.0f - beta2) * g.w[l].cwiseAbs2();
                net.w[l].array() -= step * m1.w[l].array() / (m2.w[l].array().sqrt() + eps);
                m1.b[l] = beta1 * m1.b[l] + (1.0f - beta1) * g.b[l];
                m2.b[l] = beta2 * m2.b[l] + (1.0f - beta2) * g.b[l].cwiseAbs2();
                net.b[l].array() -= step * m1.b[l].array() / (m2.b[l].array().sqrt() + eps);
            }
        }
        EpochStats es;
        es.epoch = epoch;
        es.train_loss = loss_sum / double(n_tr);
        es.train_accuracy = double(correct) / double(n_tr);
        es.val_loss = nan;
        es.val_accuracy = nan;
        if (!va.empty()) {
            int vc = 0;
            const double vl = forward_backward<float>(net, x_va, y_va.data(), sw_va.data(), 1.0f, 0.0f, nullptr,
                                                      nullptr, &vc);
            es.val_loss = vl / double(va.size());
            es.val_accuracy = double(vc) / double(va.size());
        }
        out.history.push_back(es);
        if (on_epoch) on_epoch(es);
        if (!std::isfinite(es.train_loss))
            return Status::error("train", "training loss became " + std::to_string(es.train_loss) + " at epoch " +
                                              std::to_string(epoch) + "; expected a finite loss (lower the learning rate)");
        if (va.empty()) {
            best_epoch = epoch;
            continue;
        }
        // Early stopping on validation loss (smoother than accuracy on a few dozen clips) or on
        // validation accuracy with the loss as tie-break (scikit-learn's early_stopping scores
        // accuracy); the weights of the best epoch are kept.
        const double score = options.stop_on_accuracy ? -es.val_accuracy + 1e-3 * std::min(es.val_loss, 100.0) : es.val_loss;
        if (score < best_loss - 1e-6) {
            best_loss = score;
            best = net;
            best_epoch = epoch;
            waited = 0;
        } else if (++waited >= options.patience) {
            break;
        }
    }
    if (va.empty()) best = net;
    for (std::size_t l = 0; l < n_layers; ++l) model.layers.push_back(DenseLayer{best.w[l], best.b[l]});
    out.best_epoch = best_epoch;
    out.n_train = n_tr;
    out.n_val = int(va.size());
    out.val_indices = va;
    if (!va.empty()) {
        Model probe = model;
        Eigen::MatrixXf xv(va.size(), d);
        for (std::size_t i = 0; i < va.size(); ++i) xv.row(i) = x.row(va[i]);
        const Eigen::MatrixXf p = probe.predict_batch(xv);
        for (Eigen::Index i = 0; i < p.rows(); ++i) {
            Eigen::Index arg;
            p.row(i).maxCoeff(&arg);
            out.val_predictions.push_back(int(arg));
        }
    }
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
