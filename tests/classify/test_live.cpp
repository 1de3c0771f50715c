// Live analysis (live.h): level meter and spectrum against analytic sines, smoothing against its
// closed form, cadence of the sliding-window classification, silence and invalid input.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/classify/live.h"
#include "ser/model/model.h"
#include "ser/classify/classifier.h"
#include "npy.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> sine(double freq_hz, double amplitude, double seconds, int rate_hz) {
    std::vector<float> x(std::size_t(seconds * rate_hz));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(amplitude * std::sin(2.0 * kPi * freq_hz * i / rate_hz));
    return x;
}

ser::Status push_in_chunks(ser::LiveAnalyser& live, const std::vector<float>& x, std::size_t chunk) {
    for (std::size_t i = 0; i < x.size(); i += chunk) {
        ser::Status s = live.push(x.data() + i, std::min(chunk, x.size() - i));
        if (!s.is_ok()) return s;
    }
    return ser::Status::ok();
}

// A model whose output does not depend on its input: zero weights, biases log(p), so that
// softmax gives exactly p (a known answer for the live path).
ser::Model constant_model(const std::vector<float>& p) {
    ser::Model m;
    m.feature_config = "C1";
    m.feature_config_version = ser::config_c1().version;
    m.feature_set = "seed";
    auto info = ser::feature_set_by_name("seed");
    m.feature_set_version = info.is_ok() ? info.value.version : 1;
    auto names = ser::feature_vector_names("seed");
    const int n_in = names.is_ok() ? int(names.value.size()) : 1;
    for (std::size_t k = 0; k < p.size(); ++k) m.classes.push_back("c" + std::to_string(k));
    m.normaliser.mean = Eigen::VectorXf::Zero(n_in);
    m.normaliser.scale = Eigen::VectorXf::Ones(n_in);
    ser::DenseLayer out;
    out.weights = Eigen::MatrixXf::Zero(int(p.size()), n_in);
    out.bias.resize(int(p.size()));
    for (std::size_t k = 0; k < p.size(); ++k) out.bias[int(k)] = std::log(p[k]);
    m.layers.push_back(out);
    return m;
}

// A model whose output follows its input (weights on every feature), for stream-vs-batch checks.
ser::Model varying_model() {
    ser::Model m = constant_model({0.2f, 0.5f, 0.3f});
    for (int k = 0; k < int(m.layers[0].weights.rows()); ++k)
        for (int j = 0; j < int(m.layers[0].weights.cols()); ++j)
            m.layers[0].weights(k, j) = 0.01f * std::sin(0.37f * float((j + 1) * (k + 1)));
    return m;
}

}  // namespace

// The live timeline (streaming) against the batch path: each point's probabilities equal
// Classifier::classify of the take's samples over the point's span, to float round-off; silent
// windows are points without probabilities, as in Classifier::timeline.
TEST(Live, TimelinePointsEqualTheBatchClassificationOfTheirSpans) {
    ser::Classifier live_clf(varying_model()), batch_clf(varying_model());
    ASSERT_TRUE(live_clf.status().is_ok()) << live_clf.status().to_string();
    ser::LiveAnalyser live(&live_clf);
    ASSERT_TRUE(live.start(16000).is_ok());
    std::vector<float> x(std::size_t(5.0 * 16000));
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = double(i) / 16000.0;
        x[i] = float((0.1 + 0.3 * t / 5.0) * std::sin(2.0 * kPi * (200.0 + 120.0 * t) * t));
    }
    std::fill(x.begin() + 64000, x.end(), 0.0f);    // the last second silent
    ASSERT_TRUE(push_in_chunks(live, x, 480).is_ok());
    const auto& tl = live.timeline();
    ASSERT_GE(tl.size(), 7u);
    const std::vector<float>& take = live.recording();
    int n_silent = 0, n_compared = 0;
    for (const auto& p : tl) {
        const std::size_t a = std::size_t(std::lround(p.start_s * 16000)), b = std::size_t(std::lround(p.end_s * 16000));
        ASSERT_LE(b, take.size());
        ASSERT_GT(b, a);
        if (ser::below_silence_gate(take.data() + a, b - a)) {
            EXPECT_TRUE(p.probabilities.empty());
            ++n_silent;
            continue;
        }
        auto r = batch_clf.classify(take.data() + a, b - a);
        ASSERT_TRUE(r.is_ok()) << r.status.to_string();
        ASSERT_EQ(p.probabilities.size(), r.value.probabilities.size());
        for (std::size_t k = 0; k < p.probabilities.size(); ++k) EXPECT_NEAR(p.probabilities[k], r.value.probabilities[k], 1e-6);
        ++n_compared;
    }
    EXPECT_GE(n_compared, 5);
    EXPECT_EQ(n_compared, live.n_updates());
    EXPECT_LE(n_silent, 2);
    // The readings differ from window to window (the model follows the signal).
    EXPECT_GT(std::fabs(tl[0].probabilities[0] - tl[std::size_t(n_compared - 1)].probabilities[0]), 1e-4f);
}

// The same with a model of the emo set, which the live path feeds from EmoStream (each frame of
// the take analysed once) instead of classify(): over 11 s of speech at three levels, pushed in
// 10 ms chunks, every point equals Classifier::classify of its span within 1e-4 (the stream's
// vector differs from the batch one by float rounding, EmoStream's test). The model's inputs are
// scaled to about 1 by its normaliser, so that a feature's rounding reaches the output at its size.
TEST(Live, EmoTimelinePointsEqualTheBatchClassificationOfTheirSpans) {
    std::string error;
    const std::vector<float> x = ser::test::speech_at_three_levels(&error);
    ASSERT_FALSE(x.empty()) << error;
    ser::FeatureExtractor fx(ser::config_c2());
    ser::FeatureVector whole;
    ASSERT_TRUE(ser::compute_feature_vector("emo", fx, x.data(), x.size(), whole));
    const int n_in = int(whole.values.size());
    ser::Model m = constant_model({0.2f, 0.5f, 0.3f});
    m.feature_config = "C2";
    m.feature_config_version = ser::config_c2().version;
    m.feature_set = "emo";
    m.feature_set_version = ser::feature_set_by_name("emo").value.version;
    m.normaliser.mean = Eigen::Map<const Eigen::VectorXf>(whole.values.data(), n_in);
    m.normaliser.scale = m.normaliser.mean.cwiseAbs().array() + 1.0f;
    m.layers[0].weights.resize(3, n_in);
    for (int k = 0; k < 3; ++k)
        for (int j = 0; j < n_in; ++j) m.layers[0].weights(k, j) = 0.3f * std::sin(0.37f * float((j + 1) * (k + 1)));
    ser::Classifier live_clf(m), batch_clf(m);
    ASSERT_TRUE(live_clf.status().is_ok()) << live_clf.status().to_string();
    ser::LiveAnalyser live(&live_clf);
    ASSERT_TRUE(live.start(16000).is_ok());
    ASSERT_TRUE(push_in_chunks(live, x, 160).is_ok());
    const std::vector<float>& take = live.recording();
    int n_compared = 0;
    float worst = 0.0f, spread = 0.0f;
    for (const auto& p : live.timeline()) {
        const std::size_t a = std::size_t(std::lround(p.start_s * 16000)), b = std::size_t(std::lround(p.end_s * 16000));
        ASSERT_LE(b, take.size());
        if (p.probabilities.empty()) continue;
        auto r = batch_clf.classify(take.data() + a, b - a);
        ASSERT_TRUE(r.is_ok()) << r.status.to_string();
        for (std::size_t k = 0; k < p.probabilities.size(); ++k)
            worst = std::max(worst, std::fabs(p.probabilities[k] - r.value.probabilities[k]));
        spread = std::max(spread, std::fabs(p.probabilities[0] - live.timeline()[0].probabilities[0]));
        ++n_compared;
    }
    EXPECT_LT(worst, 1e-4f);
    EXPECT_GE(n_compared, 18);
    EXPECT_GT(spread, 1e-2f);   // the windows differ: the comparison is not of one constant
}

TEST(Live, LevelOfSinesAndSilence) {
    // RMS of a sine is A / sqrt(2): 20 log10(1/sqrt 2) = -3.0103 dB.
    auto full = sine(1000.0, 1.0, 1.0, 16000);
    EXPECT_NEAR(ser::rms_dbfs(full.data(), full.size()), -3.0103, 0.01);
    EXPECT_NEAR(ser::peak_dbfs(full.data(), full.size()), 0.0, 0.01);
    auto quiet = sine(1000.0, 0.1, 1.0, 16000);
    EXPECT_NEAR(ser::rms_dbfs(quiet.data(), quiet.size()), -23.0103, 0.01);
    std::vector<float> zeros(1000, 0.0f);
    EXPECT_EQ(ser::rms_dbfs(zeros.data(), zeros.size()), ser::kSilenceDb);
    EXPECT_EQ(ser::peak_dbfs(zeros.data(), zeros.size()), ser::kSilenceDb);
    EXPECT_EQ(ser::rms_dbfs(nullptr, 0), ser::kSilenceDb);
}

TEST(Live, SmoothingFollowsTheFirstOrderStepResponse) {
    std::vector<float> p;
    ser::smooth_probabilities(p, {1.0f, 0.0f}, 0.3f);   // an empty state takes the first reading
    ASSERT_EQ(p.size(), 2u);
    EXPECT_FLOAT_EQ(p[0], 1.0f);
    for (int k = 1; k <= 6; ++k) {
        ser::smooth_probabilities(p, {0.0f, 1.0f}, 0.3f);
        EXPECT_NEAR(p[0], std::pow(0.7, k), 1e-6);
        EXPECT_NEAR(p[0] + p[1], 1.0, 1e-6);
    }
}

TEST(Live, ConfigRangesAreChecked) {
    EXPECT_TRUE(ser::LiveConfig{}.validate().is_ok());
    ser::LiveConfig c;
    c.hop_s = 10.0;
    ser::Status s = c.validate();
    EXPECT_FALSE(s.is_ok());
    EXPECT_NE(s.message.find("hop_s"), std::string::npos);
    c = ser::LiveConfig{};
    c.spectrum_n_fft = 500;
    EXPECT_FALSE(c.validate().is_ok());
}

TEST(Live, ResamplesLevelsAndSpectrumOfA44kSine) {
    ser::LiveAnalyser live(nullptr);
    ASSERT_TRUE(live.start(44100).is_ok());
    // 500 Hz is bin 16 of a 512-point FFT at 16 kHz: no scalloping, the peak reads 20 log10(A).
    auto x = sine(500.0, 0.5, 2.0, 44100);
    ASSERT_TRUE(push_in_chunks(live, x, 2048).is_ok());
    EXPECT_NEAR(live.duration_s(), 2.0, 0.02);
    EXPECT_NEAR(double(live.recording().size()), 32000.0, 320.0);
    EXPECT_NEAR(live.level_rms_db(), 20.0 * std::log10(0.5 / std::sqrt(2.0)), 0.1);
    auto cols = live.take_spectrum_columns();
    ASSERT_GT(cols.size(), 100u);   // one column every 16 ms
    const auto& c = cols[cols.size() / 2];
    ASSERT_EQ(int(c.size()), live.n_spectrum_bins());
    const int peak = int(std::max_element(c.begin(), c.end()) - c.begin());
    EXPECT_EQ(peak, 16);
    EXPECT_NEAR(c[peak], 20.0 * std::log10(0.5), 0.1);
    EXPECT_TRUE(live.take_spectrum_columns().empty());   // taken
    EXPECT_EQ(live.n_updates(), 0);                      // no classifier, no probabilities
}

TEST(Live, SilenceGivesNoReading) {
    ser::Model m = constant_model({0.2f, 0.5f, 0.3f});
    ser::Classifier clf(m);
    ASSERT_TRUE(clf.status().is_ok()) << clf.status().to_string();
    ser::LiveAnalyser live(&clf);
    ASSERT_TRUE(live.start(16000).is_ok());
    std::vector<float> zeros(16000 * 2, 0.0f);
    ASSERT_TRUE(push_in_chunks(live, zeros, 512).is_ok());
    EXPECT_TRUE(live.window_silent());
    EXPECT_EQ(live.n_updates(), 0);
    EXPECT_TRUE(live.probabilities().empty());
    EXPECT_EQ(live.level_rms_db(), ser::kSilenceDb);
}

TEST(Live, ClassifiesTheSlidingWindowTwiceASecond) {
    const std::vector<float> p = {0.2f, 0.5f, 0.3f};
    ser::Classifier clf(constant_model(p));
    ASSERT_TRUE(clf.status().is_ok()) << clf.status().to_string();
    ser::LiveAnalyser live(&clf);
    ASSERT_TRUE(live.start(16000).is_ok());
    // 3 s of signal: readings due at 1.0, 1.5, 2.0, 2.5 and 3.0 s (the resampler's delay may
    // hold the last one back).
    auto x = sine(300.0, 0.3, 3.05, 16000);
    ASSERT_TRUE(push_in_chunks(live, x, 512).is_ok());
    EXPECT_GE(live.n_updates(), 4);
    EXPECT_LE(live.n_updates(), 5);
    ASSERT_EQ(live.probabilities().size(), p.size());
    for (std::size_t k = 0; k < p.size(); ++k) {
        EXPECT_NEAR(live.raw_probabilities()[k], p[k], 1e-5);
        EXPECT_NEAR(live.probabilities()[k], p[k], 1e-5);   // smoothing a constant keeps it
    }
    EXPECT_FALSE(live.window_silent());
}

TEST(Live, RefusesBadInput) {
    ser::LiveAnalyser live(nullptr);
    float one = 0.5f;
    EXPECT_FALSE(live.push(&one, 1).is_ok());            // before start
    EXPECT_FALSE(live.start(1000).is_ok());              // rate out of range
    ASSERT_TRUE(live.start(48000).is_ok());
    std::vector<float> bad(100, 0.1f);
    bad[42] = std::nanf("");
    ser::Status s = live.push(bad.data(), bad.size());
    EXPECT_FALSE(s.is_ok());
    EXPECT_NE(s.message.find("not finite"), std::string::npos);
    ser::LiveConfig c;
    c.window_s = 0.0;
    ser::LiveAnalyser broken(nullptr, c);
    EXPECT_FALSE(broken.start(16000).is_ok());
}

// The reading a worker posts: live_reading_json -> parse_live_reading gives the analyser's reading
// back exactly (floats survive the JSON round trip), and text that is no reading is refused.
TEST(Live, ReadingRoundTripsThroughJson) {
    ser::Classifier clf(varying_model());
    ser::LiveAnalyser live(&clf);
    ASSERT_TRUE(live.start(44100).is_ok());
    ASSERT_TRUE(push_in_chunks(live, sine(220.0, 0.2, 2.5, 44100), 2048).is_ok());
    const ser::LiveReading r = live.reading();
    ASSERT_GE(r.n_updates, 2);
    const std::string text = ser::live_reading_json(r);
    auto back = ser::parse_live_reading(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    ASSERT_TRUE(back.is_ok()) << back.status.to_string();
    EXPECT_EQ(back.value.n_updates, r.n_updates);
    EXPECT_EQ(back.value.duration_s, r.duration_s);
    EXPECT_EQ(back.value.level_rms_db, r.level_rms_db);
    EXPECT_EQ(back.value.probabilities, r.probabilities);
    ASSERT_EQ(back.value.timeline.size(), r.timeline.size());
    for (std::size_t i = 0; i < r.timeline.size(); ++i) {
        EXPECT_EQ(back.value.timeline[i].start_s, r.timeline[i].start_s);
        EXPECT_EQ(back.value.timeline[i].probabilities, r.timeline[i].probabilities);
    }
    for (const std::string bad : {std::string(""), std::string("[1]"), text.substr(0, text.size() / 2),
                                  std::string("{\"duration_s\": 1}")}) {
        auto r2 = ser::parse_live_reading(reinterpret_cast<const std::uint8_t*>(bad.data()), bad.size());
        EXPECT_FALSE(r2.is_ok()) << bad;
        if (!r2.is_ok()) EXPECT_EQ(r2.status.module, "live");
    }
}
