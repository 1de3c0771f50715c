// WAV reader tests: every supported encoding against exact integer/float values, chunk rules,
// and bad input (empty, truncated, random, text, 0 channels, absurd rates, NaN/Inf, 2-hour header).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "ser/audio/decode.h"
#include "ser/audio/wav.h"
#include "wav_fixture.h"

using ser::test::ExtraChunk;
using ser::test::make_wav;
using ser::test::WavSpec;

namespace {

ser::Result<ser::Audio> decode(const std::vector<std::uint8_t>& b) { return ser::decode_audio(b.data(), b.size()); }

void expect_error(const std::vector<std::uint8_t>& b, const std::string& needle) {
    auto r = decode(b);
    ASSERT_FALSE(r.is_ok()) << "decoded although it should not: " << needle;
    EXPECT_EQ(r.status.module, "decode");
    EXPECT_NE(r.status.message.find(needle), std::string::npos) << r.status.to_string();
    EXPECT_NE(r.status.message.find("expected"), std::string::npos) << r.status.to_string();
}

}  // namespace

TEST(AudioWav, Pcm16ExactScaling) {
    const std::vector<std::int32_t> v = {0, 1, -1, 32767, -32768, 12345, -20000};
    auto r = decode(make_wav(WavSpec{}, ser::test::pcm_payload(v, 16)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.samples.size(), v.size());
    EXPECT_EQ(r.value.rate_hz, 16000);
    EXPECT_EQ(r.value.channels, 1);
    EXPECT_EQ(r.value.format, "WAV PCM 16-bit");
    for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(r.value.samples[i], float(v[i]) / 32768.0f) << i;
}

TEST(AudioWav, Pcm8IsUnsignedAroundZero128) {
    WavSpec s;
    s.bits = 8;
    const std::vector<std::int32_t> v = {0, -128, 127, 64, -1};
    auto r = decode(make_wav(s, ser::test::pcm_payload(v, 8)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(r.value.samples[i], float(v[i]) / 128.0f);
    EXPECT_EQ(r.value.samples[1], -1.0f);
}

TEST(AudioWav, Pcm24IsInt24Over2Pow23Exactly) {
    WavSpec s;
    s.bits = 24;
    const std::vector<std::int32_t> v = {0, 1, -1, 8388607, -8388608, 4194304, -1234567};
    auto r = decode(make_wav(s, ser::test::pcm_payload(v, 24)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(r.value.samples[i], float(std::ldexp(double(v[i]), -23)));
    EXPECT_EQ(r.value.samples[4], -1.0f);
}

TEST(AudioWav, Pcm32AndBigEndianRifx) {
    WavSpec s;
    s.bits = 32;
    const std::vector<std::int32_t> v = {0, std::numeric_limits<std::int32_t>::min(), 1 << 30, -(1 << 20), 123456789};
    for (bool big : {false, true}) {
        s.big_endian = big;
        auto r = decode(make_wav(s, ser::test::pcm_payload(v, 32, big)));
        ASSERT_TRUE(r.is_ok()) << r.status.to_string();
        for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(r.value.samples[i], float(std::ldexp(double(v[i]), -31)));
        EXPECT_EQ(r.value.format.find("RIFX") != std::string::npos, big);
    }
}

TEST(AudioWav, Float32AndFloat64) {
    WavSpec s;
    s.tag = 3;
    s.bits = 32;
    const std::vector<float> f = {0.0f, 0.5f, -0.25f, 1.5f, -3.0e-8f};  // > 1 is kept, as libsndfile does
    auto r = decode(make_wav(s, ser::test::float_payload(f)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.samples, f);
    EXPECT_EQ(r.value.format, "WAV float 32-bit");

    s.bits = 64;
    const std::vector<double> d = {0.1, -0.7, 1.0 / 3.0, 1e-30};
    auto r64 = decode(make_wav(s, ser::test::double_payload(d)));
    ASSERT_TRUE(r64.is_ok()) << r64.status.to_string();
    ASSERT_EQ(r64.value.samples.size(), d.size());
    for (std::size_t i = 0; i < d.size(); ++i) EXPECT_EQ(r64.value.samples[i], float(d[i]));
}

TEST(AudioWav, ExtensiblePcmAndFloat) {
    WavSpec s;
    s.tag = 0xFFFE;
    s.bits = 24;
    s.channels = 2;
    const std::vector<std::int32_t> v = {100, -100, 8388607, -8388608};
    auto r = decode(make_wav(s, ser::test::pcm_payload(v, 24)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.channels, 2);
    EXPECT_EQ(r.value.n_frames(), 2u);
    EXPECT_EQ(r.value.samples[2], float(8388607.0 / 8388608.0));
    EXPECT_NE(r.value.format.find("extensible"), std::string::npos);

    s.sub_tag = 3;
    s.bits = 32;
    s.channels = 1;
    auto rf = decode(make_wav(s, ser::test::float_payload({0.25f, -0.5f})));
    ASSERT_TRUE(rf.is_ok()) << rf.status.to_string();
    EXPECT_EQ(rf.value.samples, (std::vector<float>{0.25f, -0.5f}));
}

TEST(AudioWav, StereoDownmixIsChannelMean) {
    WavSpec s;
    s.channels = 2;
    const std::vector<std::int32_t> v = {1000, 3000, -32768, 32767, 5, 6};
    auto r = decode(make_wav(s, ser::test::pcm_payload(v, 16)));
    ASSERT_TRUE(r.is_ok());
    ser::Audio mono = ser::downmix_to_mono(r.value);
    ASSERT_EQ(mono.channels, 1);
    ASSERT_EQ(mono.samples.size(), 3u);
    EXPECT_EQ(mono.source_channels, 2);
    for (int t = 0; t < 3; ++t)
        EXPECT_FLOAT_EQ(mono.samples[t], (v[2 * t] + v[2 * t + 1]) / 2.0f / 32768.0f);
}

TEST(AudioWav, SkipsUnknownAndOddChunks) {
    const std::vector<std::int32_t> v = {1, 2, 3};
    const auto b = make_wav(WavSpec{}, ser::test::pcm_payload(v, 16), {{"JUNK", {1, 2, 3}}},
                            {{"LIST", {'a', 'b', 'c', 'd', 'e'}}, {"fact", {4, 0, 0, 0}}});
    auto r = decode(b);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    ASSERT_EQ(r.value.samples.size(), 3u);
    EXPECT_EQ(r.value.samples[2], 3.0f / 32768.0f);
}

TEST(AudioWav, TrailingChunkAfterDataAndPartialFrame) {
    // 5 payload bytes of 16-bit mono: 2 complete frames, the partial one is dropped.
    auto b = make_wav(WavSpec{}, {1, 0, 2, 0, 9});
    const std::vector<std::uint8_t> tail = {'L', 'I', 'S', 'T', 200, 0, 0, 0};  // claims more than is there
    b.insert(b.end(), tail.begin(), tail.end());
    auto r = decode(b);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.samples.size(), 2u);
}

TEST(AudioWav, StreamingSizeMeansToEndOfFile) {
    WavSpec s;
    s.data_size = 0xFFFFFFFF;
    auto r = decode(make_wav(s, ser::test::pcm_payload({7, 8, 9, 10}, 16)));
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.samples.size(), 4u);
}

TEST(AudioWavBad, EmptyInput) {
    expect_error({}, "0 bytes");
    EXPECT_FALSE(ser::decode_audio(nullptr, 0).is_ok());
}

TEST(AudioWavBad, TruncatedDataChunkIsRefused) {
    auto b = make_wav(WavSpec{}, ser::test::pcm_payload(std::vector<std::int32_t>(1000, 5), 16));
    b.resize(b.size() - 501);
    expect_error(b, "truncated");
}

TEST(AudioWavBad, TruncatedInsideHeader) {
    const auto b = make_wav(WavSpec{}, ser::test::pcm_payload({1, 2, 3, 4}, 16));
    for (std::size_t n : {std::size_t(4), std::size_t(11), std::size_t(12), std::size_t(20), std::size_t(36), std::size_t(43)}) {
        auto r = ser::decode_audio(b.data(), n);
        EXPECT_FALSE(r.is_ok()) << n << " bytes decoded";
        EXPECT_FALSE(r.status.message.empty());
    }
}

TEST(AudioWavBad, RandomBytes) {
    std::mt19937 rng(42);
    for (int trial = 0; trial < 20; ++trial) {
        std::vector<std::uint8_t> b(std::size_t(100 + 500 * trial));
        for (auto& x : b) x = std::uint8_t(rng());
        auto r = decode(b);
        EXPECT_FALSE(r.is_ok()) << "random bytes decoded as " << r.value.format;
    }
}

TEST(AudioWavBad, TextFileRenamedWav) {
    const std::string path = ::testing::TempDir() + "ser_text_renamed.wav";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("This is not audio, just a text file that somebody named .wav\n", f);
    std::fclose(f);
    auto r = ser::decode_audio_file(path);
    std::remove(path.c_str());
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find(path), std::string::npos) << r.status.to_string();
}

TEST(AudioWavBad, MissingFile) {
    auto r = ser::decode_audio_file("/nonexistent/ser/no_such_file.wav");
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("no_such_file.wav"), std::string::npos);
}

TEST(AudioWavBad, ZeroAndTooManyChannels) {
    WavSpec s;
    s.channels = 0;
    s.block_align = 2;
    expect_error(make_wav(s, ser::test::pcm_payload({1, 2}, 16)), "0 channels");
    s.channels = 65;
    s.block_align = -1;
    expect_error(make_wav(s, ser::test::pcm_payload(std::vector<std::int32_t>(130, 1), 16)), "65 channels");
    s.channels = 64;
    auto r = decode(make_wav(s, ser::test::pcm_payload(std::vector<std::int32_t>(128, 1), 16)));
    EXPECT_TRUE(r.is_ok()) << r.status.to_string();
}

TEST(AudioWavBad, AbsurdRates) {
    for (std::uint32_t rate : {0u, 1u, 7999u, 192001u, 10000000u}) {
        WavSpec s;
        s.rate_hz = rate;
        expect_error(make_wav(s, ser::test::pcm_payload({1, 2, 3}, 16)), std::to_string(rate) + " Hz");
    }
    for (std::uint32_t rate : {8000u, 44100u, 192000u}) {
        WavSpec s;
        s.rate_hz = rate;
        EXPECT_TRUE(decode(make_wav(s, ser::test::pcm_payload({1, 2, 3}, 16))).is_ok()) << rate;
    }
}

TEST(AudioWavBad, NanAndInfSamples) {
    WavSpec s;
    s.tag = 3;
    s.bits = 32;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    expect_error(make_wav(s, ser::test::float_payload({0.1f, nan, 0.2f})), "NaN");
    expect_error(make_wav(s, ser::test::float_payload({0.1f, 0.2f, -inf})), "infinite");
    s.bits = 64;
    expect_error(make_wav(s, ser::test::double_payload({0.1, std::nan("")})), "NaN");
    expect_error(make_wav(s, ser::test::double_payload({1e300})), "infinite");  // overflows float
}

TEST(AudioWavBad, TwoHourHeaderIsRefusedWithoutAllocating) {
    // Header only: a data chunk claiming 2 h of 48 kHz stereo 16-bit, no payload at all.
    WavSpec s;
    s.rate_hz = 48000;
    s.channels = 2;
    s.data_size = std::int64_t(7200) * 48000 * 4;  // 1.38 GB < 4 GiB, fits the 32-bit field
    auto r = decode(make_wav(s, {}));
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("7200"), std::string::npos) << r.status.to_string();
    EXPECT_NE(r.status.message.find("600"), std::string::npos) << r.status.to_string();
}

TEST(AudioWavBad, NoCompleteFrameAndBadBlockAlign) {
    expect_error(make_wav(WavSpec{}, {1}), "0 complete frames");
    WavSpec s;
    s.block_align = 3;
    expect_error(make_wav(s, ser::test::pcm_payload({1, 2}, 16)), "block align");
    s = WavSpec{};
    s.bits = 12;
    expect_error(make_wav(s, {1, 2, 3, 4}), "12 bits");
}

TEST(AudioWavBad, UnsupportedCodecIsAnErrorNotAGuess) {
    WavSpec s;
    s.tag = 0x0002;  // MS ADPCM with a header too short for it: both readers refuse
    s.bits = 4;
    s.block_align = 256;
    auto r = decode(make_wav(s, std::vector<std::uint8_t>(64, 0x11)));
    EXPECT_FALSE(r.is_ok());
}

TEST(AudioWav, ShorterThanOneFeatureFrameStillDecodes) {
    auto r = ser::load_audio_16k(make_wav(WavSpec{}, ser::test::pcm_payload({100, -100, 50}, 16)).data(),
                                 make_wav(WavSpec{}, ser::test::pcm_payload({100, -100, 50}, 16)).size());
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    EXPECT_EQ(r.value.samples.size(), 3u);
    EXPECT_EQ(r.value.rate_hz, 16000);
}

TEST(AudioPcm, ValidatePcm) {
    std::vector<float> x(1600, 0.1f);
    EXPECT_TRUE(ser::validate_pcm(x.data(), x.size(), 16000).is_ok());
    EXPECT_FALSE(ser::validate_pcm(x.data(), 0, 16000).is_ok());
    EXPECT_FALSE(ser::validate_pcm(x.data(), x.size(), 1).is_ok());
    x[7] = std::numeric_limits<float>::quiet_NaN();
    auto s = ser::validate_pcm(x.data(), x.size(), 16000);
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message.find("sample 7"), std::string::npos);
}

TEST(AudioWavBad, AbsurdFloatAmplitudeIsRefused) {
    WavSpec s;
    s.tag = 3;
    s.bits = 32;
    EXPECT_TRUE(decode(make_wav(s, ser::test::float_payload({0.1f, 999.0f, -2.0f}))).is_ok());  // headroom is fine
    expect_error(make_wav(s, ser::test::float_payload({0.1f, 1e30f})), "within +-1000");
    std::vector<float> x(100, 0.0f);
    x[50] = -5e3f;
    EXPECT_FALSE(ser::validate_pcm(x.data(), x.size(), 16000).is_ok());
}

namespace {

// A RIFF file rewritten as RF64/BW64 (EBU Tech 3306): the header tag, 0xFFFFFFFF for the RIFF and
// data sizes, and a 'ds64' chunk after "WAVE" holding the real sizes. A trailing chunk follows the
// samples, so reading to the end of the file instead of the ds64 size would show.
std::vector<std::uint8_t> as_wide_wav(std::vector<std::uint8_t> riff, const char* tag, std::uint64_t ds64_data_size) {
    auto le64 = [](std::uint64_t v) {
        std::vector<std::uint8_t> b(8);
        for (int i = 0; i < 8; ++i) b[i] = std::uint8_t(v >> (8 * i));
        return b;
    };
    std::size_t data_at = 12;
    while (std::memcmp(riff.data() + data_at, "data", 4) != 0) {
        const std::uint32_t sz = riff[data_at + 4] | riff[data_at + 5] << 8 | riff[data_at + 6] << 16 | std::uint32_t(riff[data_at + 7]) << 24;
        data_at += 8 + sz + (sz & 1);
    }
    for (int i = 0; i < 4; ++i) riff[data_at + 4 + i] = 0xFF;
    const std::uint8_t trailer[] = {'L', 'I', 'S', 'T', 4, 0, 0, 0, 'I', 'N', 'F', 'O'};
    riff.insert(riff.end(), trailer, trailer + sizeof trailer);
    std::memcpy(riff.data(), tag, 4);
    for (int i = 0; i < 4; ++i) riff[4 + i] = 0xFF;
    std::vector<std::uint8_t> ds64 = {'d', 's', '6', '4', 28, 0, 0, 0};
    for (std::uint64_t v : {std::uint64_t(riff.size() + 36 - 8), ds64_data_size, std::uint64_t(0)}) {
        const auto b = le64(v);
        ds64.insert(ds64.end(), b.begin(), b.end());
    }
    ds64.insert(ds64.end(), {0, 0, 0, 0});  // table length
    riff.insert(riff.begin() + 12, ds64.begin(), ds64.end());
    return riff;
}

}  // namespace

TEST(AudioWav, Rf64AndBw64ReadTheirDs64Sizes) {
    const std::vector<std::int32_t> v = {0, 1, -1, 32767, -32768, 12345, -20000, 5};
    const auto riff = make_wav(WavSpec{}, ser::test::pcm_payload(v, 16));
    for (const char* tag : {"RF64", "BW64"}) {
        auto r = decode(as_wide_wav(riff, tag, v.size() * 2));
        ASSERT_TRUE(r.is_ok()) << tag << ": " << r.status.to_string();
        EXPECT_EQ(r.value.format, std::string("WAV (") + tag + ") PCM 16-bit");
        ASSERT_EQ(r.value.samples.size(), v.size()) << tag;
        for (std::size_t i = 0; i < v.size(); ++i) EXPECT_EQ(r.value.samples[i], float(v[i]) / 32768.0f) << tag << i;
    }
}

TEST(AudioWavBad, Rf64WithoutDs64OrTruncated) {
    const auto riff = make_wav(WavSpec{}, ser::test::pcm_payload(std::vector<std::int32_t>(100, 3), 16));
    // The ds64 size beyond the end of the file: truncated, as a RIFF data chunk would be.
    expect_error(as_wide_wav(riff, "RF64", 100000), "truncated");
    // The tag alone, without the ds64 chunk.
    auto no_ds64 = riff;
    std::memcpy(no_ds64.data(), "RF64", 4);
    expect_error(no_ds64, "ds64");
}
