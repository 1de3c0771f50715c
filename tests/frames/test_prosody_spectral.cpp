// Tests of the spectral shape descriptors (src/ser/frames/spectral.h): analytic spectra with known
// centroid/bandwidth/roll-off/slope/contrast, librosa's STFT of a sine and of white noise
// (reference/C2_speech), silence, invalid input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "npy.h"
#include "ser/frames/spectral.h"

namespace {

constexpr int kSr = 16000;

Eigen::MatrixXf load_mag(const std::string& input) {
    const auto a = ser::test::read_npy(ser::test::shared_path("reference/C2_speech/" + input + "/stft_mag.npy"));
    EXPECT_TRUE(a.ok()) << a.error;
    Eigen::MatrixXf m(a.rows(), a.cols());
    for (long f = 0; f < a.rows(); ++f)
        for (long t = 0; t < a.cols(); ++t) m(f, t) = a.data[f * a.cols() + t];
    return m;
}

double bin_hz(int k, int n_bins) { return double(k) * kSr / (2.0 * (n_bins - 1)); }

}  // namespace

TEST(ProsodySpectral, SineCentroidIsItsFrequency) {
    const Eigen::MatrixXf mag = load_mag("sine440");   // librosa |STFT|, 0.5 sin(2 pi 440 t), C2
    ASSERT_EQ(mag.rows(), 257);
    auto c = ser::spectral_centroid(mag, kSr);
    auto r = ser::spectral_rolloff(mag, kSr);
    auto fl = ser::spectral_flatness(mag);
    ASSERT_TRUE(c && r && fl);
    for (int t = 3; t < mag.cols() - 3; ++t) {   // frames clear of the zero padding
        EXPECT_NEAR(c.value(0, t), 440.0, 4.4) << t;
        // Hann main lobe spans +-2 bins (62.5 Hz): the roll-off bin sits on the tone's lobe.
        EXPECT_NEAR(r.value(0, t), 440.0, 2 * 31.25) << t;
        EXPECT_LT(fl.value(0, t), 1e-3) << t;
    }
}

TEST(ProsodySpectral, WhiteNoiseFlatnessAndCentroid) {
    // |X|^2 of Gaussian noise is exponentially distributed in each bin, so per frame
    // geometric/arithmetic mean -> exp(-Euler gamma) = 0.5615, not 1 (that is the flatness of
    // the expected spectrum). The centroid of a flat spectrum is sr/4.
    const Eigen::MatrixXf mag = load_mag("noise_rng1234");
    auto fl = ser::spectral_flatness(mag);
    auto c = ser::spectral_centroid(mag, kSr);
    ASSERT_TRUE(fl && c);
    EXPECT_NEAR(fl.value.mean(), std::exp(-0.5772156649), 0.03);
    EXPECT_NEAR(c.value.mean(), kSr / 4.0, 150.0);
    // Averaging the power over frames first gives the flatness of white noise: near 1.
    Eigen::MatrixXf avg = (mag.array().square().rowwise().mean()).sqrt().matrix();
    auto fl_avg = ser::spectral_flatness(avg);
    ASSERT_TRUE(fl_avg);
    EXPECT_GT(fl_avg.value(0, 0), 0.9f);
}

TEST(ProsodySpectral, TwoBinSpectrumAnalytic) {
    const int n_bins = 257;
    Eigen::MatrixXf mag = Eigen::MatrixXf::Zero(n_bins, 2);
    // Frame 0: one bin only. Frame 1: weights a at bin 20, b at bin 60.
    mag(37, 0) = 2.0f;
    const double a = 1.0, b = 3.0;
    mag(20, 1) = float(a);
    mag(60, 1) = float(b);
    const double f1 = bin_hz(20, n_bins), f2 = bin_hz(60, n_bins);
    auto c = ser::spectral_centroid(mag, kSr);
    auto bw = ser::spectral_bandwidth(mag, kSr);
    auto r = ser::spectral_rolloff(mag, kSr);
    ASSERT_TRUE(c && bw && r);
    EXPECT_NEAR(c.value(0, 0), bin_hz(37, n_bins), 1e-3);
    EXPECT_NEAR(bw.value(0, 0), 0.0, 1e-3);
    EXPECT_NEAR(r.value(0, 0), bin_hz(37, n_bins), 1e-3);
    EXPECT_NEAR(c.value(0, 1), (a * f1 + b * f2) / (a + b), 1e-2);
    EXPECT_NEAR(bw.value(0, 1), std::sqrt(a * b) / (a + b) * (f2 - f1), 1e-2);
    EXPECT_NEAR(r.value(0, 1), f2, 1e-3);   // 25% of the mass lies below f2 < 85%
}

TEST(ProsodySpectral, RolloffOfFlatSpectrum) {
    // Uniform magnitudes: cumulative share (k+1)/n first reaches p at k = ceil(p n) - 1.
    const int n_bins = 257;
    const Eigen::MatrixXf mag = Eigen::MatrixXf::Constant(n_bins, 3, 0.25f);
    for (float p : {0.5f, 0.85f, 0.95f}) {
        auto r = ser::spectral_rolloff(mag, kSr, p);
        ASSERT_TRUE(r);
        const int k = int(std::ceil(double(p) * n_bins)) - 1;
        EXPECT_NEAR(r.value(0, 1), bin_hz(k, n_bins), 1e-3) << p;
    }
    auto fl = ser::spectral_flatness(mag);
    ASSERT_TRUE(fl);
    EXPECT_NEAR(fl.value(0, 0), 1.0, 1e-6);
}

TEST(ProsodySpectral, SlopeOfLinearSpectrum) {
    // a_k = c0 + m f_k: the regression slope is m, divided by sum_k a_k (Peeters 2004).
    const int n_bins = 129;
    const double c0 = 0.5, m = 2e-4;
    Eigen::MatrixXf mag(n_bins, 2);
    double sum = 0.0;
    for (int k = 0; k < n_bins; ++k) {
        mag(k, 0) = float(c0 + m * bin_hz(k, n_bins));
        mag(k, 1) = float(c0 + m * (8000.0 - bin_hz(k, n_bins)));   // mirrored: slope -m
        sum += mag(k, 0);
    }
    auto s = ser::spectral_slope(mag, kSr);
    ASSERT_TRUE(s);
    EXPECT_NEAR(s.value(0, 0), m / sum, 1e-4 * m / sum);
    EXPECT_NEAR(s.value(0, 1), -m / mag.col(1).cast<double>().sum(), 1e-4 * m / sum);
}

TEST(ProsodySpectral, FluxOfMovingTone) {
    const int n_bins = 257;
    Eigen::MatrixXf mag = Eigen::MatrixXf::Zero(n_bins, 4);
    mag(10, 0) = 1.0f;
    mag(10, 1) = 5.0f;   // same shape, louder: no flux once normalised
    mag(50, 2) = 3.0f;   // the tone moves: the new bin rises by 1 (normalised), the old one falls
    mag(50, 3) = 3.0f;
    auto f = ser::spectral_flux(mag);
    ASSERT_TRUE(f);
    EXPECT_FLOAT_EQ(f.value(0, 0), 0.0f);
    EXPECT_NEAR(f.value(0, 1), 0.0, 1e-7);
    EXPECT_NEAR(f.value(0, 2), 1.0, 1e-6);
    EXPECT_NEAR(f.value(0, 3), 0.0, 1e-7);
    auto raw = ser::spectral_flux(mag, false);
    ASSERT_TRUE(raw);
    EXPECT_NEAR(raw.value(0, 1), 4.0, 1e-6);
    EXPECT_NEAR(raw.value(0, 2), 3.0, 1e-6);
}

TEST(ProsodySpectral, ContrastOfPeakAndValleyPerBand) {
    // n_fft 512 at 16 kHz: the 2% quantile is 1 bin in every band except 3200..6400 Hz, whose
    // 103 bins give q = rint(2.06) = 2. Two bins per band at 100, two at 0.01, the rest at 1:
    // peak/valley = 100/0.01, i.e. 40 dB in every band. Centre frequencies of the 7 bands
    // (edges 0, 200, 400, ..., 6400, Nyquist):
    const int n_bins = 257;
    const double centres[7] = {100, 300, 600, 1200, 2400, 4800, 7200};
    Eigen::MatrixXf mag = Eigen::MatrixXf::Ones(n_bins, 2);
    for (double c : centres) {
        const int k = int(std::lround(c / 31.25));
        mag(k - 2, 0) = mag(k - 1, 0) = 100.0f;
        mag(k, 0) = mag(k + 1, 0) = 0.01f;
    }
    auto con = ser::spectral_contrast(mag, kSr);
    ASSERT_TRUE(con) << con.status.to_string();
    ASSERT_EQ(con.value.rows(), 7);
    for (int b = 0; b < 7; ++b) {
        EXPECT_NEAR(con.value(b, 0), 40.0, 1e-3) << b;
        EXPECT_NEAR(con.value(b, 1), 0.0, 1e-4) << b;   // flat frame: no contrast
    }
}

TEST(ProsodySpectral, ContrastAveragesTheQuantile) {
    // n_fft 2048 at 16 kHz (7.8125 Hz bins): the top band holds bins 819..1024 (206 bins: those
    // >= 6400 Hz plus the one below), so q = rint(0.02 * 206) = 4 bins are averaged. Two bins
    // at 100, the rest at 1: peak = (100 + 100 + 1 + 1) / 4, valley = 1.
    const int n_bins = 1025;
    Eigen::MatrixXf mag = Eigen::MatrixXf::Ones(n_bins, 1);
    mag(900, 0) = 100.0f;
    mag(950, 0) = 100.0f;
    auto con = ser::spectral_contrast(mag, kSr);
    ASSERT_TRUE(con);
    EXPECT_NEAR(con.value(6, 0), 10.0 * std::log10(50.5), 1e-3);
    EXPECT_NEAR(con.value(5, 0), 0.0, 1e-4);
}

TEST(ProsodySpectral, BandLimitedViewKeepsFrequencies) {
    // The lowest 225 of 257 bins (0..7000 Hz) with n_fft 512 given: frequencies stay k * 31.25 Hz,
    // so a frame whose energy lies below the cut has the same centroid, roll-off and contrast
    // bands as in the full spectrum.
    const Eigen::MatrixXf full = load_mag("sine440");
    const Eigen::MatrixXf low = full.topRows(225);
    auto cf = ser::spectral_centroid(full, kSr);
    auto cl = ser::spectral_centroid(low, kSr, 512);
    auto rf = ser::spectral_rolloff(full, kSr);
    auto rl = ser::spectral_rolloff(low, kSr, 0.85f, 512);
    auto con = ser::spectral_contrast(low, kSr, 200.0f, 6, 0.02f, 512);
    ASSERT_TRUE(cf && cl && rf && rl && con) << con.status.to_string();
    for (int t = 3; t < full.cols() - 3; ++t) {
        EXPECT_NEAR(cl.value(0, t), cf.value(0, t), 0.5) << t;
        EXPECT_EQ(rl.value(0, t), rf.value(0, t)) << t;
    }
    EXPECT_FALSE(ser::spectral_centroid(full, kSr, 256));   // 257 bins do not fit n_fft 256
    EXPECT_FALSE(ser::spectral_slope(low, kSr, 511));
}

TEST(ProsodySpectral, SilenceGivesZeros) {
    const Eigen::MatrixXf mag = load_mag("silence_0p5s");
    ASSERT_TRUE(mag.isZero(0.0f));
    auto c = ser::spectral_centroid(mag, kSr);
    auto bw = ser::spectral_bandwidth(mag, kSr);
    auto r = ser::spectral_rolloff(mag, kSr);
    auto fl = ser::spectral_flatness(mag);
    auto fx = ser::spectral_flux(mag);
    auto sl = ser::spectral_slope(mag, kSr);
    auto con = ser::spectral_contrast(mag, kSr);
    ASSERT_TRUE(c && bw && r && fl && fx && sl && con);
    EXPECT_TRUE(c.value.isZero(0.0f));
    EXPECT_TRUE(bw.value.isZero(0.0f));
    EXPECT_TRUE(r.value.isZero(0.0f));
    EXPECT_TRUE(fx.value.isZero(0.0f));
    EXPECT_TRUE(sl.value.isZero(0.0f));
    EXPECT_TRUE(con.value.isZero(0.0f));
    EXPECT_NEAR(fl.value.minCoeff(), 1.0, 1e-6);   // amin everywhere: perfectly flat
}

TEST(ProsodySpectral, InvalidInput) {
    Eigen::MatrixXf mag = Eigen::MatrixXf::Ones(257, 3);
    EXPECT_FALSE(ser::spectral_centroid(Eigen::MatrixXf::Ones(1, 3), kSr));
    EXPECT_FALSE(ser::spectral_centroid(mag, 0));
    EXPECT_FALSE(ser::spectral_rolloff(mag, kSr, 1.0f));
    EXPECT_FALSE(ser::spectral_bandwidth(mag, kSr, 0.0f));
    EXPECT_FALSE(ser::spectral_flatness(mag, 0.0f));
    EXPECT_FALSE(ser::spectral_contrast(mag, kSr, 200.0f, 7));   // 200 * 2^6 = 12.8 kHz > Nyquist
    EXPECT_FALSE(ser::spectral_contrast(mag, kSr, 200.0f, 6, 0.6f));
    EXPECT_FALSE(ser::spectral_contrast(mag, kSr, -1.0f));
    mag(5, 1) = -1.0f;
    auto bad = ser::spectral_centroid(mag, kSr);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.status.module, "spectral");
    EXPECT_NE(bad.status.message.find("bin 5, frame 1"), std::string::npos) << bad.status.message;
    mag(5, 1) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_FALSE(ser::spectral_flux(mag));
    EXPECT_FALSE(ser::spectral_slope(mag, kSr));
    mag(5, 1) = std::numeric_limits<float>::infinity();
    EXPECT_FALSE(ser::spectral_flatness(mag));
    mag(5, 1) = 0.0f;
    EXPECT_TRUE(ser::spectral_flatness(mag));
    // A coarse spectrum whose first band holds no bin.
    EXPECT_FALSE(ser::spectral_contrast(Eigen::MatrixXf::Ones(3, 2), kSr, 200.0f, 6));
}
