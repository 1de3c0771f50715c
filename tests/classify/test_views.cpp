// Tests of classify/views.h: pooling against hand-computed groups, display scales against their
// definitions, the mel axis against librosa.hz_to_mel's published values, and a clip's views.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "ser/classify/views.h"
#include "ser/frames/mel_scale.h"
#include "ser/model/model.h"

namespace {

TEST(Views, WaveformEnvelopeTakesMinAndMaxOfEachGroup) {
    // 10 samples into 4 columns: groups [0,2) [2,5) [5,7) [7,10).
    const std::vector<float> s = {0.1f, -0.2f, 0.5f, 0.0f, -0.9f, 0.3f, 0.3f, -0.1f, 0.8f, 0.2f};
    const ser::Envelope e = ser::waveform_envelope(s.data(), s.size(), 4);
    ASSERT_EQ(e.size(), 4u);
    EXPECT_FLOAT_EQ(e.lo[0], -0.2f);
    EXPECT_FLOAT_EQ(e.hi[0], 0.1f);
    EXPECT_FLOAT_EQ(e.lo[1], -0.9f);
    EXPECT_FLOAT_EQ(e.hi[1], 0.5f);
    EXPECT_FLOAT_EQ(e.lo[2], 0.3f);
    EXPECT_FLOAT_EQ(e.hi[2], 0.3f);
    EXPECT_FLOAT_EQ(e.lo[3], -0.1f);
    EXPECT_FLOAT_EQ(e.hi[3], 0.8f);
    // More columns than samples: one column per sample.
    EXPECT_EQ(ser::waveform_envelope(s.data(), s.size(), 100).size(), s.size());
    EXPECT_EQ(ser::waveform_envelope(s.data(), 0, 10).size(), 0u);
}

TEST(Views, PoolingTwiceKeepsTheExtremes) {
    std::vector<float> s(1000);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = float(std::sin(0.05 * double(i)) * (i == 617 ? 3.0 : 1.0));
    const ser::Envelope fine = ser::waveform_envelope(s.data(), s.size(), 300);
    const ser::Envelope coarse = ser::pool_envelope(fine, 7);
    ASSERT_EQ(coarse.size(), 7u);
    const auto mm = std::minmax_element(s.begin(), s.end());
    EXPECT_FLOAT_EQ(*std::min_element(coarse.lo.begin(), coarse.lo.end()), *mm.first);
    EXPECT_FLOAT_EQ(*std::max_element(coarse.hi.begin(), coarse.hi.end()), *mm.second);
    const std::vector<float> mx = ser::pool_max(s.data(), s.size(), 7);
    EXPECT_FLOAT_EQ(*std::max_element(mx.begin(), mx.end()), *mm.second);
}

TEST(Views, RecentEnvelopeFillsFromTheRight) {
    // 3 samples of 1.0 in a 10-sample view of 10 columns: the last three columns read 1, the rest 0.
    const std::vector<float> s = {1.0f, 1.0f, 1.0f};
    const ser::Envelope e = ser::recent_envelope(s.data(), s.size(), 10, 10);
    ASSERT_EQ(e.size(), 10u);
    for (int x = 0; x < 7; ++x) EXPECT_EQ(e.hi[x], 0.0f) << x;
    for (int x = 7; x < 10; ++x) EXPECT_EQ(e.hi[x], 1.0f) << x;
    // A longer stream shows only its last span, the newest at the right.
    std::vector<float> ramp(50);
    std::iota(ramp.begin(), ramp.end(), 0.0f);
    const ser::Envelope r = ser::recent_envelope(ramp.data(), ramp.size(), 10, 5);
    EXPECT_FLOAT_EQ(r.lo[0], 40.0f);
    EXPECT_FLOAT_EQ(r.hi[4], 49.0f);
}

TEST(Views, SpectrogramImageIsTheTop80DbOfThePeak) {
    // Magnitudes at the peak, 40 dB and 100 dB below it: 255, half-way, black.
    Eigen::MatrixXf m(3, 1);
    m << 1.0f, 0.01f, 1e-5f;
    const ser::ViewImage img = ser::spectrogram_image(m);
    ASSERT_EQ(img.width, 1);
    ASSERT_EQ(img.height, 3);
    EXPECT_EQ(img.pixels[0], 255);
    EXPECT_EQ(img.pixels[1], std::uint8_t(std::lround(0.5 * 255)));
    EXPECT_EQ(img.pixels[2], 0);
    // The scale is relative: the same image at any gain.
    EXPECT_EQ(ser::spectrogram_image(m * 0.001f).pixels, img.pixels);
}

TEST(Views, MfccImageIsSymmetricPerCoefficient) {
    Eigen::MatrixXf m(2, 2);
    m << -300.0f, 300.0f, 2.0f, -1.0f;
    const ser::ViewImage img = ser::mfcc_image(m);
    EXPECT_EQ(img.pixels[0], 0);
    EXPECT_EQ(img.pixels[1], 255);
    EXPECT_EQ(img.pixels[2], 255);                                    // 2 / max|2| -> 1
    EXPECT_EQ(img.pixels[3], std::uint8_t(std::lround(0.25 * 255)));  // -1 / 2 -> 0.25
    EXPECT_TRUE(ser::mfcc_image(Eigen::MatrixXf()).empty());
}

TEST(Views, ImageColumnsArePooledByMax) {
    Eigen::MatrixXf m = Eigen::MatrixXf::Zero(1, 10);
    m(0, 3) = 1.0f;
    const ser::ViewImage img = ser::chroma_image(m, 2);
    ASSERT_EQ(img.width, 2);
    EXPECT_EQ(img.pixels[0], 255);
    EXPECT_EQ(img.pixels[1], 0);
}

TEST(Views, LiveColumnRange) {
    const std::vector<std::uint8_t> c = ser::live_spectrum_column({-120.0f, -100.0f, -55.0f, -10.0f, 0.0f});
    EXPECT_EQ(c[0], 0);
    EXPECT_EQ(c[1], 0);
    EXPECT_EQ(c[2], std::uint8_t(std::lround(0.5 * 255)));
    EXPECT_EQ(c[3], 255);
    EXPECT_EQ(c[4], 255);
}

TEST(Views, ProbabilitiesInWordsMostProbableFirst) {
    EXPECT_EQ(ser::probabilities_text({"angry", "neutral", "happy"}, {0.77f, 0.004f, 0.226f}),
              "angry 77%, happy 23%, neutral 0%");
    EXPECT_EQ(ser::probabilities_text({"a", "b"}, {0.5f, 0.5f}), "a 50%, b 50%");
    EXPECT_EQ(ser::probabilities_text({}, {}), "");
}

TEST(Views, MelAxisFollowsSlaneyScale) {
    // librosa.hz_to_mel(1000) = 15 and hz_to_mel(8000) = 15 + ln(8) / (ln(6.4) / 27) = 45.245640...
    EXPECT_NEAR(ser::hz_to_mel(1000.0), 15.0, 1e-12);
    EXPECT_NEAR(ser::hz_to_mel(500.0), 7.5, 1e-12);
    EXPECT_NEAR(ser::hz_to_mel(8000.0), 45.245640, 1e-5);
    EXPECT_NEAR(ser::mel_to_hz(ser::hz_to_mel(3000.0)), 3000.0, 1e-9);
    EXPECT_NEAR(ser::mel_axis_fraction(1000.0, 0.0, 8000.0), 15.0 / 45.245640, 1e-6);
    EXPECT_DOUBLE_EQ(ser::mel_axis_fraction(8000.0, 0.0, 8000.0), 1.0);
}

TEST(Views, ClipViewsCoverTheSpanTheModelUsed) {
    // 0.5 s of silence, 1 s of a voiced-like tone, 0.5 s of silence: the emo model trims to the tone.
    auto model = ser::load_model_file(std::string(SER_SOURCE_DIR) + "/models/ser-3class.sermodel");
    ASSERT_TRUE(model.is_ok()) << model.status.to_string();
    auto ctx = ser::ClassifierContext::create(std::move(model.value));
    ASSERT_TRUE(ctx.is_ok()) << ctx.status.to_string();
    std::vector<float> s(32000, 0.0f);
    for (std::size_t i = 8000; i < 24000; ++i)
        s[i] = 0.3f * float(std::sin(2.0 * M_PI * 180.0 * double(i) / 16000.0) +
                            0.5 * std::sin(2.0 * M_PI * 360.0 * double(i) / 16000.0));
    ser::Analysis a;
    a.start_samples_16k(s, "test tone", 16000);
    ASSERT_TRUE(a.run(ctx.value).is_ok()) << a.error().to_string();
    const ser::ClipViews v = ser::build_clip_views(a.clip(), ctx.value->config());
    EXPECT_DOUBLE_EQ(v.duration_s, 2.0);
    EXPECT_EQ(v.waveform.size(), std::size_t(ser::kViewMaxColumns));
    ASSERT_TRUE(v.has_frames());
    // Trimmed to the tone within a frame or two (trim works on 512-sample frames, hop 160).
    EXPECT_NEAR(v.used_start_s, 0.5, 0.05);
    EXPECT_NEAR(v.used_end_s, 1.5, 0.05);
    EXPECT_EQ(v.spectrogram.height, ctx.value->config().n_fft / 2 + 1);
    EXPECT_EQ(v.mel.height, ctx.value->config().n_mels);
    EXPECT_EQ(v.n_mfcc, ctx.value->config().n_mfcc);
    EXPECT_EQ(v.rms.size(), a.clip().used.frames.rms.size());
    EXPECT_GT(v.rms_max, 0.0f);
}

}  // namespace
