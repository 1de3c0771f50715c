// Deterministic mutation fuzzing of decode -> mono -> 16 kHz -> seed features: 2000 mutations of
// small valid WAVs; every case must end in an error value or in finite samples and features.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ser/audio/decode.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"
#include "wav_fixture.h"

namespace {

std::vector<std::vector<std::uint8_t>> seeds() {
    std::vector<std::vector<std::uint8_t>> out;
    std::vector<std::int32_t> v(800);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::int32_t(9000.0 * std::sin(0.05 * double(i)));
    out.push_back(ser::test::make_wav(ser::test::WavSpec{}, ser::test::pcm_payload(v, 16)));
    ser::test::WavSpec f;
    f.tag = 3;
    f.bits = 32;
    f.channels = 2;
    f.rate_hz = 44100;
    std::vector<float> fv(1200);
    for (std::size_t i = 0; i < fv.size(); ++i) fv[i] = float(0.3 * std::sin(0.01 * double(i)));
    out.push_back(ser::test::make_wav(f, ser::test::float_payload(fv), {{"LIST", {1, 2, 3}}}));
    ser::test::WavSpec e;
    e.tag = 0xFFFE;
    e.bits = 24;
    e.rate_hz = 48000;
    std::vector<std::int32_t> w(1500);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = std::int32_t(3e6 * std::sin(0.02 * double(i)));
    out.push_back(ser::test::make_wav(e, ser::test::pcm_payload(w, 24)));
    ser::test::WavSpec d;
    d.tag = 3;
    d.bits = 64;
    d.rate_hz = 8000;
    out.push_back(ser::test::make_wav(d, ser::test::double_payload(std::vector<double>(300, 0.25))));
    return out;
}

void mutate(std::vector<std::uint8_t>& b, std::mt19937& rng) {
    auto pick = [&](std::size_t n) { return n == 0 ? std::size_t(0) : std::size_t(rng() % n); };
    const std::uint32_t extremes[] = {0u, 1u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0x80000000u, 8000u, 192000u, 65u, 0xFFFEu};
    switch (rng() % 6) {
        case 0:  // flip a few bytes anywhere
            for (int k = 1 + int(rng() % 8); k > 0 && !b.empty(); --k) b[pick(b.size())] ^= std::uint8_t(1 + rng() % 255);
            break;
        case 1: {  // extreme value into a header field (first 80 bytes), either width
            const std::size_t off = pick(std::min<std::size_t>(b.size(), 80));
            const std::uint32_t v = extremes[rng() % 9];
            const int width = (rng() & 1) ? 4 : 2;
            for (int i = 0; i < width && off + i < b.size(); ++i) b[off + i] = std::uint8_t(v >> (8 * i));
            break;
        }
        case 2:  // truncate
            b.resize(pick(b.size() + 1));
            break;
        case 3: {  // append garbage
            for (int k = int(rng() % 64); k > 0; --k) b.push_back(std::uint8_t(rng()));
            break;
        }
        case 4: {  // insert bytes in the middle (shifts every later chunk)
            const std::size_t at = pick(b.size() + 1);
            std::vector<std::uint8_t> ins(1 + rng() % 9);
            for (auto& x : ins) x = std::uint8_t(rng());
            b.insert(b.begin() + std::ptrdiff_t(at), ins.begin(), ins.end());
            break;
        }
        default: {  // random float bit patterns over the payload region
            for (int k = 1 + int(rng() % 4); k > 0 && b.size() > 48; --k) {
                const std::size_t off = 44 + pick(b.size() - 48);
                const std::uint32_t v = rng();
                for (int i = 0; i < 4; ++i) b[off + i] = std::uint8_t(v >> (8 * i));
            }
        }
    }
}

}  // namespace

TEST(AudioFuzz, MutatedWavsGiveErrorsOrFiniteFeatures) {
    const int n_cases = 2000;  // about 0.6 s natively, 2.7 s under node
    const auto base = seeds();
    std::mt19937 rng(20240601u);
    ser::FeatureExtractor extractor(ser::config_c1());
    ASSERT_TRUE(extractor.status().is_ok());
    int n_ok = 0, n_err = 0;
    for (int c = 0; c < n_cases; ++c) {
        std::vector<std::uint8_t> b = base[std::size_t(c) % base.size()];
        for (int m = 1 + int(rng() % 3); m > 0; --m) mutate(b, rng);
        auto audio = ser::load_audio_16k(b.data(), b.size());
        if (!audio.is_ok()) {
            EXPECT_FALSE(audio.status.message.empty()) << "case " << c;
            ++n_err;
            continue;
        }
        ASSERT_EQ(audio.value.rate_hz, 16000) << "case " << c;
        ASSERT_FALSE(audio.value.samples.empty()) << "case " << c;
        for (float v : audio.value.samples) ASSERT_TRUE(std::isfinite(v)) << "case " << c;
        ser::FeatureVector fv;
        ser::Status s = ser::compute_feature_vector("seed", extractor, audio.value.samples.data(),
                                                    audio.value.samples.size(), fv);
        if (!s) {
            EXPECT_FALSE(s.message.empty());
            ++n_err;
            continue;
        }
        for (float v : fv.values) ASSERT_TRUE(std::isfinite(v)) << "case " << c << " (" << audio.value.format << ")";
        ++n_ok;
    }
    std::printf("fuzz: %d mutated WAVs, %d decoded to finite features, %d refused with a message\n", n_cases, n_ok, n_err);
    EXPECT_GT(n_ok, n_cases / 20);   // the mutations must not all be trivially fatal
    EXPECT_GT(n_err, n_cases / 20);
}

TEST(AudioFuzz, ClipShorterThanOneFrameGivesFiniteFeatures) {
    // 3 samples at 48 kHz -> 1 sample at 16 kHz: far shorter than C1's n_fft (2048) and hop.
    const auto b = ser::test::make_wav([] {
        ser::test::WavSpec s;
        s.rate_hz = 48000;
        return s;
    }(), ser::test::pcm_payload({3000, -2000, 1000}, 16));
    auto audio = ser::load_audio_16k(b.data(), b.size());
    ASSERT_TRUE(audio.is_ok()) << audio.status.to_string();
    ASSERT_EQ(audio.value.samples.size(), 1u);  // ceil(3 / 3)
    for (const char* set : {"seed", "stats"}) {
        auto info = ser::feature_set_by_name(set);
        ASSERT_TRUE(info.is_ok());
        ser::FeatureExtractor ex(ser::config_by_name(info.value.config).value);
        ser::FeatureVector fv;
        ASSERT_TRUE(ser::compute_feature_vector(set, ex, audio.value.samples.data(), 1, fv).is_ok()) << set;
        for (float v : fv.values) EXPECT_TRUE(std::isfinite(v)) << set;
    }
}
