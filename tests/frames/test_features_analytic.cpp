// Frame features on analytic signals (sines, silence) and invalid configs/inputs; feature-set layout.
// Independent of librosa: expected values follow from the definitions (reference README 4).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> sine(double freq_hz, double amplitude, int n, int sr = 16000) {
    std::vector<float> y(n);
    for (int i = 0; i < n; ++i) y[i] = float(amplitude * std::sin(2 * kPi * freq_hz * i / sr));
    return y;
}

ser::FrameFeatures compute_ok(const ser::FeatureConfig& c, const std::vector<float>& y) {
    ser::FeatureExtractor fx(c);
    EXPECT_TRUE(fx.status().is_ok()) << fx.status().to_string();
    ser::FrameFeatures f;
    const ser::Status s = fx.compute(y.data(), y.size(), f);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return f;
}

// Interior frames: those whose n_fft window lies fully inside the signal.
std::vector<int> interior_frames(const ser::FeatureConfig& c, int n_samples, int n_frames) {
    std::vector<int> out;
    for (int t = 0; t < n_frames; ++t) {
        const long start = long(t) * c.hop_length - c.n_fft / 2;
        if (start >= 0 && start + c.n_fft <= n_samples) out.push_back(t);
    }
    return out;
}

TEST(FeaturesAnalytic, FrameCountFollowsCentredFraming) {
    for (const ser::FeatureConfig& c : {ser::config_c1(), ser::config_c2()}) {
        for (int n : {1, 159, 160, 400, 4800, 16000}) {
            const ser::FrameFeatures f = compute_ok(c, std::vector<float>(n, 0.1f));
            EXPECT_EQ(f.n_frames, 1 + n / c.hop_length) << c.name << " n=" << n;
            EXPECT_EQ(f.stft_mag.rows(), c.n_fft / 2 + 1);
            EXPECT_EQ(f.melspec.rows(), c.n_mels);
            EXPECT_EQ(f.mfcc.rows(), c.n_mfcc);
            EXPECT_EQ(f.chroma.rows(), 12);
            EXPECT_EQ(f.zcr.cols(), f.n_frames);
            EXPECT_EQ(f.rms.cols(), f.n_frames);
        }
    }
}

TEST(FeaturesAnalytic, SineOnABinPeaksInThatBin) {
    for (const ser::FeatureConfig& c : {ser::config_c1(), ser::config_c2()}) {
        const int k0 = c.n_fft / 16;  // sr/16 = 1000 Hz in both configurations
        const double f0 = double(k0) * c.sample_rate_hz / c.n_fft;
        const double amp = 0.5;
        const std::vector<float> y = sine(f0, amp, 16000);
        const ser::FrameFeatures f = compute_ok(c, y);
        // Window sum: periodic Hann of win_length sums to win_length/2, so |X[k0]| = A * win/4.
        const double expected = amp * c.win_length / 4.0;
        for (int t : interior_frames(c, int(y.size()), f.n_frames)) {
            Eigen::Index k_max = 0;
            f.stft_mag.col(t).maxCoeff(&k_max);
            EXPECT_EQ(k_max, k0) << c.name << " frame " << t;
            EXPECT_NEAR(f.stft_mag(k0, t), expected, expected * 1e-4) << c.name << " frame " << t;
        }
    }
}

TEST(FeaturesAnalytic, RmsOfSineIsAmplitudeOverSqrt2) {
    for (const ser::FeatureConfig& c : {ser::config_c1(), ser::config_c2()}) {
        const double amp = 0.3;
        // 1000 Hz: a 16-sample period, so every frame holds whole periods.
        const std::vector<float> y = sine(1000.0, amp, 16000);
        const ser::FrameFeatures f = compute_ok(c, y);
        const auto frames = interior_frames(c, int(y.size()), f.n_frames);
        ASSERT_FALSE(frames.empty());
        for (int t : frames) EXPECT_NEAR(f.rms(0, t), amp / std::sqrt(2.0), 1e-6) << c.name << " frame " << t;
        // Edge frames include zero padding: half a frame of signal gives A/2.
        EXPECT_NEAR(f.rms(0, 0), amp / 2.0, 1e-3);
    }
}

TEST(FeaturesAnalytic, ZcrOfSineIsTwiceItsFrequency) {
    const ser::FeatureConfig c = ser::config_c1();
    const double f0 = 440.0;
    const std::vector<float> y = sine(f0, 0.5, 16000);
    const ser::FrameFeatures f = compute_ok(c, y);
    for (int t : interior_frames(c, int(y.size()), f.n_frames))
        EXPECT_NEAR(f.zcr(0, t), 2 * f0 / c.sample_rate_hz, 2.0 / c.n_fft) << "frame " << t;
    // Edge padding repeats the first sample (0): the first frame's left half has no crossing.
    EXPECT_NEAR(f.zcr(0, 0), f0 / c.sample_rate_hz, 2.0 / c.n_fft);
}

TEST(FeaturesAnalytic, SilenceGivesFiniteFloorValues) {
    for (const ser::FeatureConfig& c : {ser::config_c1(), ser::config_c2()}) {
        const ser::FrameFeatures f = compute_ok(c, std::vector<float>(8000, 0.0f));
        EXPECT_TRUE(f.stft_mag.allFinite() && f.melspec.allFinite() && f.melspec_db.allFinite() &&
                    f.mfcc.allFinite() && f.chroma.allFinite());
        EXPECT_NEAR(f.melspec_db.maxCoeff(), -100.0, 1e-4);
        EXPECT_NEAR(f.melspec_db.minCoeff(), -100.0, 1e-4);
        const double c0 = -100.0 * std::sqrt(double(c.n_mels));
        for (int t = 0; t < f.n_frames; ++t) {
            EXPECT_NEAR(f.mfcc(0, t), c0, 1e-4 * std::fabs(c0));
            for (int k = 1; k < c.n_mfcc; ++k) EXPECT_NEAR(f.mfcc(k, t), 0.0, 1e-3);
        }
        EXPECT_EQ(f.chroma.cwiseAbs().maxCoeff(), 0.0f);
        EXPECT_EQ(f.zcr.maxCoeff(), 0.0f);
        EXPECT_EQ(f.rms.maxCoeff(), 0.0f);
        EXPECT_EQ(f.tuning, 0.0f);
    }
}

TEST(FeaturesAnalytic, SineChromaPeaksInItsPitchClass) {
    // pitch class 0 = C: C4 261.63 Hz -> 0, E4 329.63 -> 4, A4 440 -> 9, B4 493.88 -> 11.
    // C2's bins are 31.25 Hz apart (more than a semitone below ~530 Hz), so it gets the
    // octave above, where the bins next to each note still fall in its pitch class.
    for (const ser::FeatureConfig& c : {ser::config_c1(), ser::config_c2()}) {
        const double octave = c.n_fft >= 2048 ? 1.0 : 2.0;
        const std::vector<std::pair<double, int>> notes = {
            {261.63 * octave, 0}, {329.63 * octave, 4}, {440.0 * octave, 9}, {493.88 * octave, 11}};
        for (const auto& [freq, pc] : notes) {
            const std::vector<float> y = sine(freq, 0.5, 16000);
            const ser::FrameFeatures f = compute_ok(c, y);
            for (int t : interior_frames(c, int(y.size()), f.n_frames)) {
                Eigen::Index row = 0;
                f.chroma.col(t).maxCoeff(&row);
                EXPECT_EQ(row, pc) << c.name << " " << freq << " Hz frame " << t;
                EXPECT_FLOAT_EQ(f.chroma(row, t), 1.0f);  // norm=inf
            }
        }
    }
}

TEST(FeaturesAnalytic, MelFilterbankRowsAreSlaneyTriangles) {
    const ser::FeatureConfig c = ser::config_c1();
    ser::FeatureExtractor fx(c);
    ASSERT_TRUE(fx.status().is_ok());
    const Eigen::MatrixXf& w = fx.mel_filterbank();
    // Slaney area normalisation: each triangle integrates (over Hz) to about 1, so the sum of a
    // row times the bin spacing is close to 1 for rows wide enough to be sampled well.
    const double df = double(c.sample_rate_hz) / c.n_fft;
    for (int m = 20; m < c.n_mels; ++m) EXPECT_NEAR(w.row(m).sum() * df, 1.0, 0.05) << "row " << m;
    EXPECT_GE(w.minCoeff(), 0.0f);
}

TEST(FeaturesAnalytic, WindowIsPeriodicHannCentred) {
    const ser::FeatureConfig c = ser::config_c2();
    ser::FeatureExtractor fx(c);
    ASSERT_TRUE(fx.status().is_ok());
    const Eigen::VectorXf& w = fx.window();
    ASSERT_EQ(w.size(), c.n_fft);
    const int off = (c.n_fft - c.win_length) / 2;
    for (int i = 0; i < c.n_fft; ++i) {
        const int n = i - off;
        const double expected = (n < 0 || n >= c.win_length) ? 0.0 : 0.5 - 0.5 * std::cos(2 * kPi * n / c.win_length);
        EXPECT_NEAR(w[i], expected, 1e-7) << i;
    }
}

TEST(FeaturesAnalytic, InvalidConfigsAreRefused) {
    std::vector<ser::FeatureConfig> bad(9, ser::config_c1());
    bad[0].n_fft = 1000;          // not a power of two
    bad[1].hop_length = 0;
    bad[2].win_length = 4096;     // longer than n_fft
    bad[3].fmax_hz = 9000.0f;     // above sr/2
    bad[4].n_mfcc = 200;          // more than n_mels
    bad[5].n_mels = 0;
    bad[6].fmin_hz = 8000.0f;     // fmin >= fmax
    bad[7].sample_rate_hz = 0;
    bad[8].top_db = -1.0f;
    for (std::size_t i = 0; i < bad.size(); ++i) {
        const ser::Status v = bad[i].validate();
        EXPECT_FALSE(v.is_ok()) << "case " << i;
        EXPECT_EQ(v.module, "feature_config");
        EXPECT_NE(v.message.find("expected"), std::string::npos) << v.message;
        ser::FeatureExtractor fx(bad[i]);
        EXPECT_FALSE(fx.status().is_ok()) << "case " << i;
        ser::FrameFeatures f;
        const float y[4] = {0.1f, 0.2f, 0.3f, 0.4f};
        EXPECT_FALSE(fx.compute(y, 4, f).is_ok()) << "case " << i;
    }
    EXPECT_TRUE(ser::config_c1().validate().is_ok());
    EXPECT_TRUE(ser::config_c2().validate().is_ok());
}

TEST(FeaturesAnalytic, InvalidInputsAreRefused) {
    ser::FeatureExtractor fx(ser::config_c1());
    ASSERT_TRUE(fx.status().is_ok());
    ser::FrameFeatures f;
    EXPECT_FALSE(fx.compute(nullptr, 0, f).is_ok());
    std::vector<float> y(1000, 0.1f);
    EXPECT_FALSE(fx.compute(y.data(), 0, f).is_ok());
    y[500] = std::numeric_limits<float>::quiet_NaN();
    ser::Status s = fx.compute(y.data(), y.size(), f);
    EXPECT_FALSE(s.is_ok());
    EXPECT_NE(s.message.find("500"), std::string::npos) << s.message;
    y[500] = std::numeric_limits<float>::infinity();
    EXPECT_FALSE(fx.compute(y.data(), y.size(), f).is_ok());
    // After an error the extractor still works.
    y[500] = 0.0f;
    EXPECT_TRUE(fx.compute(y.data(), y.size(), f).is_ok());
}

TEST(FeaturesAnalytic, ConfigNamesAndDescriptions) {
    for (const std::string& n : ser::config_names()) {
        auto c = ser::config_by_name(n);
        ASSERT_TRUE(c.is_ok()) << n;
        EXPECT_EQ(c.value.name, n);
        EXPECT_NE(c.value.describe().find(n), std::string::npos);
    }
    EXPECT_TRUE(ser::config_by_name("speech").is_ok());
    EXPECT_FALSE(ser::config_by_name("C9").is_ok());
    EXPECT_FALSE(ser::config_c1().same_as(ser::config_c2()));
    EXPECT_TRUE(ser::config_c1().same_as(ser::config_c1()));
}

TEST(FeatureSets, RegistryNamesAndLengths) {
    ASSERT_FALSE(ser::feature_sets().empty());
    for (const ser::FeatureSetInfo& info : ser::feature_sets()) {
        auto names = ser::feature_vector_names(info.name);
        ASSERT_TRUE(names.is_ok()) << info.name;
        std::set<std::string> unique(names.value.begin(), names.value.end());
        EXPECT_EQ(unique.size(), names.value.size()) << info.name << ": duplicate names";
        auto cfg = ser::config_by_name(info.config);
        ASSERT_TRUE(cfg.is_ok()) << info.name;
        ser::FeatureExtractor fx(cfg.value);
        const std::vector<float> y = sine(440.0, 0.3, 12000);
        ser::FeatureVector v;
        const ser::Status s = ser::compute_feature_vector(info.name, fx, y.data(), y.size(), v);
        ASSERT_TRUE(s.is_ok()) << s.to_string();
        EXPECT_EQ(v.values.size(), names.value.size());
        EXPECT_EQ(v.names, names.value);
        for (float x : v.values) EXPECT_TRUE(std::isfinite(x)) << info.name;
    }
    auto seed = ser::feature_vector_names("seed");
    ASSERT_TRUE(seed.is_ok());
    EXPECT_EQ(seed.value.size(), 162u);
    EXPECT_EQ(seed.value[0], "zcr_mean");
    EXPECT_EQ(seed.value[33], "rms_mean");
    EXPECT_EQ(seed.value[161], "mel127_mean");
    EXPECT_FALSE(ser::feature_set_by_name("nope").is_ok());
    EXPECT_FALSE(ser::feature_vector_names("nope").is_ok());
}

TEST(FeatureSets, ErrorsForWrongConfigAndBadInput) {
    ser::FeatureExtractor c2(ser::config_c2());
    std::vector<float> y(4000, 0.1f);
    ser::FeatureVector v;
    EXPECT_FALSE(ser::compute_feature_vector("seed", c2, y.data(), y.size(), v).is_ok());
    EXPECT_FALSE(ser::compute_feature_vector("nope", c2, y.data(), y.size(), v).is_ok());
    ser::FeatureExtractor c1(ser::config_c1());
    EXPECT_FALSE(ser::compute_feature_vector("seed", c1, y.data(), 0, v).is_ok());
    y[3] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(ser::compute_feature_vector("seed", c1, y.data(), y.size(), v).is_ok());
}

TEST(FeatureSets, StatsValuesMatchTheirNames) {
    // Each named statistic equals the statistic computed here from the frame matrices.
    auto info = ser::feature_set_by_name("stats");
    ASSERT_TRUE(info.is_ok());
    auto cfg = ser::config_by_name(info.value.config);
    ASSERT_TRUE(cfg.is_ok());
    ser::FeatureExtractor fx(cfg.value);
    std::vector<float> y = sine(300.0, 0.2, 20000);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] *= float(i) / y.size();  // a rising level
    ser::FeatureVector v;
    ASSERT_TRUE(ser::compute_feature_vector("stats", fx, y.data(), y.size(), v).is_ok());
    ser::FrameFeatures f;
    ASSERT_TRUE(fx.compute(y.data(), y.size(), f).is_ok());
    auto value = [&](const std::string& name) {
        for (std::size_t i = 0; i < v.names.size(); ++i)
            if (v.names[i] == name) return double(v.values[i]);
        ADD_FAILURE() << "no value named " << name;
        return 0.0;
    };
    const Eigen::ArrayXf m3 = f.mfcc.row(3).array();
    const double mean3 = m3.cast<double>().mean();
    const double std3 = std::sqrt((m3.cast<double>() - mean3).square().mean());
    EXPECT_NEAR(value("mfcc3_mean"), mean3, 1e-4 * std::fabs(mean3) + 1e-5);
    EXPECT_NEAR(value("mfcc3_std"), std3, 1e-4 * std3 + 1e-5);
    const double rms_mean = f.rms.cast<double>().mean();
    EXPECT_NEAR(value("rms_mean"), rms_mean, 1e-6);
    const double db17 = f.melspec_db.row(17).cast<double>().mean();
    EXPECT_NEAR(value("meldb17_mean"), db17, 1e-4 * std::fabs(db17));
    // The level rises linearly, so the RMS delta is positive on average.
    EXPECT_GT(value("rms_delta_mean"), 0.0);
}

TEST(FeatureSets, DeltaOfALineIsItsSlope) {
    for (int n_frames : {20, 9, 5, 2}) {
        Eigen::MatrixXf m(2, n_frames);
        for (int t = 0; t < n_frames; ++t) {
            m(0, t) = 3.0f * t + 1.0f;
            m(1, t) = -0.5f * t;
        }
        const Eigen::MatrixXf d = ser::delta_width9(m);
        for (int t = 0; t < n_frames; ++t) {
            EXPECT_NEAR(d(0, t), 3.0, 1e-5) << n_frames << " " << t;
            EXPECT_NEAR(d(1, t), -0.5, 1e-5) << n_frames << " " << t;
        }
    }
    const Eigen::MatrixXf one = Eigen::MatrixXf::Constant(1, 1, 4.0f);
    EXPECT_EQ(ser::delta_width9(one)(0, 0), 0.0f);
    // A parabola x = t^2 has slope 2t in the interior.
    Eigen::MatrixXf p(1, 30);
    for (int t = 0; t < 30; ++t) p(0, t) = float(t * t);
    const Eigen::MatrixXf dp = ser::delta_width9(p);
    for (int t = 4; t < 26; ++t) EXPECT_NEAR(dp(0, t), 2.0 * t, 1e-4);
}

}  // namespace

namespace {

TEST(FeaturesAnalytic, ViewEqualsCopiedMatricesAndSurvivesSizeChanges) {
    ser::FeatureExtractor fx(ser::config_c1());
    ASSERT_TRUE(fx.status().is_ok());
    // Long, short, long again: the grow-only buffers must give the same numbers each time.
    for (int n : {40000, 1200, 40000, 7000}) {
        const std::vector<float> y = sine(523.25, 0.4, n);
        ser::FrameFeatures f;
        ASSERT_TRUE(fx.compute(y.data(), y.size(), f).is_ok());
        ser::FrameFeaturesView v;
        ASSERT_TRUE(fx.compute_view(y.data(), y.size(), v).is_ok());
        ASSERT_EQ(v.n_frames, f.n_frames);
        EXPECT_EQ(v.tuning, f.tuning);
        EXPECT_TRUE(v.stft_mag == f.stft_mag);
        EXPECT_TRUE(v.melspec == f.melspec);
        EXPECT_TRUE(v.melspec_db == f.melspec_db);
        EXPECT_TRUE(v.mfcc == f.mfcc);
        EXPECT_TRUE(v.chroma == f.chroma);
        EXPECT_TRUE(v.zcr == f.zcr);
        EXPECT_TRUE(v.rms == f.rms);
        // A fresh extractor gives the same result (no state leaks between clips).
        ser::FeatureExtractor fresh(ser::config_c1());
        ser::FrameFeatures g;
        ASSERT_TRUE(fresh.compute(y.data(), y.size(), g).is_ok());
        EXPECT_TRUE(g.mfcc == f.mfcc) << n;
        EXPECT_TRUE(g.chroma == f.chroma) << n;
    }
}

}  // namespace
