// Calibration (classify/calibration.h): a profile from a synthetic speaker's neutral clips moves that
// speaker's vectors toward the population (the analytic case: one voice shifted in pitch and level),
// profiles are gain-invariant as the `emo` features are, and silent, clipped, unvoiced or too short
// calibration speech is refused with its reason.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "ser/classify/calibration.h"
#include "ser/classify/live.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"

namespace {

// A model on `emo` that accepts profiles (weights are irrelevant here; the rule is the population).
// `distinct`: the two networks weigh features differently (sin/cos patterns), so that a calibrated
// reading cannot equal the plain one by accident.
std::shared_ptr<const ser::ClassifierContext> emo_context(bool distinct = false) {
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
    if (distinct) {
        for (int j = 0; j < d; ++j) {
            m.layers[0].weights(0, j) = 0.05f * std::sin(0.7f * float(j));
            c.layers[0].weights(1, j) = 0.05f * std::cos(0.3f * float(j));
        }
    }
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

// The page's session, clip by clip: a bad clip in between is reported and kept out, the profile
// appears once the usable clips hold enough voiced speech, and it equals the batch calibrate() of
// the usable clips (the CLI's path) to float round-off.
TEST(Calibration, SessionClipByClipEqualsTheBatchProfile) {
    auto ctx = emo_context();
    ser::CalibrationSession session(ctx);
    ASSERT_TRUE(session.status().is_ok()) << session.status().to_string();
    const auto a = voice(170, 0.5, 2.0, 0), b = voice(170, 0.5, 2.0, 1);
    EXPECT_TRUE(session.add("sentence 1", a.data(), a.size()).problem.empty());
    const std::vector<float> silence(32000, 0.0f);
    EXPECT_NE(session.add("sentence 2", silence.data(), silence.size()).problem.find("silent"), std::string::npos);
    std::vector<float> nan_clip = a;
    nan_clip[100] = NAN;
    EXPECT_FALSE(session.add("sentence 2", nan_clip.data(), nan_clip.size()).problem.empty());
    EXPECT_EQ(session.n_usable(), 1);
    EXPECT_TRUE(session.add("sentence 2", b.data(), b.size()).problem.empty());
    EXPECT_EQ(session.clips().size(), 4u);
    auto p = session.profile();
    ASSERT_TRUE(p.is_ok()) << p.status.to_string();
    auto batch = calibrate_clips({a, b});
    ASSERT_TRUE(batch.status.is_ok()) << batch.status.to_string();
    EXPECT_EQ(p.value.n_clips, 2);
    EXPECT_NEAR(p.value.voiced_s, batch.profile.voiced_s, 1e-9);
    EXPECT_LT((p.value.mean - batch.profile.mean).cwiseAbs().maxCoeff(), 1e-5f * batch.profile.mean.cwiseAbs().maxCoeff());
    session.clear();
    EXPECT_EQ(session.n_usable(), 0);
    EXPECT_NE(session.profile().status.message.find("expected at least 0.6 s"), std::string::npos);
}

TEST(Calibration, SessionRefusesAModelWithoutProfiles) {
    auto ctx = emo_context();
    ser::Model plain = ctx->model();
    plain.calibrated.clear();
    auto plain_ctx = ser::ClassifierContext::create(plain);
    ASSERT_TRUE(plain_ctx.is_ok());
    ser::CalibrationSession session(plain_ctx.value);
    EXPECT_FALSE(session.status().is_ok());
    const auto a = voice(170, 0.5, 2.0, 0);
    EXPECT_NE(session.add("sentence 1", a.data(), a.size()).problem.find("without speaker profiles"), std::string::npos);
    EXPECT_EQ(session.n_usable(), 0);
    EXPECT_FALSE(ser::CalibrationSession(nullptr).status().is_ok());
}

// Live readings use the profile as a file's analysis does: the last window's raw probabilities equal
// Classifier::classify of the same 16 kHz samples with the profile, and differ from the plain ones.
TEST(Calibration, LiveReadingsUseTheProfile) {
    auto ctx = emo_context(true);
    auto prof = calibrate_clips({voice(210, 0.3, 2.0, 0), voice(210, 0.3, 2.0, 1)});
    ASSERT_TRUE(prof.status.is_ok()) << prof.status.to_string();
    auto profile = std::make_shared<const ser::SpeakerProfile>(prof.profile);
    ser::Classifier live_classifier(ctx), check(ctx);
    ser::LiveConfig cfg;
    cfg.smoothing_tau_s = 0.0;
    ser::LiveAnalyser live(&live_classifier, cfg);
    live.set_profile(profile);
    ASSERT_TRUE(live.start(16000).is_ok());
    const auto take = voice(150, 0.5, 3.0, 3);
    ASSERT_TRUE(live.push(take.data(), take.size()).is_ok());
    ASSERT_GE(live.n_updates(), 1);
    EXPECT_TRUE(live.calibrated());
    auto with = check.classify(take.data(), take.size(), profile.get());
    auto without = check.classify(take.data(), take.size());
    ASSERT_TRUE(with.is_ok() && without.is_ok());
    const auto& raw = live.raw_probabilities();
    ASSERT_EQ(raw.size(), with.value.probabilities.size());
    float d_with = 0, d_without = 0;
    for (std::size_t k = 0; k < raw.size(); ++k) {
        d_with = std::max(d_with, std::fabs(raw[k] - with.value.probabilities[k]));
        d_without = std::max(d_without, std::fabs(raw[k] - without.value.probabilities[k]));
    }
    EXPECT_LT(d_with, 1e-6f);
    EXPECT_GT(d_without, 1e-3f);
    live.set_profile(nullptr);
    ASSERT_TRUE(live.start(16000).is_ok());
    ASSERT_TRUE(live.push(take.data(), take.size()).is_ok());
    EXPECT_FALSE(live.calibrated());
}

}  // namespace
