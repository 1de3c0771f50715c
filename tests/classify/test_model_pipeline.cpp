// Classifier (pipeline.h): refuses models this build cannot feed (feature set/config name, version,
// input count), refuses silence, and equals feature extraction + Model::predict done by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/classify/classifier.h"
#include "ser/base/rng.h"

namespace {

ser::Model model_for_set(const std::string& set_name, std::uint64_t seed) {
    auto info = ser::feature_set_by_name(set_name);
    auto names = ser::feature_vector_names(set_name);
    EXPECT_TRUE(info.is_ok() && names.is_ok());
    auto cfg = ser::config_by_name(info.value.config);
    const int d = int(names.value.size());
    ser::Rng rng(seed);
    ser::Model m;
    m.feature_config = cfg.value.name;
    m.feature_config_version = cfg.value.version;
    m.feature_set = set_name;
    m.feature_set_version = info.value.version;
    m.classes = {"angry", "neutral", "happy"};
    m.normaliser.mean = Eigen::VectorXf::Zero(d);
    m.normaliser.scale = Eigen::VectorXf::Ones(d);
    ser::DenseLayer h{Eigen::MatrixXf(8, d), Eigen::VectorXf::Zero(8)};
    ser::DenseLayer o{Eigen::MatrixXf(3, 8), Eigen::VectorXf::Zero(3)};
    for (Eigen::Index i = 0; i < h.weights.size(); ++i) h.weights.data()[i] = float(rng.normal() * 0.05);
    for (Eigen::Index i = 0; i < o.weights.size(); ++i) o.weights.data()[i] = float(rng.normal() * 0.5);
    m.layers = {h, o};
    return m;
}

// Two tones with a slow amplitude envelope, 16 kHz.
std::vector<float> tone(double seconds, double amplitude) {
    std::vector<float> s(std::size_t(seconds * 16000));
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / 16000.0;
        s[i] = float(amplitude * (0.6 + 0.4 * std::sin(2 * M_PI * 3 * t)) *
                     (std::sin(2 * M_PI * 220 * t) + 0.3 * std::sin(2 * M_PI * 1250 * t)));
    }
    return s;
}

}  // namespace

TEST(ModelPipeline, ClassifyEqualsFeaturesThenPredict) {
    ser::Model m = model_for_set("seed", 1);
    ser::Classifier c(m);
    ASSERT_TRUE(c.status().is_ok()) << c.status().to_string();
    const auto s = tone(1.5, 0.3);
    auto r = c.classify(s.data(), s.size());
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.probabilities.size(), 3u);
    double sum = 0;
    for (float p : r.value.probabilities) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-5);

    ser::FeatureExtractor fx(ser::config_c1());
    ser::FeatureVector v;
    ASSERT_TRUE(ser::compute_feature_vector("seed", fx, s.data(), s.size(), v).is_ok());
    auto p = m.predict(v.values.data(), int(v.values.size()));
    ASSERT_TRUE(p.is_ok());
    for (int k = 0; k < 3; ++k) EXPECT_EQ(r.value.probabilities[k], p.value[k]);
    const int top = int(std::max_element(p.value.begin(), p.value.end()) - p.value.begin());
    EXPECT_EQ(r.value.top, top);
    EXPECT_EQ(r.value.label(), m.classes[top]);
}

TEST(ModelPipeline, SilentClipIsAnErrorValue) {
    ser::Classifier c(model_for_set("seed", 2));
    ASSERT_TRUE(c.status().is_ok());
    std::vector<float> zeros(16000, 0.0f);
    auto r = c.classify(zeros.data(), zeros.size());
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("silent"), std::string::npos) << r.status.message;
    // -70 dBFS peak is still silence; -50 dBFS is not.
    auto quiet = tone(1.0, std::pow(10.0, -70.0 / 20.0) / 1.3);
    EXPECT_FALSE(c.classify(quiet.data(), quiet.size()).is_ok());
    auto soft = tone(1.0, std::pow(10.0, -50.0 / 20.0) / 1.3);
    EXPECT_TRUE(c.classify(soft.data(), soft.size()).is_ok());
    EXPECT_FALSE(c.classify(nullptr, 0).is_ok());
}

TEST(ModelPipeline, RefusesModelsThisBuildCannotFeed) {
    ser::Model m = model_for_set("seed", 3);
    m.feature_set = "no-such-set";
    ser::Classifier a(m);
    ASSERT_FALSE(a.status().is_ok());
    EXPECT_NE(a.status().message.find("'no-such-set'"), std::string::npos) << a.status().message;
    EXPECT_FALSE(a.classify(tone(1.0, 0.3).data(), 16000).is_ok());

    m = model_for_set("seed", 3);
    m.feature_set_version += 1;
    ser::Classifier b(m);
    ASSERT_FALSE(b.status().is_ok());
    EXPECT_NE(b.status().message.find("retrain"), std::string::npos) << b.status().message;

    m = model_for_set("seed", 3);
    m.feature_config_version += 7;
    EXPECT_FALSE(ser::Classifier(m).status().is_ok());

    m = model_for_set("seed", 3);
    m.feature_config = "C2";  // seed is defined on C1
    ser::Classifier d(m);
    ASSERT_FALSE(d.status().is_ok());
    EXPECT_NE(d.status().message.find("expected 'C1'"), std::string::npos) << d.status().message;

    // n_inputs differs from the set's length: one input dropped everywhere, shapes still consistent.
    m = model_for_set("seed", 3);
    const int d_in = m.n_inputs() - 1;
    m.normaliser.mean.conservativeResize(d_in);
    m.normaliser.scale.conservativeResize(d_in);
    m.layers[0].weights.conservativeResize(Eigen::NoChange, d_in);
    ASSERT_TRUE(m.validate().is_ok());
    ser::Classifier e(m);
    ASSERT_FALSE(e.status().is_ok());
    EXPECT_NE(e.status().message.find("takes " + std::to_string(d_in) + " inputs"), std::string::npos)
        << e.status().message;
}

TEST(ModelPipeline, TimelineWindows) {
    ser::Classifier c(model_for_set("seed", 4));
    ASSERT_TRUE(c.status().is_ok());
    auto s = tone(5.0, 0.3);
    auto r = c.timeline(s.data(), s.size(), 3.0, 0.5);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.size(), 5u);  // starts 0, 0.5, 1, 1.5, 2 s
    EXPECT_DOUBLE_EQ(r.value[4].start_s, 2.0);
    EXPECT_DOUBLE_EQ(r.value[4].end_s, 5.0);
    // Each window equals classifying that stretch directly.
    auto direct = c.classify(s.data() + 16000, 48000);
    ASSERT_TRUE(direct.is_ok());
    EXPECT_EQ(r.value[2].probabilities, direct.value.probabilities);
    // A pause in the middle gives an empty point, not an error.
    std::fill(s.begin(), s.begin() + 3 * 16000, 0.0f);
    r = c.timeline(s.data(), s.size(), 3.0, 0.5);
    ASSERT_TRUE(r.is_ok());
    EXPECT_TRUE(r.value[0].probabilities.empty());
    EXPECT_EQ(r.value[1].probabilities.size(), 3u);
    // Shorter than a window: one point over the whole clip.
    auto shortclip = tone(1.0, 0.3);
    r = c.timeline(shortclip.data(), shortclip.size());
    ASSERT_TRUE(r.is_ok());
    ASSERT_EQ(r.value.size(), 1u);
    EXPECT_DOUBLE_EQ(r.value[0].end_s, 1.0);
    EXPECT_FALSE(c.timeline(s.data(), s.size(), 3.0, 0.0).is_ok());
}
