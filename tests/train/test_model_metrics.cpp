// Metrics against a confusion matrix worked out by hand, and the evaluation protocols' splits:
// speaker folds never share an actor, random splits are stratified (metrics.h, eval.h).
#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>

#include <map>
#include <set>

#include "ser/train/protocols.h"
#include "ser/train/metrics.h"

TEST(ModelMetrics, HandComputedConfusionMatrix) {
    // true \ predicted
    //   5 1 0
    //   2 3 1
    //   0 0 4
    Eigen::MatrixXi cm(3, 3);
    cm << 5, 1, 0, 2, 3, 1, 0, 0, 4;
    const auto m = ser::metrics_from_confusion(cm, {"a", "b", "c"});
    EXPECT_EQ(m.n, 16);
    EXPECT_DOUBLE_EQ(m.accuracy, 12.0 / 16.0);
    // recalls 5/6, 3/6, 4/4; precisions 5/7, 3/4, 4/5
    EXPECT_DOUBLE_EQ(m.per_class[0].recall, 5.0 / 6.0);
    EXPECT_DOUBLE_EQ(m.per_class[1].recall, 0.5);
    EXPECT_DOUBLE_EQ(m.per_class[2].recall, 1.0);
    EXPECT_DOUBLE_EQ(m.per_class[0].precision, 5.0 / 7.0);
    EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.75);
    EXPECT_DOUBLE_EQ(m.per_class[2].precision, 0.8);
    EXPECT_NEAR(m.uar, (5.0 / 6.0 + 0.5 + 1.0) / 3.0, 1e-12);
    // F1: 10/13, 0.6, 8/9
    EXPECT_NEAR(m.per_class[0].f1, 10.0 / 13.0, 1e-12);
    EXPECT_NEAR(m.per_class[1].f1, 0.6, 1e-12);
    EXPECT_NEAR(m.per_class[2].f1, 8.0 / 9.0, 1e-12);
    EXPECT_NEAR(m.macro_f1, (10.0 / 13.0 + 0.6 + 8.0 / 9.0) / 3.0, 1e-12);
    EXPECT_EQ(m.per_class[0].support, 6);
    EXPECT_EQ(m.per_class[0].predicted, 7);
}

TEST(ModelMetrics, LabelListsGiveTheSameMatrix) {
    const std::vector<int> t = {0, 0, 1, 1, 1, 2, 2, 0};
    const std::vector<int> p = {0, 1, 1, 1, 0, 2, 1, 0};
    auto r = ser::compute_metrics(t, p, {"x", "y", "z"});
    ASSERT_TRUE(r.is_ok());
    Eigen::MatrixXi cm(3, 3);
    cm << 2, 1, 0, 1, 2, 0, 0, 1, 1;
    EXPECT_TRUE(r.value.confusion == cm);
    EXPECT_DOUBLE_EQ(r.value.accuracy, 5.0 / 8.0);
    EXPECT_FALSE(ser::compute_metrics(t, {0, 1}, {"x", "y", "z"}).is_ok());
    EXPECT_FALSE(ser::compute_metrics({0, 3}, {0, 1}, {"x", "y", "z"}).is_ok());
}

TEST(ModelMetrics, NeverPredictedClassHasZeroPrecision) {
    Eigen::MatrixXi cm(2, 2);
    cm << 4, 0, 3, 0;
    const auto m = ser::metrics_from_confusion(cm, {"a", "b"});
    EXPECT_DOUBLE_EQ(m.per_class[1].precision, 0.0);
    EXPECT_DOUBLE_EQ(m.per_class[1].f1, 0.0);
    EXPECT_DOUBLE_EQ(m.uar, 0.5);
}

TEST(ModelMetrics, Summary) {
    const auto s = ser::summarize({1.0, 2.0, 3.0, 4.0});
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_NEAR(s.sd, std::sqrt(5.0 / 3.0), 1e-12);
    EXPECT_EQ(s.min, 1.0);
    EXPECT_EQ(s.max, 4.0);
    EXPECT_EQ(ser::summarize({0.7}).sd, 0.0);
}

namespace {
std::string actor_id(int a) {
    char b[16];
    std::snprintf(b, sizeof b, "ravdess/%02d", a);
    return b;
}
}  // namespace

TEST(ModelEval, SpeakerFoldsNeverShareAnActor) {
    // RAVDESS alone: the folds the RAVDESS-only protocol always had (shipped figures depend on them).
    std::vector<std::string> actors, corpora;
    for (int a = 1; a <= 20; ++a)
        for (int k = 0; k < 60; ++k) {
            actors.push_back(actor_id(a));
            corpora.push_back("ravdess");
        }
    auto r = ser::speaker_folds(actors, corpora, 5);
    ASSERT_TRUE(r.is_ok());
    std::map<std::string, std::set<int>> folds_of_actor;
    std::map<int, std::set<std::string>> actors_of_fold;
    for (std::size_t i = 0; i < actors.size(); ++i) {
        folds_of_actor[actors[i]].insert(r.value[i]);
        actors_of_fold[r.value[i]].insert(actors[i]);
    }
    for (const auto& [a, f] : folds_of_actor) EXPECT_EQ(f.size(), 1u) << "actor " << a;
    ASSERT_EQ(actors_of_fold.size(), 5u);
    EXPECT_EQ(actors_of_fold[0], (std::set<std::string>{"ravdess/01", "ravdess/06", "ravdess/11", "ravdess/16"}));
    EXPECT_EQ(actors_of_fold[4], (std::set<std::string>{"ravdess/05", "ravdess/10", "ravdess/15", "ravdess/20"}));
    EXPECT_FALSE(ser::speaker_folds(actors, corpora, 21).is_ok());
    EXPECT_FALSE(ser::speaker_folds(actors, corpora, 1).is_ok());
}

namespace {
// Two separable classes, 6 actors with 10 clips each.
ser::LabelledSet toy_set() {
    ser::LabelledSet s;
    s.classes = {"lo", "hi"};
    ser::Rng rng(3);
    s.x.resize(60, 3);
    for (int i = 0; i < 60; ++i) {
        const int c = i % 2;
        s.labels.push_back(c);
        s.speakers.push_back(actor_id(1 + i / 10));
        s.corpora.push_back("ravdess");
        for (int j = 0; j < 3; ++j) s.x(i, j) = float(rng.normal() + (c ? 6.0 : 0.0));
    }
    return s;
}
}  // namespace

TEST(ModelEval, SpeakerProtocolTestsEachActorOnce) {
    const auto data = toy_set();
    ser::ProtocolOptions opt;
    opt.protocol = "speaker";
    opt.n_folds = 3;
    opt.train.hidden = {8};
    opt.train.max_epochs = 60;
    opt.train.batch_size = 8;
    opt.n_jobs = 2;
    auto r = ser::run_protocol(data, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.folds.size(), 3u);
    int tested = 0;
    for (const auto& f : r.value.folds) {
        EXPECT_EQ(f.n_test, 20);
        EXPECT_EQ(f.n_train, 40);
        tested += f.metrics.n;
    }
    EXPECT_EQ(tested, 60);
    EXPECT_EQ(r.value.pooled.n, 60);
    EXPECT_EQ(r.value.folds[0].name, "fold 1 (ravdess/01,04)");
    EXPECT_DOUBLE_EQ(r.value.pooled.accuracy, 1.0);
    // Parallel and serial runs agree exactly (each fold is deterministic).
    opt.n_jobs = 1;
    auto s = ser::run_protocol(data, opt);
    ASSERT_TRUE(s.is_ok());
    for (int f = 0; f < 3; ++f) EXPECT_EQ(s.value.folds[f].history.back().train_loss, r.value.folds[f].history.back().train_loss);
}

TEST(ModelEval, RandomProtocolRepeatsStratifiedSplits) {
    const auto data = toy_set();
    ser::ProtocolOptions opt;
    opt.protocol = "random";
    opt.n_seeds = 3;
    opt.train.hidden = {8};
    opt.train.max_epochs = 60;
    opt.train.batch_size = 8;
    auto r = ser::run_protocol(data, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.folds.size(), 3u);
    for (const auto& f : r.value.folds) {
        EXPECT_EQ(f.n_test, 12);  // 20% of 30 per class
        EXPECT_EQ(f.metrics.per_class[0].support, 6);
    }
    EXPECT_EQ(r.value.accuracy.n, 3);
    opt.protocol = "bogus";
    EXPECT_FALSE(ser::run_protocol(data, opt).is_ok());
}

TEST(ModelEval, SpeakerNormalisationIsPerActorZScore) {
    // Actor 1 on a scale of 10 around 100, actor 2 around -5 with a constant column: after the
    // oracle normalisation every actor's column has mean 0 and population sd 1 (or is all 0).
    ser::LabelledSet s;
    s.classes = {"a", "b"};
    s.x.resize(6, 2);
    s.x << 90, 1, 110, 2, 100, 3,   //
        -6, 7, -4, 7, -5, 7;
    s.labels = {0, 1, 0, 1, 0, 1};
    s.speakers = {"a/1", "a/1", "a/1", "a/2", "a/2", "a/2"};
    s.corpora = {"a", "a", "a", "a", "a", "a"};
    ser::normalise_per_speaker(s);
    const float sd1 = std::sqrt(200.0f / 3.0f);   // population sd of {90, 110, 100}
    EXPECT_NEAR(s.x(0, 0), -10.0f / sd1, 1e-5f);
    EXPECT_NEAR(s.x(1, 0), 10.0f / sd1, 1e-5f);
    EXPECT_NEAR(s.x(2, 0), 0.0f, 1e-6f);
    EXPECT_NEAR(s.x(3, 0), -1.0f / std::sqrt(2.0f / 3.0f), 1e-5f);
    for (int r = 3; r < 6; ++r) EXPECT_EQ(s.x(r, 1), 0.0f);
    for (int j = 0; j < 2; ++j) {
        double mean = 0.0, ss = 0.0;
        for (int r = 0; r < 3; ++r) mean += s.x(r, j) / 3.0;
        for (int r = 0; r < 3; ++r) ss += (s.x(r, j) - mean) * (s.x(r, j) - mean) / 3.0;
        EXPECT_NEAR(mean, 0.0, 1e-6);
        EXPECT_NEAR(ss, 1.0, 1e-5);
    }
}

TEST(ModelEval, AugmentedCopiesFollowTheirClipAndAreNeverTested) {
    auto data = toy_set();
    // One copy per clip: a split trains on its clips and their copies only (n_train would show
    // copies of test clips) and tests on clean clips only.
    data.augmented.x = data.x;
    for (int i = 0; i < 60; ++i) data.augmented.source.push_back(i);
    ser::ProtocolOptions opt;
    opt.protocol = "speaker";
    opt.n_folds = 3;
    opt.train.hidden = {8};
    opt.train.max_epochs = 40;
    auto r = ser::run_protocol(data, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    int n_test = 0;
    for (const auto& f : r.value.folds) {
        EXPECT_EQ(f.n_test, 20) << f.name;            // 2 actors x 10 clips, copies not tested
        EXPECT_EQ(f.n_train, 2 * 40) << f.name;       // 40 training clips and their copies
        n_test += f.n_test;
    }
    EXPECT_EQ(n_test, 60);
    EXPECT_EQ(r.value.pooled.n, 60);
    data.augmented.source[0] = 99;
    EXPECT_FALSE(ser::run_protocol(data, opt).is_ok());
}
