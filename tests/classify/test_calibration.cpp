// Calibration (classify/calibration.h): a profile from a synthetic speaker's neutral clips moves that
// speaker's vectors toward the population (the analytic case: one voice shifted in pitch and level),
// profiles are gain-invariant as the `emo` features are, and silent, clipped, unvoiced or too short
// calibration speech is refused with its reason.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ser/classify/calibration.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"

namespace {

// A model on `emo` that accepts profiles (weights are irrelevant here; the rule is the population).
std::shared_ptr<const ser::ClassifierContext> emo_context() {
    auto names = ser::feature_vector_names("emo");
    const int d = int(names.value.size());
    ser::Model m;
    m.feature_config = "C2";
    m.feature_config_version = ser::config_by_name("C2").value.version;
    m.feature_set = "emo";
    m.feature_set_version = ser::feature_set_by_name("emo").value.version;
    m.classes = {"angry", "neutral"};
    m.normaliser.mean = Eigen::VectorXf::Zero(d);
    m.normaliser.scale = Eigen::VectorXf::Ones(d);
    m.layers = {{Eigen::MatrixXf::Constant(2, d, 0.01f), Eigen::VectorXf::Zero(2)}};
    ser::CalibratedNet c;
    c.normaliser = m.normaliser;
    c.layers = m.layers;
    c.rule.population_mean = Eigen::VectorXf::Zero(d);
    c.rule.population_sd = Eigen::VectorXf::Ones(d);
    m.calibrated.push_back(c);
    auto ctx = ser::ClassifierContext::create(m);
    EXPECT_TRUE(ctx.is_ok()) << ctx.status.to_string();
    return ctx.value;
}

// A sung "vowel": harmonics of f0 (1/h amplitudes) with a slow pitch glide and a syllable envelope,
// plus a little breath noise so that every spectral band holds signal (an empty band's contrast is
// float round-off, which no gain invariance can promise), 16 kHz, `seconds` long; `variant` changes
// the glide so that two clips are not identical.
std::vector<float> voice(double f0_hz, double gain, double seconds, int variant) {
    std::vector<float> s(std::size_t(seconds * 16000));
    double phase = 0.0;
    std::uint32_t r = 12345u + std::uint32_t(variant);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / 16000.0;
        const double f = f0_hz * (1.0 + 0.04 * std::sin(2 * M_PI * (0.7 + 0.2 * variant) * t));
        phase += 2 * M_PI * f / 16000.0;
        double v = 0.0;
        for (int h = 1; h <= 12; ++h) v += std::sin(h * phase) / h;
        const double env = 0.55 + 0.45 * std::sin(2 * M_PI * 2.5 * t);
        r = r * 1664525u + 1013904223u;
        const double breath = 0.02 * (double(r >> 8) / double(1 << 24) - 0.5);
        s[i] = float(gain * 0.25 * env * (v + breath));
    }
    return s;
}

ser::CalibrationResult calibrate_clips(const std::vector<std::vector<float>>& clips) {
    static auto ctx = emo_context();
    ser::ClassifierState state(*ctx);
    std::vector<ser::CalibrationInput> in;
    for (std::size_t i = 0; i < clips.size(); ++i) in.push_back({"clip " + std::to_string(i + 1), clips[i].data(), clips[i].size()});
    return ser::calibrate(*ctx, state, in);
}

Eigen::VectorXf vector_of(const std::vector<float>& clip) {
    static auto ctx = emo_context();
    ser::ClassifierState state(*ctx);
    ser::FeatureVector v;
    EXPECT_TRUE(ser::compute_feature_vector("emo", state.extractor(), clip.data(), clip.size(), v).is_ok());
    return Eigen::Map<const Eigen::VectorXf>(v.values.data(), Eigen::Index(v.values.size()));
}

TEST(Calibration, ProfileMovesASpeakerTowardThePopulation) {
    // Population: a 130 Hz voice. Speaker: the same voice a fifth higher (195 Hz) and 12 dB quieter.
    auto pop = calibrate_clips({voice(130, 1.0, 2.0, 0), voice(130, 1.0, 2.0, 1)});
    auto spk = calibrate_clips({voice(195, 0.25, 2.0, 0), voice(195, 0.25, 2.0, 1)});
    ASSERT_TRUE(pop.status.is_ok()) << pop.status.to_string();
    ASSERT_TRUE(spk.status.is_ok()) << spk.status.to_string();
    ser::ProfileRule rule;   // no shrinkage, no cap: the shift is the whole difference
    rule.population_mean = pop.profile.mean;
    rule.population_sd = Eigen::VectorXf::Ones(pop.profile.mean.size());
    const Eigen::VectorXf x = vector_of(voice(195, 0.25, 2.0, 2));    // a third clip of the speaker
    const Eigen::VectorXf x_pop = vector_of(voice(130, 1.0, 2.0, 2));
    const Eigen::VectorXf moved = x - rule.shift(spk.profile.mean, spk.profile.voiced_s);
    auto names = ser::feature_vector_names("emo").value;
    const int f0 = int(std::find(names.begin(), names.end(), "f0_st_mean") - names.begin());
    ASSERT_LT(f0, int(names.size()));
    // A fifth is 7 semitones: the speaker's mean F0 starts ~7 st away and ends within 0.5 st.
    EXPECT_NEAR(x[f0] - x_pop[f0], 7.0, 0.5);
    EXPECT_NEAR(moved[f0], x_pop[f0], 0.5);
    EXPECT_LT((moved - x_pop).norm(), 0.5 * (x - x_pop).norm());
}

TEST(Calibration, ProfileIsGainInvariant) {
    auto loud = calibrate_clips({voice(160, 1.0, 2.0, 0), voice(160, 1.0, 2.0, 1)});
    auto quiet = calibrate_clips({voice(160, 0.1, 2.0, 0), voice(160, 0.1, 2.0, 1)});   // -20 dB
    ASSERT_TRUE(loud.status.is_ok() && quiet.status.is_ok()) << loud.status.to_string() << quiet.status.to_string();
    const Eigen::VectorXf diff = (loud.profile.mean - quiet.profile.mean).cwiseAbs();
    const Eigen::VectorXf scale = loud.profile.mean.cwiseAbs().cwiseMax(1.0f);
    Eigen::Index worst = 0;
    const float rel = (diff.array() / scale.array()).maxCoeff(&worst);
    EXPECT_LT(rel, 2e-3f) << ser::feature_vector_names("emo").value[std::size_t(worst)] << ": " << loud.profile.mean[worst]
                          << " vs " << quiet.profile.mean[worst];
    EXPECT_NEAR(loud.profile.voiced_s, quiet.profile.voiced_s, 0.02);
}

TEST(Calibration, RefusesSilenceClippingAndTooLittleSpeech) {
    auto silent = calibrate_clips({std::vector<float>(32000, 0.0f), voice(160, 1.0, 2.0, 0)});
    EXPECT_FALSE(silent.status.is_ok());
    EXPECT_NE(silent.clips[0].problem.find("silent"), std::string::npos) << silent.clips[0].problem;
    std::vector<float> clipped = voice(160, 1.0, 2.0, 0);
    for (float& v : clipped) v = std::max(-1.0f, std::min(1.0f, v * 8.0f));
    auto c = calibrate_clips({clipped, voice(160, 1.0, 2.0, 1)});
    EXPECT_FALSE(c.status.is_ok());
    EXPECT_NE(c.clips[0].problem.find("clipped"), std::string::npos) << c.clips[0].problem;
    auto short_speech = calibrate_clips({voice(160, 1.0, 0.4, 0)});
    EXPECT_FALSE(short_speech.status.is_ok());
    EXPECT_NE(short_speech.status.message.find("expected at least 0.6 s"), std::string::npos) << short_speech.status.message;
    std::vector<float> noise(32000);
    std::uint32_t r = 1;
    for (float& v : noise) v = float((r = r * 1664525u + 1013904223u) >> 8) / float(1 << 24) * 0.2f - 0.1f;
    auto unvoiced = calibrate_clips({noise});
    EXPECT_FALSE(unvoiced.status.is_ok());
    EXPECT_TRUE(calibrate_clips({}).status.message.find("no clips") != std::string::npos);
}

}  // namespace
