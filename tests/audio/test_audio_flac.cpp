// Decoding through libsndfile (native only): RAVDESS 24-bit FLAC bit-exact against librosa.load
// (reference/signals, README section 2), truncated and cut FLAC refused, bytes and path agree.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ser/audio/decode.h"
#include "npy.h"

namespace {

struct Clip {
    const char* flac;
    const char* reference;
};
const Clip kClips[] = {
    {"data/ravdess/Actor_01/03-01-05-02-01-01-01.flac", "reference/signals/ravdess_a01_angry.npy"},
    {"data/ravdess/Actor_02/03-01-01-01-01-01-02.flac", "reference/signals/ravdess_a02_neutral.npy"},
    {"data/ravdess/Actor_03/03-01-03-01-02-01-03.flac", "reference/signals/ravdess_a03_happy.npy"},
};

}  // namespace

TEST(AudioFlac, RavdessDecodesBitExactToLibrosa) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build (WebAssembly): FLAC is decoded by the browser";
#else
    for (const Clip& c : kClips) {
        const auto ref = ser::test::read_npy(ser::test::shared_path(c.reference));
        ASSERT_TRUE(ref.ok()) << ref.error;
        auto r = ser::load_audio_16k_file(ser::test::shared_path(c.flac));
        ASSERT_TRUE(r.is_ok()) << r.status.to_string();
        EXPECT_EQ(r.value.format, "FLAC 24-bit");
        EXPECT_EQ(r.value.source_rate_hz, 16000);
        ASSERT_EQ(r.value.samples.size(), ref.data.size()) << c.flac;
        std::size_t n_diff = 0;
        for (std::size_t i = 0; i < ref.data.size(); ++i) n_diff += r.value.samples[i] != ref.data[i];
        EXPECT_EQ(n_diff, 0u) << c.flac << ": samples differing from librosa.load";
    }
#endif
}

TEST(AudioFlac, BytesAndPathGiveTheSameSamples) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build";
#else
    const std::string path = ser::test::shared_path(kClips[0].flac);
    auto bytes = ser::read_file_bytes(path);
    ASSERT_TRUE(bytes.is_ok());
    auto a = ser::decode_audio(bytes.value.data(), bytes.value.size());
    auto b = ser::decode_audio_file(path);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a.value.samples, b.value.samples);
#endif
}

TEST(AudioFlac, TruncatedFlacIsRefused) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build";
#else
    auto bytes = ser::read_file_bytes(ser::test::shared_path(kClips[0].flac));
    ASSERT_TRUE(bytes.is_ok());
    for (double keep : {0.5, 0.9}) {
        const std::size_t n = std::size_t(double(bytes.value.size()) * keep);
        auto r = ser::decode_audio(bytes.value.data(), n);
        ASSERT_FALSE(r.is_ok()) << "kept " << keep;
        EXPECT_NE(r.status.message.find("truncated"), std::string::npos) << r.status.to_string();
    }
    for (std::size_t n : {std::size_t(3), std::size_t(40), std::size_t(100)}) {
        auto r = ser::decode_audio(bytes.value.data(), n);
        EXPECT_FALSE(r.is_ok()) << n << " bytes";
    }
#endif
}

TEST(AudioFlac, TwoHourStreaminfoIsRefusedBeforeReading) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build";
#else
    auto bytes = ser::read_file_bytes(ser::test::shared_path(kClips[0].flac));
    ASSERT_TRUE(bytes.is_ok());
    auto& b = bytes.value;
    ASSERT_EQ(std::string(b.begin(), b.begin() + 4), "fLaC");
    ASSERT_EQ(b[4] & 0x7F, 0);  // first metadata block is STREAMINFO
    // STREAMINFO bytes 10..17: 20 bits rate, 3 bits channels-1, 5 bits bits-1, 36 bits total
    // samples (FLAC format spec). Claim 2 hours at 16 kHz.
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | b[std::size_t(18 + i)];
    v = (v & ~((std::uint64_t(1) << 36) - 1)) | std::uint64_t(7200) * 16000;
    for (int i = 7; i >= 0; --i, v >>= 8) b[std::size_t(18 + i)] = std::uint8_t(v);
    auto r = ser::decode_audio(b.data(), b.size());
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status.message.find("7200"), std::string::npos) << r.status.to_string();
    EXPECT_NE(r.status.message.find("600"), std::string::npos) << r.status.to_string();
#endif
}
