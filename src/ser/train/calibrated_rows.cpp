// Calibrated rows (see calibrated_rows.h): profiles from the same make_profile and ProfileRule::shift the
// runtime uses (classify/calibration.h), so that training, evaluation and `ser calibrate` share one rule.
#include "ser/train/calibrated_rows.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <sstream>

#include "ser/base/rng.h"
#include "ser/classify/calibration.h"

namespace ser {

namespace {

Status cal_error(const std::string& text) { return Status::error("calibrate", text); }

// What every function here needs about the set: the neutral class and each row's voiced seconds.
struct NeutralRows {
    int neutral = -1;
    std::vector<double> voiced_s;                          // per row of data.x
    std::map<std::string, std::vector<int>> by_speaker;    // usable neutral rows of `rows`, in row order
};

Result<NeutralRows> neutral_rows(const LabelledSet& data, const std::vector<int>& rows, const CalibrationOptions& options) {
    NeutralRows n;
    const auto at = std::find(data.classes.begin(), data.classes.end(), options.neutral);
    if (at == data.classes.end())
        return cal_error("class '" + options.neutral + "' is not among the classes; calibration needs neutral clips");
    n.neutral = int(at - data.classes.begin());
    n.voiced_s.assign(std::size_t(data.x.rows()), 0.0);
    Result<VoicedColumns> cols = voiced_columns(options.feature_names);
    if (!cols) return cols.status;
    for (int r : rows) {
        n.voiced_s[std::size_t(r)] = voiced_seconds(cols.value, data.x.row(r));
        // The clips `ser calibrate` would accept: it refuses one with less voiced speech.
        if (data.labels[std::size_t(r)] == n.neutral && n.voiced_s[std::size_t(r)] >= kMinClipVoicedS)
            n.by_speaker[data.speakers[std::size_t(r)]].push_back(r);
    }
    return n;
}

SpeakerProfile profile_of(const LabelledSet& data, const NeutralRows& n, const std::vector<int>& rows) {
    std::vector<ProfileClip> clips;
    for (int r : rows) clips.push_back({data.x.row(r).transpose(), n.voiced_s[std::size_t(r)]});
    // Every row has >= kMinClipVoicedS of voiced speech and finite values, so make_profile cannot
    // refuse; the set's name is not needed for a profile that never leaves the trainer.
    Result<SpeakerProfile> p = make_profile("training rows", 0, clips);
    assert(p && "calibration rows are finite and voiced");
    return p.value;
}

// Up to k of `candidates` without `except`, drawn without replacement (partial Fisher-Yates).
std::vector<int> draw(std::vector<int> candidates, int except, int k, Rng& rng) {
    candidates.erase(std::remove(candidates.begin(), candidates.end(), except), candidates.end());
    const std::size_t n = std::min<std::size_t>(std::size_t(k), candidates.size());
    for (std::size_t i = 0; i < n; ++i)
        std::swap(candidates[i], candidates[i + std::size_t(rng.below(candidates.size() - i))]);
    candidates.resize(n);
    return candidates;
}

Eigen::RowVectorXf shifted(const Eigen::RowVectorXf& x, const SpeakerProfile& p, const ProfileRule& rule) {
    return x - rule.shift(p.mean, p.voiced_s).transpose();
}

Eigen::MatrixXf stack_rows(const std::vector<Eigen::RowVectorXf>& rows, Eigen::Index n_cols) {
    Eigen::MatrixXf m(Eigen::Index(rows.size()), n_cols);
    for (std::size_t i = 0; i < rows.size(); ++i) m.row(Eigen::Index(i)) = rows[i];
    return m;
}

}  // namespace

Status CalibrationOptions::validate() const {
    if (k < 0 || k > 16) return cal_error("k " + std::to_string(k) + "; expected 0 to 16 calibration clips per speaker");
    if (draws < 1 || draws > 16) return cal_error("draws " + std::to_string(draws) + "; expected 1 to 16");
    if (!(shrink_s >= 0.0f && shrink_s <= 600.0f)) return cal_error("shrink " + format_value(shrink_s) + " s; expected 0 to 600 s");
    if (!(cap_sd >= 0.0f && cap_sd <= 100.0f)) return cal_error("cap " + format_value(cap_sd) + " sd; expected 0 to 100");
    if (k > 0)
        if (Result<VoicedColumns> cols = voiced_columns(feature_names); !cols) return cols.status;
    return Status::ok();
}

std::string CalibrationOptions::describe() const {
    std::ostringstream o;
    o << "calibrate " << k << " " << neutral << " clips per speaker, shrink " << shrink_s << " s, cap " << cap_sd << " sd";
    if (draws > 1) o << ", " << draws << " draws";
    return o.str();
}

Result<ProfileRule> fit_profile_rule(const LabelledSet& data, const std::vector<int>& rows, const CalibrationOptions& options) {
    Result<NeutralRows> n = neutral_rows(data, rows, options);
    if (!n) return n.status;
    if (n.value.by_speaker.empty()) return cal_error("no training speaker has a usable neutral clip; expected some");
    ProfileRule rule;
    rule.shrink_s = options.shrink_s;
    rule.cap_sd = options.cap_sd;
    const Eigen::Index d = data.x.cols();
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(d), sum = Eigen::VectorXd::Zero(d), sum2 = Eigen::VectorXd::Zero(d);
    std::size_t n_rows = 0;
    for (const auto& [speaker, speaker_rows] : n.value.by_speaker) {
        mean += profile_of(data, n.value, speaker_rows).mean.cast<double>();
        for (int r : speaker_rows) {
            const Eigen::VectorXd x = data.x.row(r).transpose().cast<double>();
            sum += x;
            sum2 += x.cwiseProduct(x);
            ++n_rows;
        }
    }
    rule.population_mean = (mean / double(n.value.by_speaker.size())).cast<float>();
    const Eigen::VectorXd mu = sum / double(n_rows);
    const Eigen::VectorXd var = (sum2 / double(n_rows) - mu.cwiseProduct(mu)).cwiseMax(0.0);
    rule.population_sd = var.cwiseSqrt().cast<float>();
    for (Eigen::Index i = 0; i < d; ++i)
        if (!(rule.population_sd[i] > 1e-12f)) rule.population_sd[i] = 1.0f;
    if (Status st = rule.validate(); !st) return st;
    return rule;
}

Result<CalibratedTraining> calibrated_training_rows(const LabelledSet& data, const std::vector<int>& rows,
                                                    const ProfileRule& rule, const CalibrationOptions& options,
                                                    std::uint64_t seed) {
    Result<NeutralRows> n = neutral_rows(data, rows, options);
    if (!n) return n.status;
    const std::vector<int> groups = corpus_index(data);
    Rng rng(seed ^ 0xca1b7a7eULL);
    CalibratedTraining out;
    std::vector<Eigen::RowVectorXf> xs;
    std::vector<int> first_out(std::size_t(data.x.rows()), -1);
    std::map<std::string, bool> used;   // speaker -> at least one row trained
    for (int r : rows) {
        const auto it = n.value.by_speaker.find(data.speakers[std::size_t(r)]);
        const bool usable = it != n.value.by_speaker.end() &&
                            it->second.size() > std::size_t(std::count(it->second.begin(), it->second.end(), r));
        used[data.speakers[std::size_t(r)]] |= usable;
        if (!usable) continue;
        first_out[std::size_t(r)] = int(xs.size());
        for (int k = 0; k < options.draws; ++k) {
            xs.push_back(shifted(data.x.row(r), profile_of(data, n.value, draw(it->second, r, options.k, rng)), rule));
            out.labels.push_back(data.labels[std::size_t(r)]);
            out.groups.push_back(groups[std::size_t(r)]);
        }
    }
    std::vector<Eigen::RowVectorXf> copies;
    for (std::size_t i = 0; i < data.augmented.source.size(); ++i) {
        const int src = data.augmented.source[i];
        if (first_out[std::size_t(src)] < 0) continue;
        const auto& candidates = n.value.by_speaker.at(data.speakers[std::size_t(src)]);
        out.augmented.source.push_back(first_out[std::size_t(src)]);
        copies.push_back(shifted(data.augmented.x.row(Eigen::Index(i)),
                                 profile_of(data, n.value, draw(candidates, src, options.k, rng)), rule));
    }
    if (xs.empty()) return cal_error("no training row has a speaker with another usable neutral clip; expected some");
    out.x = stack_rows(xs, data.x.cols());
    out.augmented.x = stack_rows(copies, data.x.cols());
    for (const auto& [speaker, trained] : used) out.n_speakers_left_out += !trained;
    return out;
}

Result<CalibratedTest> calibrated_test_rows(const LabelledSet& data, const std::vector<int>& rows,
                                            const ProfileRule& rule, const CalibrationOptions& options) {
    Result<NeutralRows> n = neutral_rows(data, rows, options);
    if (!n) return n.status;
    std::map<std::string, std::vector<int>> by_speaker;
    for (int r : rows) by_speaker[data.speakers[std::size_t(r)]].push_back(r);
    auto path_order = [&](int a, int b) {
        return data.paths.empty() ? a < b : data.paths[std::size_t(a)] < data.paths[std::size_t(b)];
    };
    CalibratedTest out;
    std::vector<Eigen::RowVectorXf> xs;
    for (auto& [speaker, speaker_rows] : by_speaker) {
        std::vector<int> neutral = n.value.by_speaker.count(speaker) ? n.value.by_speaker[speaker] : std::vector<int>{};
        std::sort(neutral.begin(), neutral.end(), path_order);
        if (int(neutral.size()) < options.k || speaker_rows.size() <= std::size_t(options.k)) {
            ++out.n_speakers_left_out;
            continue;
        }
        neutral.resize(std::size_t(options.k));
        const SpeakerProfile profile = profile_of(data, n.value, neutral);
        ++out.n_speakers;
        out.calibration_rows.insert(out.calibration_rows.end(), neutral.begin(), neutral.end());
        for (int r : speaker_rows) {
            if (std::find(neutral.begin(), neutral.end(), r) != neutral.end()) continue;
            out.scored.push_back(r);
            xs.push_back(shifted(data.x.row(r), profile, rule));
        }
    }
    out.x_shifted = stack_rows(xs, data.x.cols());
    return out;
}

}  // namespace ser
