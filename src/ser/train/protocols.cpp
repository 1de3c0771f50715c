// Evaluation protocols: repeated stratified 80/20 splits and speaker-grouped k-fold, training one MLP per fold.
// Used by `ser eval --protocol`; each fold is deterministic, so parallel folds give the same figures.
#include "ser/train/protocols.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#if !defined(__EMSCRIPTEN__)
#include <thread>
#endif

namespace ser {

Result<std::vector<int>> speaker_folds(const std::vector<int>& actors, int n_folds) {
    std::set<int> distinct(actors.begin(), actors.end());
    if (n_folds < 2 || n_folds > int(distinct.size()))
        return Status::error("eval", "speaker folds " + std::to_string(n_folds) + " requested with " +
                                         std::to_string(distinct.size()) + " actors; expected 2 to the number of actors");
    std::map<int, int> fold_of;
    int rank = 0;
    for (int a : distinct) fold_of[a] = rank++ % n_folds;
    std::vector<int> out(actors.size());
    for (std::size_t i = 0; i < actors.size(); ++i) out[i] = fold_of[actors[i]];
    return out;
}

void normalise_per_speaker(LabelledSet& data) {
    assert(data.actors.size() == std::size_t(data.x.rows()));
    std::map<int, std::vector<Eigen::Index>> rows_of;
    for (std::size_t i = 0; i < data.actors.size(); ++i) rows_of[data.actors[i]].push_back(Eigen::Index(i));
    for (const auto& [actor, rows] : rows_of) {
        for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
            double sum = 0.0, ss = 0.0;
            for (Eigen::Index r : rows) sum += data.x(r, j);
            const double mean = sum / double(rows.size());
            for (Eigen::Index r : rows) ss += (data.x(r, j) - mean) * (data.x(r, j) - mean);
            const double sd = std::sqrt(ss / double(rows.size()));
            for (Eigen::Index r : rows) data.x(r, j) = sd > 1e-12 ? float((data.x(r, j) - mean) / sd) : 0.0f;
        }
    }
}

namespace {

struct Split {
    std::string name;
    std::vector<int> train, test;
    std::uint64_t seed;
};

FoldResult run_split(const LabelledSet& data, const Split& s, const TrainOptions& base, Status& status) {
    FoldResult fr;
    fr.name = s.name;
    Eigen::MatrixXf x_tr(s.train.size(), data.x.cols());
    std::vector<int> y_tr(s.train.size());
    for (std::size_t i = 0; i < s.train.size(); ++i) {
        x_tr.row(i) = data.x.row(s.train[i]);
        y_tr[i] = data.labels[s.train[i]];
    }
    AugmentedRows aug;   // copies of this split's training clips, sources renumbered into x_tr
    if (!data.augmented.empty()) {
        std::vector<int> row_in_split(std::size_t(data.x.rows()), -1);
        for (std::size_t i = 0; i < s.train.size(); ++i) row_in_split[std::size_t(s.train[i])] = int(i);
        std::vector<int> rows;
        for (std::size_t i = 0; i < data.augmented.source.size(); ++i) {
            const int r = row_in_split[std::size_t(data.augmented.source[i])];
            if (r < 0) continue;
            rows.push_back(int(i));
            aug.source.push_back(r);
        }
        aug.x.resize(Eigen::Index(rows.size()), data.x.cols());
        for (std::size_t i = 0; i < rows.size(); ++i) aug.x.row(Eigen::Index(i)) = data.augmented.x.row(rows[i]);
    }
    TrainOptions opt = base;
    opt.seed = s.seed;
    Result<TrainResult> tr = train_mlp(x_tr, y_tr, data.classes, opt, {}, aug);
    if (!tr) {
        status = Status::error(tr.status.module, s.name + ": " + tr.status.message);
        return fr;
    }
    Eigen::MatrixXf x_te(s.test.size(), data.x.cols());
    std::vector<int> y_te(s.test.size()), pred(s.test.size());
    for (std::size_t i = 0; i < s.test.size(); ++i) {
        x_te.row(i) = data.x.row(s.test[i]);
        y_te[i] = data.labels[s.test[i]];
    }
    const Eigen::MatrixXf p = tr.value.model.predict_batch(x_te);
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        Eigen::Index arg;
        p.row(i).maxCoeff(&arg);
        pred[i] = int(arg);
    }
    Result<Metrics> m = compute_metrics(y_te, pred, data.classes);
    if (!m) {
        status = m.status;
        return fr;
    }
    fr.metrics = m.value;
    fr.history = tr.value.history;
    fr.n_train = int(s.train.size() + aug.source.size());
    fr.n_test = int(s.test.size());
    fr.best_epoch = tr.value.best_epoch;
    return fr;
}

std::string two_digits(int a) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", a);
    return b;
}

}  // namespace

Result<ProtocolResult> run_protocol(const LabelledSet& data, const ProtocolOptions& options) {
    const int k = int(data.classes.size());
    const std::size_t n = data.labels.size();
    if (std::size_t(data.x.rows()) != n)
        return Status::error("eval", std::to_string(n) + " labels for " + std::to_string(data.x.rows()) +
                                         " feature rows; expected one per row");
    if (options.protocol == "speaker" && data.actors.size() != n)
        return Status::error("eval", std::to_string(data.actors.size()) + " actor ids for " + std::to_string(n) +
                                         " clips; expected one per clip");
    for (int src : data.augmented.source)
        if (src < 0 || std::size_t(src) >= n)
            return Status::error("eval", "augmented copy of row " + std::to_string(src) + "; expected 0 to " + std::to_string(n - 1));
    if (data.augmented.x.rows() != Eigen::Index(data.augmented.source.size()) ||
        (!data.augmented.empty() && data.augmented.x.cols() != data.x.cols()))
        return Status::error("eval", "augmented rows do not match their sources or the feature width; expected one source per row");
    Status st = options.train.validate();
    if (!st) return st;

    std::vector<Split> splits;
    ProtocolResult res;
    res.protocol = options.protocol;
    std::ostringstream desc;
    if (options.protocol == "random") {
        if (options.n_seeds < 1 || options.n_seeds > 1000)
            return Status::error("eval", "seeds " + std::to_string(options.n_seeds) + " requested; expected 1 to 1000");
        if (!(options.test_fraction > 0.0 && options.test_fraction < 1.0))
            return Status::error("eval", "test fraction " + std::to_string(options.test_fraction) + "; expected (0, 1)");
        for (int r = 0; r < options.n_seeds; ++r) {
            Split s;
            s.seed = options.train.seed + std::uint64_t(r);
            s.name = "seed " + std::to_string(s.seed);
            // Test part drawn per class (stratified); the training seed equals the split seed.
            stratified_split(data.labels, k, options.test_fraction, s.seed, s.train, s.test);
            splits.push_back(std::move(s));
        }
        desc << "random: stratified " << int(100 * (1 - options.test_fraction) + 0.5) << "/"
             << int(100 * options.test_fraction + 0.5) << " split, " << options.n_seeds << " seeds from "
             << options.train.seed;
    } else if (options.protocol == "speaker") {
        Result<std::vector<int>> folds = speaker_folds(data.actors, options.n_folds);
        if (!folds) return folds.status;
        for (int f = 0; f < options.n_folds; ++f) {
            Split s;
            s.seed = options.train.seed + std::uint64_t(f);
            std::set<int> test_actors;
            for (std::size_t i = 0; i < n; ++i) {
                if (folds.value[i] == f) {
                    s.test.push_back(int(i));
                    test_actors.insert(data.actors[i]);
                } else {
                    s.train.push_back(int(i));
                }
            }
            s.name = "fold " + std::to_string(f + 1) + " (actors";
            bool first = true;
            for (int a : test_actors) {
                s.name += (first ? " " : ",") + two_digits(a);
                first = false;
            }
            s.name += ")";
            splits.push_back(std::move(s));
        }
        desc << "speaker: " << options.n_folds << "-fold grouped by actor (actor rank mod " << options.n_folds << ")";
    } else {
        return Status::error("eval", "protocol '" + options.protocol + "'; expected 'random' or 'speaker'");
    }
    desc << "; " << options.train.describe();
    res.description = desc.str();

    res.folds.resize(splits.size());
    std::vector<Status> statuses(splits.size());
    std::mutex mu;
    auto work = [&](std::size_t i) {
        res.folds[i] = run_split(data, splits[i], options.train, statuses[i]);
        if (options.on_fold && statuses[i]) {
            std::lock_guard<std::mutex> lock(mu);
            options.on_fold(res.folds[i]);
        }
    };
    int n_jobs = options.n_jobs;
#if defined(__EMSCRIPTEN__)
    n_jobs = 1;
#else
    if (n_jobs <= 0) n_jobs = int(std::max(1u, std::thread::hardware_concurrency()));
#endif
    n_jobs = std::min<int>(n_jobs, int(splits.size()));
    if (n_jobs <= 1) {
        for (std::size_t i = 0; i < splits.size(); ++i) work(i);
    } else {
#if !defined(__EMSCRIPTEN__)
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> pool;
        for (int t = 0; t < n_jobs; ++t)
            pool.emplace_back([&] {
                for (std::size_t i; (i = next.fetch_add(1)) < splits.size();) work(i);
            });
        for (auto& th : pool) th.join();
#endif
    }
    for (const auto& s : statuses)
        if (!s) return s;

    Eigen::MatrixXi pooled = Eigen::MatrixXi::Zero(k, k);
    std::vector<double> acc, uar, f1;
    for (const auto& f : res.folds) {
        pooled += f.metrics.confusion;
        acc.push_back(f.metrics.accuracy);
        uar.push_back(f.metrics.uar);
        f1.push_back(f.metrics.macro_f1);
    }
    res.pooled = metrics_from_confusion(pooled, data.classes);
    res.accuracy = summarize(acc);
    res.uar = summarize(uar);
    res.macro_f1 = summarize(f1);
    return res;
}

}  // namespace ser
