// Registry of utterance feature sets: "seed" v1 (C1, 162 frame means = reference seed_vector.npy)
// and "stats" v1 (C2, mean/std of every frame feature and of its deltas). Third stage: frames -> one vector.
#include "ser/vectors/feature_sets.h"

#include "ser/base/stats.h"

#include "ser/vectors/emo_set.h"

#include <cmath>
#include <cstdio>

namespace ser {

namespace {

void add_indexed(std::vector<std::string>& names, const char* stem, int n, const char* suffix) {
    for (int i = 0; i < n; ++i) names.push_back(stem + std::to_string(i) + suffix);
}

// ---- "seed" v1: reference README 4.11 -------------------------------------------------------

std::vector<std::string> seed_names() {
    const FeatureConfig c = config_c1();
    std::vector<std::string> names{"zcr_mean"};
    add_indexed(names, "chroma", c.n_chroma, "_mean");   // chroma0 = C ... chroma11 = B
    add_indexed(names, "mfcc", c.n_mfcc, "_mean");
    names.push_back("rms_mean");
    add_indexed(names, "mel", c.n_mels, "_mean");        // power, not dB
    return names;
}

// The seed and stats sets frame the whole clip as it is.
FeatureSetTrace whole_clip_trace(const FrameFeaturesView& f, std::size_t n) {
    FeatureSetTrace t;
    t.start = 0;
    t.end = n;
    t.gain_db = 0.0f;
    t.frames = copy_frame_features(f);
    return t;
}

Status compute_seed(FeatureExtractor& extractor, const float* samples, std::size_t n, FeatureVector& out,
                  FeatureSetTrace* trace) {
    FrameFeaturesView f;
    Status s = extractor.compute_view(samples, n, f);
    if (!s) return s;
    if (trace) *trace = whole_clip_trace(f, n);
    out.values.clear();
    append_frame_means(f.zcr, out.values);
    append_frame_means(f.chroma, out.values);
    append_frame_means(f.mfcc, out.values);
    append_frame_means(f.rms, out.values);
    append_frame_means(f.melspec, out.values);
    return Status::ok();
}

// ---- "stats" v1 ----------------------------------------------------------------------------
// Blocks in this order; for each block: means, stds, delta means, delta stds (row by row).

struct StatsBlock {
    const char* stem;
    int n;
    FrameFeaturesView::Map FrameFeaturesView::*matrix;
};

std::vector<StatsBlock> stats_blocks() {
    const FeatureConfig c = config_c2();
    return {
        {"zcr", 1, &FrameFeaturesView::zcr},
        {"rms", 1, &FrameFeaturesView::rms},
        {"mfcc", c.n_mfcc, &FrameFeaturesView::mfcc},
        {"chroma", c.n_chroma, &FrameFeaturesView::chroma},
        {"meldb", c.n_mels, &FrameFeaturesView::melspec_db},
        {"mel", c.n_mels, &FrameFeaturesView::melspec},
    };
}

std::vector<std::string> stats_names() {
    std::vector<std::string> names;
    for (const StatsBlock& b : stats_blocks()) {
        for (const char* suffix : {"_mean", "_std", "_delta_mean", "_delta_std"}) {
            if (b.n == 1)
                names.push_back(std::string(b.stem) + suffix);
            else
                add_indexed(names, b.stem, b.n, suffix);
        }
    }
    return names;
}

Status compute_stats(FeatureExtractor& extractor, const float* samples, std::size_t n, FeatureVector& out,
                  FeatureSetTrace* trace) {
    FrameFeaturesView f;
    Status s = extractor.compute_view(samples, n, f);
    if (!s) return s;
    if (trace) *trace = whole_clip_trace(f, n);
    out.values.clear();
    for (const StatsBlock& b : stats_blocks()) {
        const FrameFeaturesView::Map& m = f.*(b.matrix);
        append_frame_means(m, out.values);
        append_frame_stds(m, out.values);
        const Eigen::MatrixXf d = delta_width9(m);
        append_frame_means(d, out.values);
        append_frame_stds(d, out.values);
    }
    return Status::ok();
}

}  // namespace

const std::vector<FeatureSetEntry>& feature_set_registry() {
    static const std::vector<FeatureSetEntry> table = {
        {{"seed", 1, "C1",
          "162 frame means of C1 (zcr, chroma 12, mfcc 20, rms, mel power 128) = reference seed_vector"},
         seed_names, compute_seed},
        {{"stats", 1, "C2",
          "648 values on C2: mean, std, delta mean, delta std of zcr, rms, mfcc 20, chroma 12, "
          "mel dB 64, mel power 64"},
         stats_names, compute_stats},
        {{"emo", 3, "C2",   // v3: the clip is levelled first, so F0 and voicing no longer depend on the gain
          "231 values on C2 over the trimmed clip: F0 (YIN) and voicing statistics, energy dynamics, "
          "spectral shape and contrast and log-mel statistics below 7 kHz, MFCC statistics; gain-invariant"},
         emo_names, compute_emo},
        // More sets: one row here; their functions live in their own files.
    };
    return table;
}

std::vector<FeatureSetInfo> feature_sets() {
    std::vector<FeatureSetInfo> out;
    for (const FeatureSetEntry& e : feature_set_registry()) out.push_back(e.info);
    return out;
}

namespace {
const FeatureSetEntry* find_set(const std::string& name) {
    for (const FeatureSetEntry& e : feature_set_registry())
        if (e.info.name == name) return &e;
    return nullptr;
}

std::string known_sets() {
    std::string text;
    for (const FeatureSetEntry& e : feature_set_registry()) text += (text.empty() ? "" : ", ") + e.info.name;
    return text;
}
}  // namespace

Result<FeatureSetInfo> feature_set_by_name(const std::string& name) {
    const FeatureSetEntry* e = find_set(name);
    if (!e) return Status::error("feature_sets", "unknown feature set '" + name + "'; expected one of " + known_sets());
    return e->info;
}

Result<std::vector<std::string>> feature_vector_names(const std::string& set_name) {
    const FeatureSetEntry* e = find_set(set_name);
    if (!e)
        return Status::error("feature_sets", "unknown feature set '" + set_name + "'; expected one of " + known_sets());
    return e->names();
}

Status compute_feature_vector(const std::string& set_name, FeatureExtractor& extractor,
                              const float* samples, std::size_t n_samples, FeatureVector& out,
                              FeatureSetTrace* trace) {
    const FeatureSetEntry* e = find_set(set_name);
    if (!e)
        return Status::error("feature_sets", "unknown feature set '" + set_name + "'; expected one of " + known_sets());
    if (!extractor.status()) return extractor.status();
    Result<FeatureConfig> want = config_by_name(e->info.config);
    if (!want) return want.status;
    if (!extractor.config().same_as(want.value))
        return Status::error("feature_sets", "set '" + set_name + "' is defined on " + want.value.describe() +
                                                 "; the extractor has " + extractor.config().describe());
    if (samples == nullptr || n_samples == 0)
        return Status::error("feature_sets", "input has 0 samples; expected at least 1");
    for (std::size_t i = 0; i < n_samples; ++i) {
        if (!std::isfinite(samples[i])) {
            char buf[160];
            std::snprintf(buf, sizeof buf, "sample %zu is %g; expected finite samples", i, double(samples[i]));
            return Status::error("feature_sets", buf);
        }
    }
    Status s = e->compute(extractor, samples, n_samples, out, trace);
    if (!s) return s;
    out.names = e->names();
    if (out.names.size() != out.values.size())
        return Status::error("feature_sets", "set '" + set_name + "' produced " + std::to_string(out.values.size()) +
                                                 " values; expected " + std::to_string(out.names.size()));
    return Status::ok();
}

void append_frame_means(const Eigen::Ref<const Eigen::MatrixXf>& m, std::vector<float>& values) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) values.push_back(float(mean_of(m.data() + r, std::size_t(m.cols()), m.outerStride())));
}

void append_frame_stds(const Eigen::Ref<const Eigen::MatrixXf>& m, std::vector<float>& values) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) values.push_back(float(mean_sd(m.data() + r, std::size_t(m.cols()), m.outerStride()).sd));
}

Eigen::MatrixXf delta_width9(const Eigen::Ref<const Eigen::MatrixXf>& m) {
    const Eigen::Index T = m.cols();
    Eigen::MatrixXf d = Eigen::MatrixXf::Zero(m.rows(), T);
    if (T < 2) return d;
    if (T < 9) {
        const double tbar = (T - 1) / 2.0;
        double den = 0.0;
        for (Eigen::Index t = 0; t < T; ++t) den += (t - tbar) * (t - tbar);
        for (Eigen::Index r = 0; r < m.rows(); ++r) {
            double num = 0.0;
            for (Eigen::Index t = 0; t < T; ++t) num += (t - tbar) * m(r, t);
            d.row(r).setConstant(float(num / den));
        }
        return d;
    }
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index t = 4; t + 4 < T; ++t) {
            double num = 0.0;
            for (int k = 1; k <= 4; ++k) num += k * (double(m(r, t + k)) - double(m(r, t - k)));
            d(r, t) = float(num / 60.0);
        }
        for (Eigen::Index t = 0; t < 4; ++t) d(r, t) = d(r, 4);
        for (Eigen::Index t = T - 4; t < T; ++t) d(r, t) = d(r, T - 5);
    }
    return d;
}

}  // namespace ser
