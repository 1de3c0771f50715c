// Tests of the augmentation module (src/ser/train/augment.h): noise
// spectra (white flat, pink -3 dB/octave), measured SNR, gain, speed change measured on a tone,
// sample-rate round trips, the random chain's determinism, invalid input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ser/train/augment.h"
#include "kiss_fftr.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> tone(double f, double amp, std::size_t n, int sr = 16000) {
    std::vector<float> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = float(amp * std::sin(2.0 * kPi * f * double(i) / sr + 0.3));
    return y;
}

double power(const std::vector<float>& y, std::size_t from = 0, std::size_t to = 0) {
    if (to == 0) to = y.size();
    double p = 0.0;
    for (std::size_t i = from; i < to; ++i) p += double(y[i]) * y[i];
    return p / double(to - from);
}

// Welch estimate: mean Hann-windowed periodogram of 4096-sample segments, summed per band.
double band_power(const std::vector<float>& y, double lo_hz, double hi_hz, int sr = 16000) {
    const int n = 4096;
    kiss_fftr_cfg cfg = kiss_fftr_alloc(n, 0, nullptr, nullptr);
    std::vector<double> frame(n);
    std::vector<kiss_fft_cpx> spec(n / 2 + 1);
    std::vector<double> psd(n / 2 + 1, 0.0);
    int segments = 0;
    for (std::size_t start = 0; start + n <= y.size(); start += n / 2, ++segments) {
        for (int i = 0; i < n; ++i) frame[i] = y[start + i] * (0.5 - 0.5 * std::cos(2.0 * kPi * i / n));
        kiss_fftr(cfg, frame.data(), spec.data());
        for (int k = 0; k <= n / 2; ++k) psd[k] += spec[k].r * spec[k].r + spec[k].i * spec[k].i;
    }
    kiss_fftr_free(cfg);
    double p = 0.0;
    for (int k = 0; k <= n / 2; ++k) {
        const double f = double(k) * sr / n;
        if (f >= lo_hz && f < hi_hz) p += psd[k];
    }
    return p / segments;
}

// Frequency of a tone from its zero crossings over [from, to).
double crossing_frequency(const std::vector<float>& y, std::size_t from, std::size_t to, int sr = 16000) {
    long first = -1, last = -1, count = 0;
    for (std::size_t i = from + 1; i < to; ++i)
        if ((y[i - 1] < 0.0f) != (y[i] < 0.0f)) {
            if (first < 0) first = long(i);
            last = long(i);
            ++count;
        }
    return (count - 1) / 2.0 / (double(last - first) / sr);
}

}  // namespace

TEST(ProsodyAugment, NoiseSpectraWhiteAndPink) {
    ser::Rng rng(1);
    auto white = ser::make_noise(ser::NoiseKind::white, 160000, rng);
    auto pink = ser::make_noise(ser::NoiseKind::pink, 160000, rng);
    ASSERT_TRUE(white && pink);
    EXPECT_NEAR(power(white.value), 1.0, 1e-5);
    EXPECT_NEAR(power(pink.value), 1.0, 1e-5);
    // Octave bands 125..8000 Hz: white gains +3.01 dB per octave, pink stays level.
    double prev_w = 0.0, prev_p = 0.0;
    for (double lo = 125.0; lo < 8000.0; lo *= 2.0) {
        const double w = 10.0 * std::log10(band_power(white.value, lo, 2.0 * lo));
        const double p = 10.0 * std::log10(band_power(pink.value, lo, 2.0 * lo));
        if (lo > 125.0) {
            EXPECT_NEAR(w - prev_w, 3.01, 0.5) << lo << " Hz";
            EXPECT_NEAR(p - prev_p, 0.0, 0.6) << lo << " Hz";
        }
        prev_w = w;
        prev_p = p;
    }
    // Variance is constant along the clip (the overlap-add joins blocks of 65536).
    const auto& y = pink.value;
    for (std::size_t start = 0; start + 16000 <= y.size(); start += 16000)
        EXPECT_NEAR(power(y, start, start + 16000), 1.0, 0.25) << start;
}

TEST(ProsodyAugment, AddNoiseHitsTheSnr) {
    const auto clean = tone(220.0, 0.3, 32000);
    for (auto kind : {ser::NoiseKind::white, ser::NoiseKind::pink})
        for (double snr : {0.0, 10.0, 25.0}) {
            std::vector<float> y = clean;
            ser::Rng rng(99);
            ASSERT_TRUE(ser::add_noise(y, kind, snr, rng));
            double noise = 0.0, sig = 0.0;
            for (std::size_t i = 0; i < y.size(); ++i) {
                const double d = double(y[i]) - clean[i];
                noise += d * d;
                sig += double(clean[i]) * clean[i];
            }
            EXPECT_NEAR(10.0 * std::log10(sig / noise), snr, 0.01);
        }
}

TEST(ProsodyAugment, GainScalesAmplitude) {
    std::vector<float> y = tone(300.0, 0.1, 1000);
    const auto x = y;
    ASSERT_TRUE(ser::apply_gain(y, 20.0 * std::log10(2.0)));
    for (std::size_t i = 0; i < y.size(); ++i) ASSERT_NEAR(y[i], 2.0f * x[i], 1e-6f);
}

TEST(ProsodyAugment, SpeedChangeScalesDurationAndPitch) {
    const std::size_t n = 16000;
    const auto x = tone(200.0, 0.5, n);
    for (double factor : {0.8, 1.1, 1.25}) {
        auto y = ser::change_speed(x.data(), x.size(), factor);
        ASSERT_TRUE(y) << y.status.to_string();
        EXPECT_NEAR(double(y.value.size()), n / factor, 2.0) << factor;
        const std::size_t m = y.value.size();
        EXPECT_NEAR(crossing_frequency(y.value, m / 10, m - m / 10), 200.0 * factor, 0.5) << factor;
    }
}

TEST(ProsodyAugment, RateRoundTripKeepsTheBand) {
    const std::size_t n = 16000;
    const auto x = tone(1000.0, 0.5, n);
    for (int via : {22050, 44100, 48000, 8000}) {
        auto y = ser::rate_round_trip(x.data(), x.size(), via);
        ASSERT_TRUE(y) << y.status.to_string();
        ASSERT_EQ(y.value.size(), n);
        double err = 0.0;
        for (std::size_t i = 1000; i < n - 1000; ++i) err += std::pow(double(y.value[i]) - x[i], 2);
        err /= double(n - 2000);
        EXPECT_GT(10.0 * std::log10(power(x) / err), 50.0) << via << " Hz";
    }
    // A 5 kHz tone does not survive a trip through 8 kHz (Nyquist 4 kHz).
    const auto hi = tone(5000.0, 0.5, n);
    auto y = ser::rate_round_trip(hi.data(), hi.size(), 8000);
    ASSERT_TRUE(y);
    EXPECT_LT(power(y.value, 1000, n - 1000), power(hi) * 1e-4);
}

TEST(ProsodyAugment, ChainIsDeterministic) {
    const auto x = tone(180.0, 0.4, 24000);
    ser::AugmentConfig cfg;
    cfg.p_speed = cfg.p_round_trip = cfg.p_noise = 1.0;
    ser::Rng a(5), b(5), c(6);
    auto ya = ser::augment(x.data(), x.size(), cfg, a);
    auto yb = ser::augment(x.data(), x.size(), cfg, b);
    auto yc = ser::augment(x.data(), x.size(), cfg, c);
    ASSERT_TRUE(ya && yb && yc) << ya.status.to_string();
    EXPECT_EQ(ya.value, yb.value);
    EXPECT_NE(ya.value, yc.value);
    // Nothing enabled and 0 dB gain: the clip comes back unchanged.
    ser::AugmentConfig off;
    off.p_speed = off.p_round_trip = off.p_noise = 0.0;
    off.gain_min_db = off.gain_max_db = 0.0;
    auto same = ser::augment(x.data(), x.size(), off, a);
    ASSERT_TRUE(same);
    EXPECT_EQ(same.value, x);
}

TEST(ProsodyAugment, SilenceAndInvalidInput) {
    ser::Rng rng(1);
    std::vector<float> silent(1000, 0.0f);
    const ser::Status st = ser::add_noise(silent, ser::NoiseKind::white, 10.0, rng);
    EXPECT_FALSE(st);
    EXPECT_EQ(st.module, "augment");
    // The chain leaves a silent clip silent rather than failing.
    ser::AugmentConfig cfg;
    cfg.p_noise = 1.0;
    cfg.gain_min_db = cfg.gain_max_db = 0.0;
    auto y = ser::augment(silent.data(), silent.size(), cfg, rng);
    ASSERT_TRUE(y);
    std::vector<float> empty;
    EXPECT_FALSE(ser::add_noise(empty, ser::NoiseKind::pink, 10.0, rng));
    std::vector<float> x = tone(100.0, 0.1, 100);
    EXPECT_FALSE(ser::add_noise(x, ser::NoiseKind::white, 500.0, rng));
    EXPECT_FALSE(ser::apply_gain(x, 100.0));
    EXPECT_FALSE(ser::change_speed(x.data(), x.size(), 3.0));
    EXPECT_FALSE(ser::rate_round_trip(x.data(), x.size(), 1000));
    EXPECT_FALSE(ser::make_noise(ser::NoiseKind::white, 0, rng));
    x[7] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(ser::apply_gain(x, 1.0));
    EXPECT_FALSE(ser::change_speed(x.data(), x.size(), 1.1));
    ser::AugmentConfig bad;
    bad.p_noise = 1.5;
    EXPECT_FALSE(bad.validate());
    bad = ser::AugmentConfig();
    bad.speed_min = 1.2;
    bad.speed_max = 1.1;
    EXPECT_FALSE(bad.validate());
    bad = ser::AugmentConfig();
    bad.round_trip_rates_hz = {1000};
    EXPECT_FALSE(bad.validate());
}

// Reverberation on an impulse gives the impulse response itself: a unit direct path, nothing
// for 1 ms, then a tail whose energy falls 60 dB per RT60 (Schroeder backward integration,
// ISO 3382: fit -5..-25 dB, T20 extrapolated) and whose energy ratio to the direct path is DRR.
TEST(ProsodyAugment, ReverbImpulseResponseHasItsRt60AndDrr) {
    for (double rt60 : {0.3, 0.8}) {
        std::vector<float> y(32000, 0.0f);
        y[0] = 1.0f;
        ser::Rng rng(11);
        ASSERT_TRUE(ser::add_reverb(y, rt60, 6.0, rng));
        EXPECT_NEAR(y[0], 1.0f, 1e-6f);
        for (int i = 1; i < 16; ++i) EXPECT_NEAR(y[i], 0.0f, 1e-6f) << i;
        double tail = 0.0;
        for (std::size_t i = 16; i < y.size(); ++i) tail += double(y[i]) * y[i];
        EXPECT_NEAR(10.0 * std::log10(1.0 / tail), 6.0, 0.05) << "DRR at RT60 " << rt60;
        std::vector<double> edc(y.size() + 1, 0.0);   // energy from i to the end
        for (std::size_t i = y.size(); i-- > 16;) edc[i] = edc[i + 1] + double(y[i]) * y[i];
        auto time_at = [&](double db) {
            for (std::size_t i = 16; i < y.size(); ++i)
                if (10.0 * std::log10(edc[i] / edc[16]) <= db) return double(i) / 16000.0;
            return 0.0;
        };
        const double t20 = 3.0 * (time_at(-25.0) - time_at(-5.0));
        EXPECT_NEAR(t20, rt60, 0.1 * rt60) << "RT60";
    }
}

TEST(ProsodyAugment, ReverbKeepsLengthAndRefusesBadInput) {
    std::vector<float> y = tone(440.0, 0.5, 8000);
    ser::Rng rng(3);
    ASSERT_TRUE(ser::add_reverb(y, 0.5, 3.0, rng));
    EXPECT_EQ(y.size(), 8000u);
    for (float v : y) ASSERT_TRUE(std::isfinite(v));
    EXPECT_FALSE(ser::add_reverb(y, 0.01, 3.0, rng));
    EXPECT_FALSE(ser::add_reverb(y, 0.5, 40.0, rng));
    std::vector<float> empty;
    EXPECT_FALSE(ser::add_reverb(empty, 0.5, 3.0, rng));
}

// Telephone band: 1 kHz passes (Butterworth: flat in the pass band), 100 Hz and 6 kHz lose
// more than 24 dB (4th order: about 24 dB per octave beyond the corners, 1.6 / 0.8 octaves).
TEST(ProsodyAugment, BandLimitPassesTheBandAndCutsOutside) {
    auto gain_db = [](double f) {
        std::vector<float> y = tone(f, 0.5, 32000);
        const double before = power(y, 16000);
        EXPECT_TRUE(ser::band_limit(y, 300.0, 3400.0));
        return 10.0 * std::log10(power(y, 16000) / before);
    };
    EXPECT_NEAR(gain_db(1000.0), 0.0, 0.3);
    EXPECT_LT(gain_db(100.0), -24.0);
    EXPECT_LT(gain_db(6000.0), -15.0);
    EXPECT_NEAR(gain_db(300.0), -3.0, 0.2);    // Butterworth: -3 dB at the corner (the 3400 Hz one is 3.5 octaves away)
    std::vector<float> y = tone(440.0, 0.5, 800);
    EXPECT_FALSE(ser::band_limit(y, 3400.0, 300.0));
    EXPECT_FALSE(ser::band_limit(y, 300.0, 8000.0));
}

TEST(ProsodyAugment, ChainWithReverbAndBandIsDeterministic) {
    ser::AugmentConfig cfg;
    cfg.p_reverb = cfg.p_band = 1.0;
    const std::vector<float> y = tone(220.0, 0.3, 16000);
    ser::Rng r1(5), r2(5);
    auto a = ser::augment(y.data(), y.size(), cfg, r1);
    auto b = ser::augment(y.data(), y.size(), cfg, r2);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a.value, b.value);
    cfg.p_reverb = 1.5;
    EXPECT_FALSE(cfg.validate());
    cfg.p_reverb = 0.5;
    cfg.rt60_min_s = 2.0;
    cfg.rt60_max_s = 1.0;
    EXPECT_FALSE(cfg.validate());
}
