// Speaker profiles (model/profile.h): the weighted mean and the shrunk, capped shift against hand
// arithmetic; the JSON file round trip and its refusals (empty, truncated, NaN, wrong format, schema,
// set, length); a model's calibrated network through the file format and predict_with_profile.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ser/base/rng.h"
#include "ser/model/model.h"
#include "ser/model/profile.h"

namespace {

ser::Result<ser::SpeakerProfile> parse_text(const std::string& text) {
    return ser::parse_profile(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

ser::SpeakerProfile sample_profile() {
    ser::SpeakerProfile p;
    p.feature_set = "emo";
    p.feature_set_version = 3;
    p.mean = Eigen::Vector3f(1.5f, -2.0f, 0.25f);
    p.voiced_s = 1.2;
    p.n_clips = 2;
    return p;
}

TEST(Profile, WeightedMeanByVoicedSeconds) {
    // (1 * [0, 0] + 3 * [4, 8]) / 4 = [3, 6]
    auto p = ser::make_profile("emo", 3, {{Eigen::Vector2f(0, 0), 1.0}, {Eigen::Vector2f(4, 8), 3.0}});
    ASSERT_TRUE(p.is_ok()) << p.status.to_string();
    EXPECT_NEAR(p.value.mean[0], 3.0f, 1e-6f);
    EXPECT_NEAR(p.value.mean[1], 6.0f, 1e-6f);
    EXPECT_DOUBLE_EQ(p.value.voiced_s, 4.0);
    EXPECT_EQ(p.value.n_clips, 2);
    EXPECT_FALSE(ser::make_profile("emo", 3, {}).is_ok());
    EXPECT_FALSE(ser::make_profile("emo", 3, {{Eigen::Vector2f(0, 0), 0.0}}).is_ok());
    EXPECT_FALSE(ser::make_profile("emo", 3, {{Eigen::Vector2f(0, 0), 1.0}, {Eigen::Vector3f(0, 0, 0), 1.0}}).is_ok());
}

TEST(Profile, ShiftShrinksTowardPopulationAndIsCapped) {
    ser::ProfileRule rule;
    rule.shrink_s = 1.0f;
    rule.cap_sd = 2.0f;
    rule.population_mean = Eigen::Vector2f(10.0f, 0.0f);
    rule.population_sd = Eigen::Vector2f(1.0f, 0.5f);
    ASSERT_TRUE(rule.validate().is_ok());
    // w = 3 / (3 + 1) = 0.75; raw shift [0.75 * 2, 0.75 * 4] = [1.5, 3.0]; cap 2 sd = [2, 1].
    const Eigen::VectorXf s = rule.shift(Eigen::Vector2f(12.0f, 4.0f), 3.0);
    EXPECT_NEAR(s[0], 1.5f, 1e-6f);
    EXPECT_NEAR(s[1], 1.0f, 1e-6f);
    rule.cap_sd = 0.0f;   // no cap
    EXPECT_NEAR(rule.shift(Eigen::Vector2f(12.0f, 4.0f), 3.0)[1], 3.0f, 1e-6f);
    rule.shrink_s = 0.0f;  // no shrinkage: the whole difference
    EXPECT_NEAR(rule.shift(Eigen::Vector2f(12.0f, 4.0f), 0.5)[0], 2.0f, 1e-6f);
    rule.population_sd[1] = 0.0f;
    EXPECT_FALSE(rule.validate().is_ok());
}

TEST(Profile, JsonRoundTrip) {
    const ser::SpeakerProfile p = sample_profile();
    auto back = parse_text(ser::profile_to_json(p));
    ASSERT_TRUE(back.is_ok()) << back.status.to_string();
    EXPECT_EQ(back.value.feature_set, "emo");
    EXPECT_EQ(back.value.feature_set_version, 3);
    EXPECT_EQ(back.value.n_clips, 2);
    EXPECT_DOUBLE_EQ(back.value.voiced_s, 1.2);
    ASSERT_EQ(back.value.mean.size(), 3);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(back.value.mean[i], p.mean[i]);
}

// A host routes JSON objects to the profile parser and everything else to the audio decoder.
TEST(Profile, LooksLikeProfileOnlyForJsonObjects) {
    auto looks = [](const std::string& t) {
        return ser::looks_like_profile(reinterpret_cast<const std::uint8_t*>(t.data()), t.size());
    };
    EXPECT_TRUE(looks(ser::profile_to_json(sample_profile())));
    EXPECT_TRUE(looks("\xEF\xBB\xBF \n {\"format\": \"other\"}"));
    EXPECT_FALSE(looks("RIFF\x24\0\0\0WAVEfmt "));
    EXPECT_FALSE(looks("fLaC"));
    EXPECT_FALSE(looks("[1, 2]"));
    EXPECT_FALSE(looks("   "));
    EXPECT_FALSE(looks(""));
    EXPECT_FALSE(ser::looks_like_profile(nullptr, 4));
}

TEST(Profile, RefusesBadFiles) {
    const std::string good = ser::profile_to_json(sample_profile());
    auto refused = [](const std::string& text, const std::string& says) {
        auto r = parse_text(text);
        EXPECT_FALSE(r.is_ok()) << text;
        EXPECT_EQ(r.status.module, "profile");
        EXPECT_NE(r.status.message.find(says), std::string::npos) << r.status.message;
    };
    refused("", "empty");
    refused(good.substr(0, good.size() / 2), "not a JSON object");
    refused("[1, 2]", "not a JSON object");
    // The good file with its first `from` replaced by `to`.
    auto with = [&good](const std::string& from, const std::string& to) {
        std::string t = good;
        const std::size_t at = t.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return at == std::string::npos ? t : t.replace(at, from.size(), to);
    };
    refused(with("1.5", "NaN"), "not a JSON object");   // NaN is not JSON
    refused(with("1.5", "null"), "mean[0] is null");
    refused(with("1.5", "1e30"), "mean[0]");
    refused(with("ser-profile", "ser-model"), "format is");
    refused(with("\"schema_version\":1", "\"schema_version\":7"), "schema version 7");
    refused(with("\"voiced_s\":1.2", "\"voiced_s\":0.0"), "voiced speech is 0");
    std::string empty_mean = good;
    const std::size_t open = empty_mean.find("\"mean\":[") + 8;
    empty_mean.erase(open, empty_mean.find(']', open) - open);
    refused(empty_mean, "0 values");
}

TEST(Profile, RefusedForAnotherSetVersionOrLength) {
    const ser::SpeakerProfile p = sample_profile();
    EXPECT_TRUE(ser::check_profile_for(p, "emo", 3, 3).is_ok());
    EXPECT_FALSE(ser::check_profile_for(p, "seed", 1, 3).is_ok());
    EXPECT_FALSE(ser::check_profile_for(p, "emo", 2, 3).is_ok());
    EXPECT_FALSE(ser::check_profile_for(p, "emo", 3, 231).is_ok());
}

ser::Model calibrated_model() {
    ser::Rng rng(5);
    auto net = [&](ser::Normaliser& n, std::vector<ser::DenseLayer>& layers) {
        n.mean = Eigen::Vector3f(0.1f, 0.2f, 0.3f);
        n.scale = Eigen::Vector3f(1.0f, 2.0f, 0.5f);
        layers = {{Eigen::MatrixXf(4, 3), Eigen::VectorXf::Zero(4)}, {Eigen::MatrixXf(2, 4), Eigen::VectorXf::Zero(2)}};
        for (auto& L : layers)
            for (Eigen::Index i = 0; i < L.weights.size(); ++i) L.weights.data()[i] = float(rng.normal());
    };
    ser::Model m;
    m.feature_config = "C2";
    m.feature_config_version = 1;
    m.feature_set = "emo";
    m.feature_set_version = 3;
    m.classes = {"angry", "neutral"};
    net(m.normaliser, m.layers);
    ser::CalibratedNet c;
    net(c.normaliser, c.layers);
    c.rule.shrink_s = 0.5f;
    c.rule.cap_sd = 3.0f;
    c.rule.population_mean = Eigen::Vector3f(1.0f, -1.0f, 0.0f);
    c.rule.population_sd = Eigen::Vector3f(1.0f, 1.0f, 2.0f);
    m.calibrated.push_back(c);
    return m;
}

TEST(Profile, CalibratedNetworkThroughTheFileAndPredict) {
    const ser::Model m = calibrated_model();
    ASSERT_TRUE(m.validate().is_ok()) << m.validate().to_string();
    const auto bytes = ser::serialize_model(m);
    auto back = ser::parse_model(bytes.data(), bytes.size());
    ASSERT_TRUE(back.is_ok()) << back.status.to_string();
    ASSERT_TRUE(back.value.accepts_profiles());
    EXPECT_EQ(ser::serialize_model(back.value), bytes);
    const ser::SpeakerProfile p = sample_profile();
    const float x[3] = {0.5f, 1.0f, -0.5f};
    auto with = back.value.predict_with_profile(x, 3, p);
    ASSERT_TRUE(with.is_ok()) << with.status.to_string();
    // By hand: the calibrated network on x - shift.
    const Eigen::VectorXf shift = m.calibrated[0].rule.shift(p.mean, p.voiced_s);
    const Eigen::VectorXf xs = Eigen::Map<const Eigen::Vector3f>(x) - shift;
    const Eigen::MatrixXf hand = back.value.predict_batch_calibrated(xs.transpose());
    EXPECT_NEAR(with.value[0], hand(0, 0), 1e-6f);
    auto plain = back.value.predict(x, 3);
    ASSERT_TRUE(plain.is_ok());
    EXPECT_GT(std::abs(plain.value[0] - with.value[0]), 1e-6f);  // a different network and input
    // A cut-off calibrated part is refused as truncated.
    auto cut = ser::parse_model(bytes.data(), bytes.size() - 8);
    EXPECT_FALSE(cut.is_ok());
    ser::Model no_cal = m;
    no_cal.calibrated.clear();
    EXPECT_FALSE(no_cal.predict_with_profile(x, 3, p).is_ok());
    ser::SpeakerProfile other = p;
    other.feature_set = "seed";
    EXPECT_FALSE(m.predict_with_profile(x, 3, other).is_ok());
}

}  // namespace
