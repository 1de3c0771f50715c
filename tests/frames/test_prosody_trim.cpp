// Tests of frame RMS and silence trimming (src/ser/frames/trim.h): librosa's rms reference for every
// input in both configurations, a tone in silence with analytically known bounds, silence,
// invalid input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "npy.h"
#include "ser/frames/trim.h"

namespace {

constexpr double kPi = 3.14159265358979323846;

// zeros(lead) + amp * cos(2 pi f n / sr) for n_tone samples + zeros(tail); cos so that the
// first tone sample is not 0.
std::vector<float> tone_in_silence(std::size_t lead, std::size_t n_tone, std::size_t tail, double amp) {
    std::vector<float> y(lead + n_tone + tail, 0.0f);
    for (std::size_t i = 0; i < n_tone; ++i) y[lead + i] = float(amp * std::cos(2.0 * kPi * 300.0 * i / 16000.0));
    return y;
}

}  // namespace

TEST(ProsodyTrim, FrameRmsMatchesLibrosa) {
    // manifest.json: rtol 1e-5, atol 1e-6 * max|ref| for float32 RMS.
    const char* inputs[] = {"sine440", "chirp100_6000", "noise_rng1234", "short_0p3s", "short_0p1s",
                            "tiny_0p025s", "silence_0p5s", "ravdess_a01_angry"};
    struct Cfg { const char* dir; int frame, hop; };
    const Cfg cfgs[] = {{"C1_librosa-default", 2048, 512}, {"C2_speech", 512, 160}};
    for (const char* in : inputs) {
        const auto y = ser::test::read_npy(ser::test::shared_path(std::string("reference/signals/") + in + ".npy"));
        ASSERT_TRUE(y.ok()) << y.error;
        for (const Cfg& c : cfgs) {
            const auto ref = ser::test::read_npy(ser::test::shared_path(std::string("reference/") + c.dir + "/" + in + "/rms.npy"));
            ASSERT_TRUE(ref.ok()) << ref.error;
            auto got = ser::frame_rms(y.data.data(), y.data.size(), c.frame, c.hop);
            ASSERT_TRUE(got) << got.status.to_string();
            ASSERT_EQ(long(got.value.size()), ref.cols()) << in << " " << c.dir;
            float peak = 0.0f;
            for (float v : ref.data) peak = std::max(peak, std::fabs(v));
            for (std::size_t t = 0; t < got.value.size(); ++t)
                ASSERT_NEAR(got.value[t], ref.data[t], 1e-6 * peak + 1e-5 * std::fabs(ref.data[t]))
                    << in << " " << c.dir << " frame " << t;
        }
    }
}

TEST(ProsodyTrim, ToneInSilenceAnalyticBounds) {
    // Tone on [8000, 24000) of 32000 samples, frames of 2048 every 512. Any overlap with the
    // tone lifts a frame far above -60 dB (even 1 sample: 20 log10(sqrt(1/2048)) = -33 dB), so
    // the first kept frame is the first whose window [t*512 - 1024, t*512 + 1024) reaches
    // sample 8000: t = 14, start 7168; the last is the last starting before 24000: t = 48,
    // end (48 + 1) * 512 = 25088.
    const auto y = tone_in_silence(8000, 16000, 8000, 0.5);
    auto r = ser::trim_silence(y.data(), y.size(), 60.0f, 2048, 512);
    ASSERT_TRUE(r) << r.status.to_string();
    EXPECT_EQ(r.value.start, 7168u);
    EXPECT_EQ(r.value.end, 25088u);
    EXPECT_EQ(r.value.length(), 25088u - 7168u);
}

TEST(ProsodyTrim, QuietPartIsTrimmedRelativeToLoudest) {
    // A tone at -40 dB relative to the main tone, then the main tone: with top_db 30 the quiet
    // tone counts as silence, with top_db 50 it is kept.
    auto y = tone_in_silence(0, 16000, 0, 0.005);
    const auto loud = tone_in_silence(0, 16000, 4000, 0.5);
    y.insert(y.end(), loud.begin(), loud.end());
    auto r30 = ser::trim_silence(y.data(), y.size(), 30.0f, 512, 128);
    auto r50 = ser::trim_silence(y.data(), y.size(), 50.0f, 512, 128);
    ASSERT_TRUE(r30 && r50);
    EXPECT_GE(r30.value.start, 16000u - 256u);
    EXPECT_LE(r30.value.start, 16000u);
    EXPECT_EQ(r50.value.start, 0u);
    EXPECT_GE(r30.value.end, 32000u);
    EXPECT_LE(r30.value.end, 32000u + 256u + 128u);
}

TEST(ProsodyTrim, SilenceIsKeptWholeLikeLibrosa) {
    const std::vector<float> y(8000, 0.0f);
    auto r = ser::trim_silence(y.data(), y.size());
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value.start, 0u);
    EXPECT_EQ(r.value.end, 8000u);
    auto rms = ser::frame_rms(y.data(), y.size(), 2048, 512);
    ASSERT_TRUE(rms);
    for (float v : rms.value) EXPECT_EQ(v, 0.0f);
}

TEST(ProsodyTrim, InvalidInput) {
    std::vector<float> y(4000, 0.1f);
    EXPECT_FALSE(ser::trim_silence(nullptr, 0));
    EXPECT_FALSE(ser::trim_silence(y.data(), y.size(), 0.0f));
    EXPECT_FALSE(ser::trim_silence(y.data(), y.size(), 60.0f, 2047, 512));
    EXPECT_FALSE(ser::trim_silence(y.data(), y.size(), 60.0f, 2048, 0));
    EXPECT_FALSE(ser::frame_rms(y.data(), y.size(), 512, 1024));
    y[123] = std::numeric_limits<float>::infinity();
    auto r = ser::trim_silence(y.data(), y.size());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.status.module, "trim");
    EXPECT_NE(r.status.message.find("123"), std::string::npos);
}
