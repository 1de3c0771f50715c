// MLP training: analytic gradient against central finite differences, learning a separable set,
// bit-for-bit determinism for a seed, RNG and split properties (train.h).
#include <gtest/gtest.h>
#include <limits>

#include <cmath>
#include <set>
#include <vector>

#include "ser/train/trainer.h"

namespace {

// Three Gaussian blobs in 6-D, centres 8 sd apart: linearly separable in practice.
void blobs(int per_class, std::uint64_t seed, Eigen::MatrixXf& x, std::vector<int>& y) {
    ser::Rng rng(seed);
    const int d = 6, k = 3;
    x.resize(per_class * k, d);
    y.clear();
    for (int c = 0; c < k; ++c)
        for (int i = 0; i < per_class; ++i) {
            const int r = c * per_class + i;
            for (int j = 0; j < d; ++j) x(r, j) = float((j % k == c ? 8.0 : 0.0) + rng.normal()) * 3.0f + 100.0f * j;
            y.push_back(c);
        }
}

double accuracy(const ser::Model& m, const Eigen::MatrixXf& x, const std::vector<int>& y) {
    const Eigen::MatrixXf p = m.predict_batch(x);
    int ok = 0;
    for (Eigen::Index i = 0; i < p.rows(); ++i) {
        Eigen::Index a;
        p.row(i).maxCoeff(&a);
        ok += int(a) == y[i];
    }
    return double(ok) / double(y.size());
}

const std::vector<std::string> kClasses = {"a", "b", "c"};

}  // namespace

TEST(ModelTrain, GradientMatchesFiniteDifferences) {
    ser::Rng rng(42);
    const std::vector<int> widths = {5, 7, 4, 3};
    std::vector<Eigen::MatrixXd> w;
    std::vector<Eigen::VectorXd> b;
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
        Eigen::MatrixXd m(widths[l + 1], widths[l]);
        for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal() * 0.7;
        Eigen::VectorXd v(widths[l + 1]);
        for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = rng.normal() * 0.3;
        w.push_back(m);
        b.push_back(v);
    }
    const int n = 9;
    Eigen::MatrixXd x(5, n);
    for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = rng.normal();
    std::vector<int> y(n);
    Eigen::VectorXd sw(n);
    for (int i = 0; i < n; ++i) {
        y[i] = int(rng.below(3));
        sw[i] = 0.5 + rng.uniform();
    }
    const double l2 = 0.03;
    std::vector<Eigen::MatrixXd> gw;
    std::vector<Eigen::VectorXd> gb;
    ser::mlp_loss_and_gradient(w, b, x, y, sw, l2, &gw, &gb);
    const double h = 1e-6;
    double worst = 0.0;
    auto check = [&](double& param, double analytic) {
        const double keep = param;
        param = keep + h;
        const double up = ser::mlp_loss_and_gradient(w, b, x, y, sw, l2, nullptr, nullptr);
        param = keep - h;
        const double down = ser::mlp_loss_and_gradient(w, b, x, y, sw, l2, nullptr, nullptr);
        param = keep;
        const double numeric = (up - down) / (2 * h);
        worst = std::max(worst, std::abs(numeric - analytic) / std::max(1e-4, std::abs(numeric) + std::abs(analytic)));
    };
    for (std::size_t l = 0; l < w.size(); ++l) {
        for (Eigen::Index i = 0; i < w[l].size(); ++i) check(w[l].data()[i], gw[l].data()[i]);
        for (Eigen::Index i = 0; i < b[l].size(); ++i) check(b[l].data()[i], gb[l].data()[i]);
    }
    // Central differences in double: truncation ~h^2, rounding ~1e-16/h; 1e-6 relative leaves room.
    EXPECT_LT(worst, 1e-6);
}

TEST(ModelTrain, LearnsSeparableSetTo100Percent) {
    Eigen::MatrixXf x, xt;
    std::vector<int> y, yt;
    blobs(40, 1, x, y);
    blobs(40, 2, xt, yt);  // fresh samples from the same blobs
    ser::TrainOptions opt;
    opt.hidden = {16};
    opt.max_epochs = 100;
    opt.batch_size = 16;
    int calls = 0;
    auto r = ser::train_mlp(x, y, kClasses, opt, [&](const ser::EpochStats& e) {
        ++calls;
        EXPECT_EQ(e.epoch, calls);
        EXPECT_TRUE(std::isfinite(e.train_loss));
    });
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(calls, int(r.value.history.size()));
    EXPECT_EQ(r.value.n_val, 12);  // 10% of 40 per class
    EXPECT_EQ(r.value.n_train, 120);  // refit on everything
    EXPECT_EQ(r.value.refit_epochs, r.value.best_epoch);
    EXPECT_EQ(r.value.val_predictions.size(), 12u);
    EXPECT_EQ(accuracy(r.value.model, x, y), 1.0);
    EXPECT_EQ(accuracy(r.value.model, xt, yt), 1.0);
    // The loss went down.
    EXPECT_LT(r.value.history.back().train_loss, r.value.history.front().train_loss);
}

TEST(ModelTrain, DropoutAndTwoHiddenLayersStillLearn) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(30, 3, x, y);
    ser::TrainOptions opt;
    opt.hidden = {24, 12};
    opt.dropout = 0.3;
    opt.max_epochs = 150;
    opt.batch_size = 8;
    auto r = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.model.layers.size(), 3u);
    EXPECT_EQ(accuracy(r.value.model, x, y), 1.0);
}

TEST(ModelTrain, SameSeedSameWeightsBitForBit) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(20, 4, x, y);
    ser::TrainOptions opt;
    opt.hidden = {8};
    opt.max_epochs = 15;
    opt.dropout = 0.2;
    opt.seed = 1234;
    auto a = ser::train_mlp(x, y, kClasses, opt);
    auto b = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(ser::serialize_model(a.value.model), ser::serialize_model(b.value.model));
    opt.seed = 1235;
    auto c = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(c.is_ok());
    EXPECT_FALSE(c.value.model.layers[0].weights == a.value.model.layers[0].weights);
}

TEST(ModelTrain, StandardisationFittedOnTrainingPartOnly) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(20, 5, x, y);
    ser::TrainOptions opt;
    opt.hidden = {4};
    opt.max_epochs = 2;
    opt.validation_fraction = 0.25;
    opt.refit = false;
    auto r = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(r.is_ok());
    std::vector<int> tr, va;
    ser::stratified_split(y, 3, 0.25, opt.seed ^ 0x5EEDULL, tr, va);
    Eigen::MatrixXf xtr(tr.size(), x.cols());
    for (std::size_t i = 0; i < tr.size(); ++i) xtr.row(i) = x.row(tr[i]);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const double m = xtr.col(j).cast<double>().mean();
        const double sd = std::sqrt((xtr.col(j).cast<double>().array() - m).square().mean());
        EXPECT_NEAR(r.value.model.normaliser.mean[j], m, 1e-3 * std::max(1.0, std::abs(m)));
        EXPECT_NEAR(r.value.model.normaliser.scale[j], sd, 1e-4 * sd);
    }
}

TEST(ModelTrain, RefitEqualsTrainingOnAllDataForTheBestEpochCount) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(20, 7, x, y);
    ser::TrainOptions opt;
    opt.hidden = {8};
    opt.max_epochs = 30;
    opt.patience = 5;
    auto r = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(r.is_ok());
    ASSERT_GT(r.value.refit_epochs, 0);
    ser::TrainOptions all = opt;
    all.validation_fraction = 0.0;
    all.max_epochs = r.value.refit_epochs;
    auto s = ser::train_mlp(x, y, kClasses, all);
    ASSERT_TRUE(s.is_ok());
    EXPECT_EQ(ser::serialize_model(r.value.model), ser::serialize_model(s.value.model));
    // Without refit the weights are the early-stopped ones, fitted on fewer clips.
    opt.refit = false;
    auto e = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(e.is_ok());
    EXPECT_EQ(e.value.refit_epochs, 0);
    EXPECT_EQ(e.value.n_train, 60 - e.value.n_val);
    EXPECT_FALSE(e.value.model.normaliser.mean == r.value.model.normaliser.mean);
}

TEST(ModelTrain, ConstantColumnGetsScaleOne) {
    Eigen::MatrixXf x(4, 2);
    x << 1, 5, 2, 5, 3, 5, 4, 5;
    Eigen::VectorXf mean, scale;
    ser::fit_standardisation(x, mean, scale);
    EXPECT_FLOAT_EQ(mean[0], 2.5f);
    EXPECT_FLOAT_EQ(scale[0], std::sqrt(1.25f));
    EXPECT_FLOAT_EQ(mean[1], 5.0f);
    EXPECT_FLOAT_EQ(scale[1], 1.0f);
}

TEST(ModelTrain, RefusesBadInput) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(5, 6, x, y);
    ser::TrainOptions opt;
    auto r = ser::train_mlp(x, std::vector<int>(y.begin(), y.end() - 1), kClasses, opt);
    EXPECT_FALSE(r.is_ok());
    std::vector<int> bad = y;
    bad[0] = 7;
    r = ser::train_mlp(x, bad, kClasses, opt);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("label 7"), std::string::npos) << r.status.message;
    Eigen::MatrixXf xn = x;
    xn(3, 2) = NAN;
    EXPECT_FALSE(ser::train_mlp(xn, y, kClasses, opt).is_ok());
    opt.learning_rate = 0.0;
    r = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status.module, "train");
    opt = ser::TrainOptions{};
    opt.hidden = {0};
    EXPECT_FALSE(ser::train_mlp(x, y, kClasses, opt).is_ok());
    // A class with a single sample cannot be split.
    std::vector<int> one = y;
    for (int& v : one)
        if (v == 2) v = 1;
    one[14] = 2;
    r = ser::train_mlp(x, one, kClasses, ser::TrainOptions{});
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("'c' has 1 samples"), std::string::npos) << r.status.message;
}

TEST(ModelTrain, StratifiedSplitKeepsClassProportions) {
    std::vector<int> y;
    for (int i = 0; i < 96; ++i) y.push_back(i % 8 == 0 ? 0 : (i % 2 == 0 ? 1 : 2));  // 12 / 36 / 48
    std::vector<int> a, b;
    ser::stratified_split(y, 3, 0.25, 9, a, b);
    int count[3] = {0, 0, 0};
    for (int i : b) ++count[y[i]];
    EXPECT_EQ(count[0], 3);
    EXPECT_EQ(count[1], 9);
    EXPECT_EQ(count[2], 12);
    std::set<int> all(a.begin(), a.end());
    for (int i : b) EXPECT_TRUE(all.insert(i).second) << "index in both parts";
    EXPECT_EQ(all.size(), y.size());
    std::vector<int> a2, b2;
    ser::stratified_split(y, 3, 0.25, 9, a2, b2);
    EXPECT_EQ(b, b2);
    ser::stratified_split(y, 3, 0.25, 10, a2, b2);
    EXPECT_NE(b, b2);
}

TEST(ModelTrain, RngIsDeterministicAndUniform) {
    ser::Rng a(7), b(7), c(8);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
    EXPECT_NE(a.next(), c.next());
    ser::Rng r(99);
    const int n = 200000;
    double s = 0, s2 = 0, ns = 0, ns2 = 0;
    int hist[10] = {0};
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform();
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        s += u;
        s2 += u * u;
        ++hist[r.below(10)];
        const double z = r.normal();
        ns += z;
        ns2 += z * z;
    }
    // Standard errors: uniform mean 0.00065, normal mean 0.0022, normal var ~0.0032.
    EXPECT_NEAR(s / n, 0.5, 0.004);
    EXPECT_NEAR(s2 / n - (s / n) * (s / n), 1.0 / 12.0, 0.002);
    EXPECT_NEAR(ns / n, 0.0, 0.012);
    EXPECT_NEAR(ns2 / n, 1.0, 0.02);
    for (int h : hist) EXPECT_NEAR(h, n / 10, 600);  // sd ~134
}

TEST(ModelTrain, AugmentedCopiesTrainOnlyWithTheirSourceAndNeverValidate) {
    Eigen::MatrixXf x;
    std::vector<int> y;
    blobs(20, 9, x, y);
    // Two copies of every row (small shifts): copies of validation rows must be left out.
    ser::AugmentedRows aug;
    aug.x.resize(2 * x.rows(), x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r)
        for (int c = 0; c < 2; ++c) {
            aug.x.row(2 * r + c) = x.row(r).array() + 0.1f * float(c + 1);
            aug.source.push_back(int(r));
        }
    ser::TrainOptions opt;
    opt.hidden = {16};
    opt.max_epochs = 100;
    opt.batch_size = 16;
    opt.validation_fraction = 0.25;
    opt.refit = false;
    auto r = ser::train_mlp(x, y, kClasses, opt, {}, aug);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.n_val, 15);                           // 25% of 60, clean rows only
    EXPECT_EQ(r.value.n_train, (60 - 15) * 3);              // each training row and its 2 copies
    EXPECT_GT(accuracy(r.value.model, x, y), 0.95);
    // With refit every copy trains; without copies the result differs.
    opt.refit = true;
    auto all = ser::train_mlp(x, y, kClasses, opt, {}, aug);
    ASSERT_TRUE(all.is_ok());
    EXPECT_EQ(all.value.n_train, 180);
    auto plain = ser::train_mlp(x, y, kClasses, opt);
    ASSERT_TRUE(plain.is_ok());
    EXPECT_EQ(plain.value.n_train, 60);
    EXPECT_NE(ser::serialize_model(plain.value.model), ser::serialize_model(all.value.model));

    ser::AugmentedRows bad = aug;
    bad.source[3] = 60;
    EXPECT_FALSE(ser::train_mlp(x, y, kClasses, opt, {}, bad).is_ok());
    bad = aug;
    bad.source.pop_back();
    EXPECT_FALSE(ser::train_mlp(x, y, kClasses, opt, {}, bad).is_ok());
    bad = aug;
    bad.x(0, 0) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(ser::train_mlp(x, y, kClasses, opt, {}, bad).is_ok());
}
