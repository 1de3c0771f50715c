// Tests of the "emo" feature set (src/ser/vectors/emo_set.h): registry entry and names, gain
// invariance, agreement after a 44.1 kHz round trip, F0 of a synthetic vowel-like tone, silence,
// wrong extractor.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/audio/resample.h"
#include "ser/vectors/emo_set.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "npy.h"

namespace {

std::vector<float> load_signal(const std::string& name) {
    const auto a = ser::test::read_npy(ser::test::shared_path("reference/signals/" + name + ".npy"));
    EXPECT_TRUE(a.ok()) << a.error;
    return a.data;
}

int index_of(const std::vector<std::string>& names, const std::string& n) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == n) return int(i);
    return -1;
}

}  // namespace

TEST(ProsodyEmo, RegisteredWithMatchingNames) {
    auto info = ser::feature_set_by_name("emo");
    ASSERT_TRUE(info) << info.status.to_string();
    EXPECT_EQ(info.value.config, "C2");
    auto names = ser::feature_vector_names("emo");
    ASSERT_TRUE(names);
    EXPECT_EQ(names.value, ser::emo_names());
    ser::FeatureExtractor ex(ser::config_c2());
    const auto y = load_signal("ravdess_a03_happy");
    ser::FeatureVector fv;
    ASSERT_TRUE(ser::compute_feature_vector("emo", ex, y.data(), y.size(), fv));
    ASSERT_EQ(fv.values.size(), names.value.size());
    for (std::size_t i = 0; i < fv.values.size(); ++i) EXPECT_TRUE(std::isfinite(fv.values[i])) << fv.names[i];
    // A female speaker's happy clip: median F0 well above 100 Hz (0 semitones), partly voiced.
    EXPECT_GT(fv.values[index_of(ser::emo_names(), "f0_st_p50")], 3.0f);
    EXPECT_GT(fv.values[index_of(ser::emo_names(), "voice_ratio")], 0.2f);
    EXPECT_LT(fv.values[index_of(ser::emo_names(), "dur_trimmed_s")], y.size() / 16000.0f);
}

TEST(ProsodyEmo, GainInvariant) {
    ser::FeatureExtractor ex(ser::config_c2());
    // The loud angry clip at -12 dB, and the quiet neutral clip (loudest frame near -35 dBFS) at
    // -20 dB: with the earlier absolute voicing floor of -70 dBFS the latter's quieter voiced
    // frames lost their F0.
    const struct {
        const char* name;
        float gain;
    } cases[] = {{"ravdess_a01_angry", 0.25f}, {"ravdess_a02_neutral", 0.1f}};
    for (const auto& c : cases) {
        const auto y = load_signal(c.name);
        std::vector<float> quiet(y.size());
        for (std::size_t i = 0; i < y.size(); ++i) quiet[i] = y[i] * c.gain;
        ser::FeatureVector a, b;
        ASSERT_TRUE(ser::compute_emo(ex, y.data(), y.size(), a));
        ASSERT_TRUE(ser::compute_emo(ex, quiet.data(), quiet.size(), b));
        for (std::size_t i = 0; i < a.values.size(); ++i)
            EXPECT_NEAR(b.values[i], a.values[i], 1e-3 * (1.0 + std::fabs(a.values[i])))
                << ser::emo_names()[i] << ", " << c.name << " at gain " << c.gain;
    }
}

TEST(ProsodyEmo, StableThroughA44kRoundTrip) {
    // What a 44.1 kHz file goes through before the features: the decoded clip at 44.1 kHz is
    // resampled to 16 kHz. The prosodic summary must hardly move.
    ser::FeatureExtractor ex(ser::config_c2());
    const auto clip = load_signal("ravdess_a02_neutral");
    const std::vector<float> y(clip.begin() + 16000, clip.begin() + 40000);   // 1.5 s of speech
    auto up = ser::resample(y.data(), y.size(), 16000, 44100);
    ASSERT_TRUE(up);
    auto back = ser::resample(up.value.data(), up.value.size(), 44100, 16000);
    ASSERT_TRUE(back);
    ser::FeatureVector a, b;
    ASSERT_TRUE(ser::compute_emo(ex, y.data(), y.size(), a));
    ASSERT_TRUE(ser::compute_emo(ex, back.value.data(), back.value.size(), b));
    for (const char* n : {"f0_st_p50", "f0_st_mean", "voice_ratio", "energy_rel_db_mean", "spec_centroid_mean",
                          "mfcc1_mean", "dur_trimmed_s"}) {
        const int i = index_of(ser::emo_names(), n);
        ASSERT_GE(i, 0) << n;
        EXPECT_NEAR(b.values[i], a.values[i], 0.02 * (1.0 + std::fabs(a.values[i]))) << n;
    }
}

TEST(ProsodyEmo, SyntheticVowelF0) {
    // 0.2 s silence, 1 s of a 7-harmonic tone gliding 150 -> 180 Hz, 0.2 s silence.
    std::vector<float> y(3200, 0.0f);
    double phase = 0.0;
    for (int i = 0; i < 16000; ++i) {
        const double f0 = 150.0 + 30.0 * i / 16000.0;
        phase += 2.0 * 3.14159265358979323846 * f0 / 16000.0;
        double v = 0.0;
        for (int k = 1; k <= 7; ++k) v += 0.3 / k * std::sin(k * phase);
        y.push_back(float(v));
    }
    y.insert(y.end(), 3200, 0.0f);
    ser::FeatureExtractor ex(ser::config_c2());
    ser::FeatureVector fv;
    ASSERT_TRUE(ser::compute_emo(ex, y.data(), y.size(), fv));
    const double st = [&](double hz) { return 12.0 * std::log2(hz / 100.0); }(165.0);
    EXPECT_NEAR(fv.values[index_of(ser::emo_names(), "f0_st_p50")], st, 0.3);
    // 150 -> 180 Hz over 1 s is 3.16 semitones per second.
    EXPECT_NEAR(fv.values[index_of(ser::emo_names(), "f0_slope_st_per_s")], 12.0 * std::log2(180.0 / 150.0), 0.4);
    EXPECT_GT(fv.values[index_of(ser::emo_names(), "voice_ratio")], 0.9f);
    EXPECT_NEAR(fv.values[index_of(ser::emo_names(), "dur_trimmed_s")], 1.0, 0.05);
}

TEST(ProsodyEmo, SilenceAndWrongExtractor) {
    ser::FeatureExtractor c2(ser::config_c2());
    const std::vector<float> silence(8000, 0.0f);
    ser::FeatureVector fv;
    ASSERT_TRUE(ser::compute_emo(c2, silence.data(), silence.size(), fv));
    for (float v : fv.values) EXPECT_TRUE(std::isfinite(v));
    EXPECT_EQ(fv.values[index_of(ser::emo_names(), "voice_ratio")], 0.0f);
    ser::FeatureExtractor c1(ser::config_c1());
    const ser::Status st = ser::compute_emo(c1, silence.data(), silence.size(), fv);
    EXPECT_FALSE(st);
    EXPECT_EQ(st.module, "emo");
    EXPECT_FALSE(ser::compute_feature_vector("emo", c1, silence.data(), silence.size(), fv));
}
