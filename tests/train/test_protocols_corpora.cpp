// Protocols across corpora and balanced training (protocols.h, trainer.h; issue #9 items 2-3): speakers never
// straddle train and test, colliding speaker ids stay apart, leave-one-corpus-out never trains on the held-out corpus.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "ser/base/rng.h"
#include "ser/train/protocols.h"
#include "ser/train/trainer.h"

namespace {

// Two separable classes; `n_speakers` speakers of 10 clips in each corpus, the speaker ids the same in every corpus
// ("07" in both), so only the corpus keeps them apart. Corpus c shifts every feature by c (a recording set-up).
ser::LabelledSet corpora_set(const std::vector<std::string>& corpora, int n_speakers) {
    ser::LabelledSet s;
    s.classes = {"lo", "hi"};
    ser::Rng rng(5);
    const int n = int(corpora.size()) * n_speakers * 10;
    s.x.resize(n, 3);
    for (int i = 0; i < n; ++i) {
        const int c = i / (n_speakers * 10), spk = (i / 10) % n_speakers, label = i % 2;
        s.labels.push_back(label);
        s.corpora.push_back(corpora[std::size_t(c)]);
        s.speakers.push_back(std::to_string(10 + spk));
        for (int j = 0; j < 3; ++j) s.x(i, j) = float(rng.normal() + (label ? 6.0 : 0.0) + c);
    }
    return s;
}

ser::ProtocolOptions quick(const std::string& protocol, int n_folds) {
    ser::ProtocolOptions opt;
    opt.protocol = protocol;
    opt.n_folds = n_folds;
    opt.train.hidden = {8};
    opt.train.max_epochs = 30;
    opt.train.batch_size = 16;
    opt.n_jobs = 2;
    return opt;
}

}  // namespace

TEST(CorpusProtocols, CollidingSpeakerIdsStayApartAndFoldsAreStratifiedByCorpus) {
    const auto data = corpora_set({"ased", "ravdess"}, 5);   // "ased" speaker 10 and "ravdess" speaker 10: two people
    auto folds = ser::speaker_folds(data.speakers, data.corpora, 5);
    ASSERT_TRUE(folds.is_ok()) << folds.status.to_string();
    std::map<int, std::set<std::pair<std::string, std::string>>> who;
    for (std::size_t i = 0; i < data.speakers.size(); ++i) who[folds.value[i]].insert({data.corpora[i], data.speakers[i]});
    ASSERT_EQ(who.size(), 5u);
    for (const auto& [f, speakers] : who) {
        // One speaker of each corpus per fold: 10 distinct people, not 5 ids.
        ASSERT_EQ(speakers.size(), 2u) << "fold " << f;
        EXPECT_EQ(speakers.begin()->first, "ased");
        EXPECT_EQ(speakers.rbegin()->first, "ravdess");
    }
    // Ten speakers allow ten folds; five ids would not.
    EXPECT_TRUE(ser::speaker_folds(data.speakers, data.corpora, 10).is_ok());
    EXPECT_FALSE(ser::speaker_folds(data.speakers, data.corpora, 11).is_ok());
}

TEST(CorpusProtocols, NoSpeakerInTrainAndTestOfAnyFold) {
    const auto data = corpora_set({"ased", "nemo", "savee"}, 4);
    auto r = ser::run_protocol(data, quick("speaker", 5));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    std::map<std::pair<std::string, std::string>, std::set<std::size_t>> folds_of;
    std::vector<int> times_tested(data.labels.size(), 0);
    for (std::size_t f = 0; f < r.value.folds.size(); ++f)
        for (int row : r.value.folds[f].test_rows) {
            folds_of[{data.corpora[std::size_t(row)], data.speakers[std::size_t(row)]}].insert(f);
            ++times_tested[std::size_t(row)];
        }
    EXPECT_EQ(folds_of.size(), 12u);
    // A speaker's clips are all tested in one fold, so no fold trained on any of them.
    for (const auto& [speaker, folds] : folds_of) EXPECT_EQ(folds.size(), 1u) << speaker.first << "/" << speaker.second;
    for (int t : times_tested) EXPECT_EQ(t, 1);
    for (const auto& f : r.value.folds) EXPECT_EQ(f.n_train + f.n_test, int(data.labels.size())) << f.name;
}

TEST(CorpusProtocols, LeaveOneCorpusOutNeverTrainsOnTheHeldOutCorpus) {
    const auto data = corpora_set({"ased", "nemo", "savee"}, 3);
    auto r = ser::run_protocol(data, quick("loco", 5));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.folds.size(), 3u);
    ASSERT_EQ(r.value.corpus_names, (std::vector<std::string>{"ased", "nemo", "savee"}));
    for (std::size_t f = 0; f < 3; ++f) {
        const auto& fold = r.value.folds[f];
        EXPECT_EQ(fold.name, "held out: " + r.value.corpus_names[f]);
        EXPECT_EQ(fold.n_test, 30);
        EXPECT_EQ(fold.n_train, 60);   // the other two corpora, none of the held-out one
        for (int row : fold.test_rows) EXPECT_EQ(data.corpora[std::size_t(row)], r.value.corpus_names[f]);
        // Per-corpus figures are the held-out fold's own.
        EXPECT_EQ(r.value.per_corpus[f].n, 30);
        EXPECT_EQ(r.value.per_corpus[f].confusion, fold.metrics.confusion);
    }
    // One corpus cannot be left out.
    EXPECT_FALSE(ser::run_protocol(corpora_set({"ased"}, 3), quick("loco", 5)).is_ok());
}

TEST(CorpusProtocols, PerCorpusFiguresAddUpToThePooledOnes) {
    const auto data = corpora_set({"ased", "ravdess"}, 5);
    auto r = ser::run_protocol(data, quick("speaker", 5));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.per_corpus.size(), 2u);
    EXPECT_EQ(r.value.per_corpus[0].n, 50);
    EXPECT_EQ(r.value.per_corpus[1].n, 50);
    EXPECT_EQ(r.value.per_corpus[0].confusion + r.value.per_corpus[1].confusion, r.value.pooled.confusion);
}

TEST(BalancedTraining, WeightsByHand) {
    // Group 0: two of class 0, one of class 1; group 1: one of class 0. n = 4, G = 2.
    const std::vector<int> labels = {0, 0, 1, 0}, groups = {0, 0, 0, 1};
    // Both: n / (G K_g n_gc): 4/(2*2*2), 4/(2*2*1), 4/(2*1*1); each group sums to n/G = 2.
    EXPECT_EQ(ser::balance_weights(labels, groups, 2, true, true), (std::vector<float>{0.5f, 0.5f, 1.0f, 2.0f}));
    // Groups only: n / (G n_g).
    const float third = float(4.0 / 6.0);
    EXPECT_EQ(ser::balance_weights(labels, groups, 2, false, true), (std::vector<float>{third, third, third, 2.0f}));
    // Classes only, pooled over groups: n / (K n_c).
    EXPECT_EQ(ser::balance_weights(labels, groups, 2, true, false), (std::vector<float>{third, third, 2.0f, third}));
    EXPECT_EQ(ser::balance_weights(labels, groups, 2, false, false), (std::vector<float>(4, 1.0f)));
    // Group ids need not start at 0 (leave-one-corpus-out holding out corpus 0 trains on groups 1 and 2).
    const std::vector<int> later = {1, 1, 1, 2};
    EXPECT_EQ(ser::balance_weights(labels, later, 2, true, false), (std::vector<float>{third, third, 2.0f, third}));
    EXPECT_EQ(ser::balance_weights(labels, later, 2, true, true), (std::vector<float>{0.5f, 0.5f, 1.0f, 2.0f}));
}

TEST(BalancedTraining, OneCorpusWeighsExactlyAsClassWeights) {
    // The RAVDESS-only models must retrain bit for bit: one group changes no weight.
    ser::Rng rng(9);
    std::vector<int> labels, one_group;
    for (int i = 0; i < 97; ++i) {
        labels.push_back(int(rng.uniform() * 3.0));
        one_group.push_back(4);
    }
    const auto classes_only = ser::balance_weights(labels, {}, 3, true, false);
    EXPECT_EQ(ser::balance_weights(labels, {}, 3, true, true), classes_only);
    EXPECT_EQ(ser::balance_weights(labels, one_group, 3, true, true), classes_only);
}

TEST(BalancedTraining, CorpusWeightsChangeTrainingOnlyWithSeveralCorpora) {
    auto data = corpora_set({"ased", "savee"}, 3);
    // Make the corpora unequal: savee keeps only 10 of its 30 clips.
    const int n = 40;
    ser::TrainOptions opt;
    opt.hidden = {8};
    opt.max_epochs = 20;
    opt.batch_size = 16;
    std::vector<int> labels(data.labels.begin(), data.labels.begin() + n);
    std::vector<int> groups(std::size_t(n), 0), same(std::size_t(n), 0);
    for (int i = 30; i < n; ++i) groups[std::size_t(i)] = 1;
    const Eigen::MatrixXf x = data.x.topRows(n);
    auto plain = ser::train_mlp(x, labels, data.classes, opt);
    auto one = ser::train_mlp(x, labels, data.classes, opt, {}, {}, same);
    auto two = ser::train_mlp(x, labels, data.classes, opt, {}, {}, groups);
    ASSERT_TRUE(plain.is_ok() && one.is_ok() && two.is_ok());
    EXPECT_EQ(plain.value.model.layers[0].weights, one.value.model.layers[0].weights);
    EXPECT_NE(plain.value.model.layers[0].weights, two.value.model.layers[0].weights);
    opt.group_weighting = false;
    auto off = ser::train_mlp(x, labels, data.classes, opt, {}, {}, groups);
    ASSERT_TRUE(off.is_ok());
    EXPECT_EQ(plain.value.model.layers[0].weights, off.value.model.layers[0].weights);
    EXPECT_FALSE(ser::train_mlp(x, labels, data.classes, opt, {}, {}, std::vector<int>(3, 0)).is_ok());
}

TEST(CorpusNormalisation, EachCorpusStandardisedCopiesWithTheirSource) {
    ser::LabelledSet s;
    s.classes = {"a", "b"};
    s.x.resize(4, 1);
    s.x << 1, 3, 100, 300;
    s.labels = {0, 1, 0, 1};
    s.corpora = {"p", "p", "q", "q"};
    s.speakers = {"p/1", "p/1", "q/1", "q/1"};
    s.augmented.x.resize(2, 1);
    s.augmented.x << 2, 200;
    s.augmented.source = {0, 2};
    ser::normalise_per_corpus(s);
    EXPECT_FLOAT_EQ(s.x(0, 0), -1.0f);
    EXPECT_FLOAT_EQ(s.x(1, 0), 1.0f);
    EXPECT_FLOAT_EQ(s.x(2, 0), -1.0f);
    EXPECT_FLOAT_EQ(s.x(3, 0), 1.0f);
    EXPECT_FLOAT_EQ(s.augmented.x(0, 0), 0.0f);   // corpus p: mean 2, sd 1
    EXPECT_FLOAT_EQ(s.augmented.x(1, 0), 0.0f);   // corpus q: mean 200, sd 100
}

// An ensemble scores the mean probabilities of its networks: the leave-one-corpus-out fold that holds
// out "ased" equals, clip by clip, the argmax of three networks trained here by hand on the other
// corpora with the seeds the option names (the fold's seed, + 7919, + 2 * 7919). Noisy classes, so
// that single networks disagree on some clips.
TEST(CorpusProtocols, EnsembleScoresTheMeanProbabilitiesOfItsNetworks) {
    auto data = corpora_set({"ased", "nemo", "savee"}, 3);
    ser::Rng rng(9);
    for (Eigen::Index i = 0; i < data.x.rows(); ++i)
        for (Eigen::Index j = 0; j < data.x.cols(); ++j) data.x(i, j) += float(3.0 * rng.normal());
    ser::ProtocolOptions opt = quick("loco", 5);
    opt.n_ensemble = 3;
    auto r = ser::run_protocol(data, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_NE(r.value.description.find("ensemble of 3"), std::string::npos) << r.value.description;
    const auto& fold = r.value.folds[0];
    ASSERT_EQ(fold.name, "held out: ased");
    std::vector<int> train_rows, groups;
    for (int i = 0; i < int(data.labels.size()); ++i)
        if (data.corpora[std::size_t(i)] != "ased") train_rows.push_back(i);
    Eigen::MatrixXf x_tr(Eigen::Index(train_rows.size()), data.x.cols()), x_te(Eigen::Index(fold.test_rows.size()), data.x.cols());
    std::vector<int> y_tr;
    for (std::size_t k = 0; k < train_rows.size(); ++k) {
        x_tr.row(Eigen::Index(k)) = data.x.row(train_rows[k]);
        y_tr.push_back(data.labels[std::size_t(train_rows[k])]);
        groups.push_back(data.corpora[std::size_t(train_rows[k])] == "nemo" ? 1 : 2);   // corpus index in name order
    }
    for (std::size_t k = 0; k < fold.test_rows.size(); ++k) x_te.row(Eigen::Index(k)) = data.x.row(fold.test_rows[k]);
    Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(x_te.rows(), 2);
    std::vector<std::vector<int>> singles;
    for (int e = 0; e < 3; ++e) {
        ser::TrainOptions t = opt.train;
        t.seed = opt.train.seed + std::uint64_t(e) * 7919u;   // fold 0's seed is the base seed
        auto tr = ser::train_mlp(x_tr, y_tr, data.classes, t, {}, {}, groups);
        ASSERT_TRUE(tr.is_ok()) << tr.status.to_string();
        const Eigen::MatrixXf p = tr.value.model.predict_batch(x_te);
        sum += p;
        std::vector<int> single;
        for (Eigen::Index i = 0; i < p.rows(); ++i) single.push_back(p(i, 1) > p(i, 0) ? 1 : 0);
        singles.push_back(single);
    }
    int n_disagreements = 0;
    for (Eigen::Index i = 0; i < x_te.rows(); ++i) {
        EXPECT_EQ(fold.predictions[std::size_t(i)], sum(i, 1) > sum(i, 0) ? 1 : 0) << "clip " << i;
        n_disagreements += singles[0][std::size_t(i)] != singles[1][std::size_t(i)] || singles[1][std::size_t(i)] != singles[2][std::size_t(i)];
    }
    EXPECT_GT(n_disagreements, 0);   // the ensemble is not one network three times
    opt.n_ensemble = 0;
    EXPECT_FALSE(ser::run_protocol(data, opt).is_ok());
    opt.n_ensemble = 51;
    EXPECT_FALSE(ser::run_protocol(data, opt).is_ok());
}
