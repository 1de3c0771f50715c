// Evaluation protocols: stratified random splits, speaker k-fold stratified by corpus, leave-one-corpus-out;
// one MLP per fold, corpora balanced in its loss. Used by `ser eval --protocol`; each fold is deterministic.
#include "ser/train/protocols.h"

#include "ser/classify/calibration.h"
#include "ser/train/calibrated_rows.h"

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

std::vector<std::string> corpus_list(const LabelledSet& data) {
    std::set<std::string> distinct(data.corpora.begin(), data.corpora.end());
    return {distinct.begin(), distinct.end()};
}

std::vector<int> corpus_index(const LabelledSet& data) {
    const std::vector<std::string> names = corpus_list(data);
    std::vector<int> out;
    for (const auto& c : data.corpora) out.push_back(int(std::lower_bound(names.begin(), names.end(), c) - names.begin()));
    return out;
}

Result<std::vector<int>> speaker_folds(const std::vector<std::string>& speakers, const std::vector<std::string>& corpora,
                                       int n_folds) {
    if (speakers.size() != corpora.size())
        return Status::error("eval", std::to_string(speakers.size()) + " speakers for " + std::to_string(corpora.size()) +
                                         " corpus names; expected one of each per clip");
    std::set<std::pair<std::string, std::string>> distinct;   // (corpus, speaker): corpus order first
    for (std::size_t i = 0; i < speakers.size(); ++i) distinct.insert({corpora[i], speakers[i]});
    if (n_folds < 2 || n_folds > int(distinct.size()))
        return Status::error("eval", "speaker folds " + std::to_string(n_folds) + " requested with " +
                                         std::to_string(distinct.size()) + " speakers; expected 2 to the number of speakers");
    std::map<std::pair<std::string, std::string>, int> fold_of;
    int rank = 0;
    for (const auto& key : distinct) fold_of[key] = rank++ % n_folds;
    std::vector<int> out(speakers.size());
    for (std::size_t i = 0; i < speakers.size(); ++i) out[i] = fold_of[{corpora[i], speakers[i]}];
    return out;
}

Result<std::vector<int>> corpus_folds(const std::vector<std::string>& corpora) {
    std::set<std::string> distinct(corpora.begin(), corpora.end());
    if (distinct.size() < 2)
        return Status::error("eval", "leave-one-corpus-out over " + std::to_string(distinct.size()) +
                                         " corpus; expected at least 2 (give several --data roots)");
    const std::vector<std::string> names(distinct.begin(), distinct.end());
    std::vector<int> out;
    for (const auto& c : corpora) out.push_back(int(std::lower_bound(names.begin(), names.end(), c) - names.begin()));
    return out;
}

namespace {
// z-normalises every column over the clean rows of each group (key per row); copies use their source's group.
void normalise_per_group(LabelledSet& data, const std::vector<std::string>& key) {
    assert(key.size() == std::size_t(data.x.rows()));
    std::map<std::string, std::vector<Eigen::Index>> rows_of, copies_of;
    for (std::size_t i = 0; i < key.size(); ++i) rows_of[key[i]].push_back(Eigen::Index(i));
    for (std::size_t i = 0; i < data.augmented.source.size(); ++i)
        copies_of[key[std::size_t(data.augmented.source[i])]].push_back(Eigen::Index(i));
    for (const auto& [group, rows] : rows_of) {
        for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
            double sum = 0.0, ss = 0.0;
            for (Eigen::Index r : rows) sum += data.x(r, j);
            const double mean = sum / double(rows.size());
            for (Eigen::Index r : rows) ss += (data.x(r, j) - mean) * (data.x(r, j) - mean);
            const double sd = std::sqrt(ss / double(rows.size()));
            auto z = [&](float v) { return sd > 1e-12 ? float((v - mean) / sd) : 0.0f; };
            for (Eigen::Index r : rows) data.x(r, j) = z(data.x(r, j));
            for (Eigen::Index r : copies_of[group]) data.augmented.x(r, j) = z(data.augmented.x(r, j));
        }
    }
}
}  // namespace

void normalise_per_speaker(LabelledSet& data) { normalise_per_group(data, data.speakers); }
void normalise_per_corpus(LabelledSet& data) { normalise_per_group(data, data.corpora); }

namespace {

struct Split {
    std::string name;
    std::vector<int> train, test;
    std::uint64_t seed;
};

// The copies of a split's training clips, their sources renumbered into the split's rows.
AugmentedRows split_copies(const LabelledSet& data, const std::vector<int>& train) {
    AugmentedRows aug;
    if (data.augmented.empty()) return aug;
    std::vector<int> row_in_split(std::size_t(data.x.rows()), -1);
    for (std::size_t i = 0; i < train.size(); ++i) row_in_split[std::size_t(train[i])] = int(i);
    std::vector<int> rows;
    for (std::size_t i = 0; i < data.augmented.source.size(); ++i) {
        const int r = row_in_split[std::size_t(data.augmented.source[i])];
        if (r < 0) continue;
        rows.push_back(int(i));
        aug.source.push_back(r);
    }
    aug.x.resize(Eigen::Index(rows.size()), data.x.cols());
    for (std::size_t i = 0; i < rows.size(); ++i) aug.x.row(Eigen::Index(i)) = data.augmented.x.row(rows[i]);
    return aug;
}

std::vector<int> argmax_rows(const Eigen::MatrixXf& p) {
    std::vector<int> out(std::size_t(p.rows()));
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        Eigen::Index arg;
        p.row(i).maxCoeff(&arg);
        out[std::size_t(i)] = int(arg);
    }
    return out;
}

// The calibrated network of a split (calibrated_rows.h): the rule and the rows from the training part,
// profiles of the test speakers by the stated rule, and both networks' predictions on the same clips.
Status run_calibrated_split(const LabelledSet& data, const Split& s, const TrainOptions& opt, const CalibrationOptions& cal,
                            const std::vector<int>& plain_predictions, FoldResult& fr) {
    Result<ProfileRule> rule = fit_profile_rule(data, s.train, cal);
    if (!rule) return rule.status;
    Result<CalibratedTraining> ct = calibrated_training_rows(data, s.train, rule.value, cal, s.seed);
    if (!ct) return ct.status;
    Result<TrainResult> tr = train_mlp(ct.value.x, ct.value.labels, data.classes, opt, {}, ct.value.augmented, ct.value.groups);
    if (!tr) return tr.status;
    Result<CalibratedTest> test = calibrated_test_rows(data, s.test, rule.value, cal);
    if (!test) return test.status;
    std::vector<int> at_in_test(std::size_t(data.x.rows()), -1);
    for (std::size_t i = 0; i < s.test.size(); ++i) at_in_test[std::size_t(s.test[i])] = int(i);
    fr.calibrated_rows = test.value.scored;
    fr.calibration_rows = test.value.calibration_rows;
    fr.calibrated_predictions = test.value.scored.empty() ? std::vector<int>{}
                                                          : argmax_rows(tr.value.model.predict_batch(test.value.x_shifted));
    for (int r : test.value.scored) fr.plain_on_calibrated.push_back(plain_predictions[std::size_t(at_in_test[std::size_t(r)])]);
    fr.n_calibrated_speakers = test.value.n_speakers;
    fr.n_speakers_left_out = test.value.n_speakers_left_out;
    return Status::ok();
}

FoldResult run_split(const LabelledSet& data, const std::vector<int>& groups, const Split& s, const TrainOptions& base,
                     const CalibrationOptions& cal, int n_ensemble, Status& status) {
    FoldResult fr;
    fr.name = s.name;
    Eigen::MatrixXf x_tr(s.train.size(), data.x.cols());
    std::vector<int> y_tr(s.train.size()), g_tr(s.train.size());
    for (std::size_t i = 0; i < s.train.size(); ++i) {
        x_tr.row(i) = data.x.row(s.train[i]);
        y_tr[i] = data.labels[s.train[i]];
        g_tr[i] = groups[std::size_t(s.train[i])];
    }
    const AugmentedRows aug = split_copies(data, s.train);
    Eigen::MatrixXf x_te(s.test.size(), data.x.cols());
    std::vector<int> y_te(s.test.size());
    for (std::size_t i = 0; i < s.test.size(); ++i) {
        x_te.row(i) = data.x.row(s.test[i]);
        y_te[i] = data.labels[s.test[i]];
    }
    TrainOptions opt = base;
    Result<TrainResult> tr = Status::ok();
    Eigen::MatrixXf mean_probabilities;
    for (int e = 0; e < std::max(1, n_ensemble); ++e) {
        opt.seed = s.seed + std::uint64_t(e) * 7919u;   // the first network is the single-network run
        Result<TrainResult> member = train_mlp(x_tr, y_tr, data.classes, opt, {}, aug, g_tr);
        if (!member) {
            status = Status::error(member.status.module, s.name + ": " + member.status.message);
            return fr;
        }
        const Eigen::MatrixXf p = member.value.model.predict_batch(x_te);
        mean_probabilities = e == 0 ? p : Eigen::MatrixXf(mean_probabilities + p);
        if (e == 0) tr = std::move(member);
    }
    opt.seed = s.seed;
    const std::vector<int> pred = argmax_rows(mean_probabilities);
    Result<Metrics> m = compute_metrics(y_te, pred, data.classes);
    if (!m) {
        status = m.status;
        return fr;
    }
    fr.metrics = m.value;
    fr.test_rows = s.test;
    fr.predictions = pred;
    fr.history = tr.value.history;
    fr.n_train = int(s.train.size() + aug.source.size());
    fr.n_test = int(s.test.size());
    fr.best_epoch = tr.value.best_epoch;
    if (cal.enabled()) {
        if (Status st = run_calibrated_split(data, s, opt, cal, pred, fr); !st)
            status = Status::error(st.module, s.name + " (calibrated): " + st.message);
    }
    return fr;
}

// "ravdess/01,06,11,16": the test speakers, each corpus named once; counts per corpus when there are many.
std::string speakers_text(const std::set<std::pair<std::string, std::string>>& test_speakers) {
    constexpr std::size_t kListedAtMost = 8;
    std::map<std::string, std::vector<std::string>> by_corpus;
    for (const auto& [corpus, speaker] : test_speakers) {
        const bool qualified = speaker.compare(0, corpus.size() + 1, corpus + "/") == 0;
        by_corpus[corpus].push_back(qualified ? speaker.substr(corpus.size() + 1) : speaker);
    }
    std::string out;
    for (const auto& [corpus, ids] : by_corpus) {
        out += (out.empty() ? "" : " ") + corpus + (test_speakers.size() > kListedAtMost ? " " : "/");
        if (test_speakers.size() > kListedAtMost) {
            out += std::to_string(ids.size());
            continue;
        }
        for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + ids[i];
    }
    return out;
}

Status check_set(const LabelledSet& data, const ProtocolOptions& options) {
    const std::size_t n = data.labels.size();
    if (std::size_t(data.x.rows()) != n)
        return Status::error("eval", std::to_string(n) + " labels for " + std::to_string(data.x.rows()) +
                                         " feature rows; expected one per row");
    if (data.speakers.size() != n || data.corpora.size() != n)
        return Status::error("eval", std::to_string(data.speakers.size()) + " speaker ids and " +
                                         std::to_string(data.corpora.size()) + " corpus names for " + std::to_string(n) +
                                         " clips; expected one of each per clip");
    for (int src : data.augmented.source)
        if (src < 0 || std::size_t(src) >= n)
            return Status::error("eval", "augmented copy of row " + std::to_string(src) + "; expected 0 to " + std::to_string(n - 1));
    if (data.augmented.x.rows() != Eigen::Index(data.augmented.source.size()) ||
        (!data.augmented.empty() && data.augmented.x.cols() != data.x.cols()))
        return Status::error("eval", "augmented rows do not match their sources or the feature width; expected one source per row");
    if (Status cs = options.calibration.validate(); !cs) return cs;
    return options.train.validate();
}

Result<std::vector<Split>> random_splits(const LabelledSet& data, const ProtocolOptions& options, std::string& desc) {
    if (options.n_seeds < 1 || options.n_seeds > 1000)
        return Status::error("eval", "seeds " + std::to_string(options.n_seeds) + " requested; expected 1 to 1000");
    if (!(options.test_fraction > 0.0 && options.test_fraction < 1.0))
        return Status::error("eval", "test fraction " + std::to_string(options.test_fraction) + "; expected (0, 1)");
    std::vector<Split> splits;
    for (int r = 0; r < options.n_seeds; ++r) {
        Split s;
        s.seed = options.train.seed + std::uint64_t(r);
        s.name = "seed " + std::to_string(s.seed);
        // Test part drawn per class (stratified); the training seed equals the split seed.
        stratified_split(data.labels, int(data.classes.size()), options.test_fraction, s.seed, s.train, s.test);
        splits.push_back(std::move(s));
    }
    std::ostringstream o;
    o << "random: stratified " << int(100 * (1 - options.test_fraction) + 0.5) << "/" << int(100 * options.test_fraction + 0.5)
      << " split, " << options.n_seeds << " seeds from " << options.train.seed;
    desc = o.str();
    return splits;
}

// One split per fold value: fold f tests the clips of fold f and trains on the rest.
std::vector<Split> fold_splits(const std::vector<int>& fold, int n_folds, std::uint64_t seed,
                               const std::function<std::string(int, const std::vector<int>&)>& name) {
    std::vector<Split> splits;
    for (int f = 0; f < n_folds; ++f) {
        Split s;
        s.seed = seed + std::uint64_t(f);
        for (std::size_t i = 0; i < fold.size(); ++i) (fold[i] == f ? s.test : s.train).push_back(int(i));
        s.name = name(f, s.test);
        splits.push_back(std::move(s));
    }
    return splits;
}

Result<std::vector<Split>> speaker_splits(const LabelledSet& data, const ProtocolOptions& options, std::string& desc) {
    Result<std::vector<int>> folds = speaker_folds(data.speakers, data.corpora, options.n_folds);
    if (!folds) return folds.status;
    desc = "speaker: " + std::to_string(options.n_folds) + "-fold grouped by speaker, stratified by corpus (speaker rank mod " +
           std::to_string(options.n_folds) + ", corpora in name order)";
    return fold_splits(folds.value, options.n_folds, options.train.seed, [&](int f, const std::vector<int>& test) {
        std::set<std::pair<std::string, std::string>> who;
        for (int i : test) who.insert({data.corpora[std::size_t(i)], data.speakers[std::size_t(i)]});
        return "fold " + std::to_string(f + 1) + " (" + speakers_text(who) + ")";
    });
}

Result<std::vector<Split>> corpus_splits(const LabelledSet& data, const ProtocolOptions& options, std::string& desc) {
    Result<std::vector<int>> folds = corpus_folds(data.corpora);
    if (!folds) return folds.status;
    const std::vector<std::string> names = corpus_list(data);
    desc = "loco: leave one corpus out, " + std::to_string(names.size()) + " corpora (train on the others, test on it)";
    return fold_splits(folds.value, int(names.size()), options.train.seed,
                       [&](int f, const std::vector<int>&) { return "held out: " + names[std::size_t(f)]; });
}

void run_splits(const LabelledSet& data, const std::vector<Split>& splits, const ProtocolOptions& options,
                std::vector<FoldResult>& folds, std::vector<Status>& statuses) {
    const std::vector<int> groups = corpus_index(data);
    folds.resize(splits.size());
    statuses.assign(splits.size(), Status::ok());
    std::mutex mu;
    auto work = [&](std::size_t i) {
        folds[i] = run_split(data, groups, splits[i], options.train, options.calibration, options.n_ensemble, statuses[i]);
        if (options.on_fold && statuses[i]) {
            std::lock_guard<std::mutex> lock(mu);
            options.on_fold(folds[i]);
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
        return;
    }
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

}  // namespace

std::vector<Metrics> metrics_by_corpus(const LabelledSet& data, const std::vector<int>& rows,
                                       const std::vector<int>& predictions) {
    const int k = int(data.classes.size());
    const std::vector<int> groups = corpus_index(data);
    std::vector<Eigen::MatrixXi> confusion(corpus_list(data).size(), Eigen::MatrixXi::Zero(k, k));
    for (std::size_t i = 0; i < rows.size() && i < predictions.size(); ++i) {
        const std::size_t row = std::size_t(rows[i]);
        ++confusion[std::size_t(groups[row])](data.labels[row], predictions[i]);
    }
    std::vector<Metrics> out;
    for (const auto& c : confusion) out.push_back(metrics_from_confusion(c, data.classes));
    return out;
}

namespace {

// Plain and calibrated figures on the clips every fold scored with a profile.
ProtocolResult::Calibrated calibrated_figures(const LabelledSet& data, const std::vector<FoldResult>& folds,
                                              const CalibrationOptions& cal) {
    ProtocolResult::Calibrated c;
    c.description = cal.describe() + " (each test speaker's first " + std::to_string(cal.k) + " " + cal.neutral +
                    " clips by path with >= " + format_value(kMinClipVoicedS) +
                    " s voiced speech are its profile and are not scored)";
    std::vector<int> rows, plain, calibrated;
    for (const FoldResult& f : folds) {
        rows.insert(rows.end(), f.calibrated_rows.begin(), f.calibrated_rows.end());
        plain.insert(plain.end(), f.plain_on_calibrated.begin(), f.plain_on_calibrated.end());
        calibrated.insert(calibrated.end(), f.calibrated_predictions.begin(), f.calibrated_predictions.end());
        c.n_calibration_clips += int(f.calibration_rows.size());
        c.n_speakers += f.n_calibrated_speakers;
        c.n_speakers_left_out += f.n_speakers_left_out;
    }
    c.n_scored = int(rows.size());
    c.plain_per_corpus = metrics_by_corpus(data, rows, plain);
    c.calibrated_per_corpus = metrics_by_corpus(data, rows, calibrated);
    const int k = int(data.classes.size());
    Eigen::MatrixXi sum_plain = Eigen::MatrixXi::Zero(k, k), sum_cal = Eigen::MatrixXi::Zero(k, k);
    for (std::size_t i = 0; i < c.plain_per_corpus.size(); ++i) {
        sum_plain += c.plain_per_corpus[i].confusion;
        sum_cal += c.calibrated_per_corpus[i].confusion;
    }
    c.plain = metrics_from_confusion(sum_plain, data.classes);
    c.calibrated = metrics_from_confusion(sum_cal, data.classes);
    return c;
}

}  // namespace

Result<ProtocolResult> run_protocol(const LabelledSet& data, const ProtocolOptions& options) {
    Status st = check_set(data, options);
    if (!st) return st;
    if (options.n_ensemble < 1 || options.n_ensemble > 50)
        return Status::error("eval", "ensemble of " + std::to_string(options.n_ensemble) + " networks; expected 1 to 50");
    if (options.n_ensemble > 1 && options.calibration.enabled())
        return Status::error("eval", "an ensemble with calibration; expected one of them (the calibrated network is single)");
    std::string desc;
    Result<std::vector<Split>> splits = Status::error("eval", "protocol '" + options.protocol +
                                                                  "'; expected 'random', 'speaker' or 'loco'");
    if (options.protocol == "random") splits = random_splits(data, options, desc);
    if (options.protocol == "speaker") splits = speaker_splits(data, options, desc);
    if (options.protocol == "loco") splits = corpus_splits(data, options, desc);
    if (!splits) return splits.status;

    ProtocolResult res;
    res.protocol = options.protocol;
    res.description = desc + "; " + options.train.describe();
    if (options.n_ensemble > 1)
        res.description += "; an ensemble of " + std::to_string(options.n_ensemble) + " networks per split (mean probabilities)";
    std::vector<Status> statuses;
    run_splits(data, splits.value, options, res.folds, statuses);
    for (const auto& s : statuses)
        if (!s) return s;

    const int k = int(data.classes.size());
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
    res.corpus_names = corpus_list(data);
    std::vector<int> rows, predictions;
    for (const auto& f : res.folds) {
        rows.insert(rows.end(), f.test_rows.begin(), f.test_rows.end());
        predictions.insert(predictions.end(), f.predictions.begin(), f.predictions.end());
    }
    res.per_corpus = metrics_by_corpus(data, rows, predictions);
    if (options.calibration.enabled()) {
        res.has_calibration = true;
        res.calibration = calibrated_figures(data, res.folds, options.calibration);
    }
    return res;
}

}  // namespace ser
