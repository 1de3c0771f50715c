// Tests of the YIN F0 tracker (src/ser/frames/pitch.h): analytic tones and harmonic complexes,
// a direct evaluation of the YIN equations, silence, the reference noise signal, invalid input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "npy.h"
#include "ser/frames/pitch.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

// Sum of harmonics k*f0 (k in ks) with amplitude amp/k and fixed, distinct phases.
std::vector<float> harmonic(double f0, const std::vector<int>& ks, double amp, double seconds, int sr) {
    const std::size_t n = std::size_t(seconds * sr);
    std::vector<float> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        double v = 0.0;
        for (int k : ks) v += amp / k * std::sin(2.0 * kPi * k * f0 * double(i) / sr + 0.7 * k);
        y[i] = float(v);
    }
    return y;
}

// Median F0 of voiced frames away from the clip edges.
double median_voiced_f0(const ser::PitchTrack& tr, int skip) {
    std::vector<float> v;
    for (int t = skip; t + skip < tr.n_frames(); ++t)
        if (tr.voiced[t]) v.push_back(tr.f0_hz[t]);
    if (v.empty()) return 0.0;
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
}

int voiced_interior(const ser::PitchTrack& tr, int skip) {
    int n = 0;
    for (int t = skip; t + skip < tr.n_frames(); ++t) n += tr.voiced[t];
    return n;
}

}  // namespace

TEST(ProsodyPitch, SinesWithinOnePercent) {
    ser::PitchTracker tracker;
    ASSERT_TRUE(tracker.status()) << tracker.status().to_string();
    for (double f0 : {70.0, 100.0, 150.0, 220.0, 330.0, 440.0}) {
        const auto y = harmonic(f0, {1}, 0.5, 1.0, 16000);
        ser::PitchTrack tr;
        ASSERT_TRUE(tracker.compute(y.data(), y.size(), tr));
        ASSERT_EQ(tr.n_frames(), 1 + 16000 / 160);
        const int skip = 6;   // frames whose window reaches into the zero padding
        EXPECT_EQ(voiced_interior(tr, skip), tr.n_frames() - 2 * skip) << f0 << " Hz";
        for (int t = skip; t + skip < tr.n_frames(); ++t)
            ASSERT_NEAR(tr.f0_hz[t], f0, 0.01 * f0) << f0 << " Hz, frame " << t;
        EXPECT_NEAR(median_voiced_f0(tr, skip), f0, 0.002 * f0);
    }
}

TEST(ProsodyPitch, HarmonicComplexesAndMissingFundamental) {
    ser::PitchTracker tracker;
    ASSERT_TRUE(tracker.status());
    const int skip = 6;
    struct Case { double f0; std::vector<int> ks; };
    const std::vector<Case> cases = {
        {95.0, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        {180.0, {1, 2, 3, 4, 5, 6}},
        {150.0, {2, 3, 4, 5, 6, 7, 8}},   // no energy at F0 itself: the period is still 1/F0
    };
    for (const Case& c : cases) {
        const auto y = harmonic(c.f0, c.ks, 0.3, 0.8, 16000);
        ser::PitchTrack tr;
        ASSERT_TRUE(tracker.compute(y.data(), y.size(), tr));
        EXPECT_EQ(voiced_interior(tr, skip), tr.n_frames() - 2 * skip) << c.f0;
        for (int t = skip; t + skip < tr.n_frames(); ++t)
            ASSERT_NEAR(tr.f0_hz[t], c.f0, 0.01 * c.f0) << c.f0 << " Hz, frame " << t;
    }
}

TEST(ProsodyPitch, OtherSampleRate) {
    ser::PitchConfig cfg;
    cfg.sample_rate_hz = 44100;
    cfg.frame_length = 2048;
    cfg.win_length = 1024;
    cfg.hop_length = 441;
    ser::PitchTracker tracker(cfg);
    ASSERT_TRUE(tracker.status()) << tracker.status().to_string();
    const auto y = harmonic(123.0, {1, 2, 3}, 0.4, 1.0, 44100);
    ser::PitchTrack tr;
    ASSERT_TRUE(tracker.compute(y.data(), y.size(), tr));
    EXPECT_NEAR(median_voiced_f0(tr, 4), 123.0, 1.23);
}

// The FFT route must equal YIN's equations evaluated directly:
// d(tau) = sum_{j=1..W} (x_j - x_{j+tau})^2, d'(tau) = d(tau) / ((1/tau) sum_{k=1..tau} d(k)).
TEST(ProsodyPitch, CmndEqualsDirectEvaluation) {
    ser::PitchTracker tracker;
    ASSERT_TRUE(tracker.status());
    const int fl = tracker.config().frame_length, w = tracker.config().win_length;
    std::mt19937 gen(7);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> frame(fl);
    for (int i = 0; i < fl; ++i) frame[i] = 0.4f * std::sin(2.0 * kPi * 173.0 * i / 16000.0) + 0.2f * u(gen);
    std::vector<double> got;
    ASSERT_TRUE(tracker.cmnd(frame.data(), got));
    ASSERT_EQ(int(got.size()), tracker.max_period() - tracker.min_period() + 1);
    std::vector<double> d(tracker.max_period() + 1, 0.0);
    for (int tau = 0; tau <= tracker.max_period(); ++tau)
        for (int j = 1; j <= w; ++j) {
            const double e = double(frame[j]) - double(frame[j + tau]);
            d[tau] += e * e;
        }
    double cum = 0.0;
    for (int tau = 1; tau <= tracker.max_period(); ++tau) {
        cum += d[tau];
        if (tau < tracker.min_period()) continue;
        const double want = d[tau] / (cum / tau);
        ASSERT_NEAR(got[tau - tracker.min_period()], want, 1e-6 + 1e-6 * want) << "tau " << tau;
    }
}

TEST(ProsodyPitch, VoicedProbabilityIsBetaTail) {
    // Independent check of the closed form: Simpson integration of the Beta(2, b) density
    // x (1-x)^(b-1) / B(2, b), from d to 1, with B(2, b) = Gamma(2) Gamma(b) / Gamma(b+2).
    for (float mean : {0.1f, 0.15f, 0.2f, 0.3f}) {
        const double b = 2.0 / mean - 2.0;
        const double beta_fn = std::exp(std::lgamma(2.0) + std::lgamma(b) - std::lgamma(b + 2.0));
        for (double d : {0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.9}) {
            const int n = 4000;
            const double h = (1.0 - d) / n;
            double s = 0.0;
            for (int i = 0; i <= n; ++i) {
                const double x = d + i * h;
                const double f = x * std::pow(1.0 - x, b - 1.0) / beta_fn;
                s += f * ((i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0));
            }
            s *= h / 3.0;
            EXPECT_NEAR(ser::yin_voiced_probability(float(d), mean), s, 1e-4) << mean << " " << d;
        }
    }
    EXPECT_FLOAT_EQ(ser::yin_voiced_probability(-1.0f, 0.1f), 1.0f);
    EXPECT_FLOAT_EQ(ser::yin_voiced_probability(5.0f, 0.1f), 0.0f);
}

TEST(ProsodyPitch, SilenceIsUnvoiced) {
    ser::PitchTracker tracker;
    const std::vector<float> y(8000, 0.0f);
    ser::PitchTrack tr;
    ASSERT_TRUE(tracker.compute(y.data(), y.size(), tr));
    ASSERT_EQ(tr.n_frames(), 51);
    for (int t = 0; t < tr.n_frames(); ++t) {
        EXPECT_EQ(tr.voiced[t], 0);
        EXPECT_EQ(tr.voiced_prob[t], 0.0f);
        EXPECT_TRUE(std::isfinite(tr.f0_hz[t]));
    }
    EXPECT_EQ(tr.voiced_ratio(), 0.0f);
}

TEST(ProsodyPitch, ReferenceWhiteNoiseIsUnvoiced) {
    // librosa reference input: 0.1 * standard normal (numpy default_rng(1234)), 1 s.
    const auto noise = ser::test::read_npy(ser::test::shared_path("reference/signals/noise_rng1234.npy"));
    ASSERT_TRUE(noise.ok()) << noise.error;
    ser::PitchTracker tracker;
    ser::PitchTrack tr;
    ASSERT_TRUE(tracker.compute(noise.data.data(), noise.data.size(), tr));
    EXPECT_LT(tr.voiced_ratio(), 0.03f);
    double mean_prob = 0.0;
    for (float p : tr.voiced_prob) mean_prob += p;
    EXPECT_LT(mean_prob / tr.n_frames(), 0.05);
}

TEST(ProsodyPitch, SpeechClipIsPartlyVoicedInSpeechRange) {
    const auto clip = ser::test::read_npy(ser::test::shared_path("reference/signals/ravdess_a01_angry.npy"));
    ASSERT_TRUE(clip.ok()) << clip.error;
    ser::PitchTracker tracker;
    ser::PitchTrack tr;
    ASSERT_TRUE(tracker.compute(clip.data.data(), clip.data.size(), tr));
    EXPECT_EQ(tr.n_frames(), 411);   // the C2 frame count of this clip (reference/README.md)
    EXPECT_GT(tr.voiced_ratio(), 0.15f);
    EXPECT_LT(tr.voiced_ratio(), 0.9f);
    const double f0 = median_voiced_f0(tr, 0);
    EXPECT_GT(f0, 80.0);
    EXPECT_LT(f0, 400.0);
}

TEST(ProsodyPitch, ShortInputGivesCentredFrames) {
    ser::PitchTracker tracker;
    const auto y = harmonic(200.0, {1}, 0.5, 0.01, 16000);   // 160 samples
    ser::PitchTrack tr;
    ASSERT_TRUE(tracker.compute(y.data(), y.size(), tr));
    EXPECT_EQ(tr.n_frames(), 2);
    const float one = 0.3f;
    ASSERT_TRUE(tracker.compute(&one, 1, tr));
    EXPECT_EQ(tr.n_frames(), 1);
}

TEST(ProsodyPitch, InvalidInputAndConfig) {
    ser::PitchTracker tracker;
    ser::PitchTrack tr;
    EXPECT_FALSE(tracker.compute(nullptr, 0, tr));
    std::vector<float> y(1000, 0.1f);
    y[500] = std::numeric_limits<float>::quiet_NaN();
    const ser::Status st = tracker.compute(y.data(), y.size(), tr);
    EXPECT_FALSE(st);
    EXPECT_EQ(st.module, "pitch");
    EXPECT_NE(st.message.find("500"), std::string::npos) << st.message;

    ser::PitchConfig c;
    c.fmin_hz = 20.0f;   // period 800 samples does not fit 1024 - 512 - 1
    EXPECT_FALSE(c.validate());
    EXPECT_FALSE(ser::PitchTracker(c).status());
    c = ser::PitchConfig();
    c.fmax_hz = 9000.0f;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.frame_length = 1023;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.win_length = 1024;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.hop_length = 0;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.trough_threshold = 0.0f;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.prior_mean = 0.9f;
    EXPECT_FALSE(c.validate());
    c = ser::PitchConfig();
    c.fmin_hz = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(c.validate());
    ser::PitchTracker bad(c);
    EXPECT_FALSE(bad.compute(y.data(), 10, tr));
}
