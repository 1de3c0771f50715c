// Batch feature tests: threads give the same rows as a direct computation, the RAVDESS angry clip
// matches librosa's seed vector (reference C1 seed_vector.npy), failures stay per file, and the
// content-hash cache is read, refreshed when corrupt, and keyed by content.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ser/audio/decode.h"
#include "ser/train/dataset.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"
#include "npy.h"
#include "wav_fixture.h"

namespace fs = std::filesystem;

namespace {

const char* kAngry = "data/ravdess/Actor_01/03-01-05-02-01-01-01.flac";

std::vector<std::uint8_t> read_all(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}
void write_all(const fs::path& p, const std::vector<std::uint8_t>& b) {
    std::ofstream f(p, std::ios::binary);
    f.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}
std::uint64_t fnv1a(const std::uint8_t* p, std::size_t n) {
    std::uint64_t h = 14695981039346656037ull;
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

// A 0.5 s 16-bit WAV at 48 kHz (so the batch path resamples), written to `path`.
void write_test_wav(const fs::path& path) {
    std::vector<std::int32_t> v(24000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::int32_t(8000.0 * std::sin(2 * 3.14159265358979 * 300.0 * double(i) / 48000.0));
    ser::test::WavSpec s;
    s.rate_hz = 48000;
    write_all(path, ser::test::make_wav(s, ser::test::pcm_payload(v, 16)));
}

std::vector<std::string> all_files(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().string());
    return out;
}

}  // namespace

TEST(DatasetBatch, RowsMatchDirectComputationAndReference) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "FLAC clips need libsndfile (native build)";
#else
    const fs::path tmp = fs::path(::testing::TempDir()) / "ser_batch_rows";
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    write_test_wav(tmp / "tone48k.wav");
    std::ofstream(tmp / "corrupt.wav") << "not audio at all";
    const std::vector<std::string> paths = {ser::test::shared_path(kAngry), (tmp / "missing.wav").string(),
                                            (tmp / "corrupt.wav").string(), (tmp / "tone48k.wav").string()};
    ser::BatchOptions opt;
    opt.feature_set = "seed";
    opt.n_jobs = 2;
    std::vector<std::size_t> seen;
    opt.progress = [&](std::size_t done, std::size_t total) {
        EXPECT_EQ(total, 4u);
        seen.push_back(done);
    };
    auto r = ser::compute_batch_features(paths, opt);
    ASSERT_TRUE(r.is_ok()) << r.status.to_string();
    const auto& b = r.value;
    ASSERT_EQ(b.values.rows(), 4);
    ASSERT_EQ(b.values.cols(), 162);
    ASSERT_EQ(b.names.size(), 162u);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), 4u);
    for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]);
    EXPECT_TRUE(b.errors[0].empty()) << b.errors[0];
    EXPECT_TRUE(b.errors[3].empty()) << b.errors[3];
    EXPECT_NE(b.errors[1].find("missing.wav"), std::string::npos) << b.errors[1];
    EXPECT_NE(b.errors[2].find("decode"), std::string::npos) << b.errors[2];
    for (int j = 0; j < 162; ++j) {
        EXPECT_TRUE(std::isnan(b.values(1, j)) && std::isnan(b.values(2, j)));
        EXPECT_TRUE(std::isfinite(b.values(0, j)) && std::isfinite(b.values(3, j)));
    }

    // Row 3 equals the single-clip path (decode -> 16 kHz -> seed) exactly.
    auto audio = ser::load_audio_16k_file((tmp / "tone48k.wav").string());
    ASSERT_TRUE(audio.is_ok());
    ser::FeatureExtractor ex(ser::config_c1());
    ser::FeatureVector fv;
    ASSERT_TRUE(ser::compute_feature_vector("seed", ex, audio.value.samples.data(), audio.value.samples.size(), fv).is_ok());
    for (int j = 0; j < 162; ++j) EXPECT_EQ(b.values(3, j), fv.values[std::size_t(j)]) << j;

    // Row 0 against librosa (reference README section 6 segment tolerances).
    const auto ref = ser::test::read_npy(ser::test::shared_path("reference/C1_librosa-default/ravdess_a01_angry/seed_vector.npy"));
    ASSERT_TRUE(ref.ok()) << ref.error;
    float mel_max = 0.0f;
    for (int j = 34; j < 162; ++j) mel_max = std::max(mel_max, std::fabs(ref.data[std::size_t(j)]));
    for (int j = 0; j < 162; ++j) {
        const double x = b.values(0, j), y = ref.data[std::size_t(j)];
        double rtol = 1e-4, atol = 1e-4;                      // chroma
        if (j == 0) rtol = 0.0, atol = 1e-6;                  // zcr
        else if (j >= 13 && j < 33) atol = 5e-3;              // mfcc
        else if (j == 33) rtol = 1e-5, atol = 1e-6 * std::fabs(y);  // rms
        else if (j >= 34) atol = 1e-5 * mel_max;              // mel
        EXPECT_LE(std::fabs(x - y), atol + rtol * std::fabs(y)) << b.names[std::size_t(j)];
    }
    fs::remove_all(tmp);
#endif
}

TEST(DatasetBatch, CacheIsReadRefreshedAndKeyedByContent) {
    const fs::path tmp = fs::path(::testing::TempDir()) / "ser_batch_cache";
    fs::remove_all(tmp);
    fs::create_directories(tmp / "cache");
    write_test_wav(tmp / "a.wav");
    ser::BatchOptions opt;
    opt.feature_set = "seed";
    opt.n_jobs = 1;
    opt.cache_dir = (tmp / "cache").string();
    const std::vector<std::string> paths = {(tmp / "a.wav").string()};
    auto first = ser::compute_batch_features(paths, opt);
    ASSERT_TRUE(first.is_ok()) << first.status.to_string();
    ASSERT_TRUE(first.value.errors[0].empty()) << first.value.errors[0];
    auto entries = all_files(tmp / "cache");
    ASSERT_EQ(entries.size(), 1u);

    // A valid entry with a planted value proves the cache is read rather than recomputed.
    auto bytes = read_all(entries[0]);
    ASSERT_EQ(bytes.size(), 8u + 8 + 4 + 4 * 162 + 8);
    const float planted = 12345.0f;
    std::memcpy(bytes.data() + 20, &planted, 4);
    const std::uint64_t sum = fnv1a(bytes.data(), bytes.size() - 8);
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
    write_all(entries[0], bytes);
    auto cached = ser::compute_batch_features(paths, opt);
    ASSERT_TRUE(cached.is_ok());
    EXPECT_EQ(cached.value.values(0, 0), planted);
    for (int j = 1; j < 162; ++j) EXPECT_EQ(cached.value.values(0, j), first.value.values(0, j));

    // A corrupt entry (bad checksum, then cut short) is ignored and rewritten.
    for (int round = 0; round < 2; ++round) {
        bytes = read_all(entries[0]);
        if (round == 0) bytes[30] ^= 0x5A;
        else bytes.resize(50);
        write_all(entries[0], bytes);
        auto again = ser::compute_batch_features(paths, opt);
        ASSERT_TRUE(again.is_ok());
        for (int j = 0; j < 162; ++j) EXPECT_EQ(again.value.values(0, j), first.value.values(0, j)) << round << " " << j;
        EXPECT_EQ(read_all(entries[0]).size(), 8u + 8 + 4 + 4 * 162 + 8);
    }

    // Other content, or another feature set, is another key.
    std::ofstream(tmp / "a.wav", std::ios::app | std::ios::binary) << "x";  // trailing byte after the data chunk
    ASSERT_TRUE(ser::compute_batch_features(paths, opt).is_ok());
    opt.feature_set = "stats";
    ASSERT_TRUE(ser::compute_batch_features(paths, opt).is_ok());
    EXPECT_EQ(all_files(tmp / "cache").size(), 3u);
    fs::remove_all(tmp);
}

TEST(DatasetBatch, JobCountsAgreeAndBadOptionsAreRefused) {
    const fs::path tmp = fs::path(::testing::TempDir()) / "ser_batch_jobs";
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    std::vector<std::string> paths;
    for (int i = 0; i < 5; ++i) {
        write_test_wav(tmp / ("c" + std::to_string(i) + ".wav"));
        paths.push_back((tmp / ("c" + std::to_string(i) + ".wav")).string());
    }
    ser::BatchOptions opt;
    opt.n_jobs = 1;
    auto one = ser::compute_batch_features(paths, opt);
    opt.n_jobs = 3;
    auto three = ser::compute_batch_features(paths, opt);
    opt.n_jobs = 0;
    auto all = ser::compute_batch_features(paths, opt);
    ASSERT_TRUE(one.is_ok() && three.is_ok() && all.is_ok());
    EXPECT_TRUE(one.value.values == three.value.values);
    EXPECT_TRUE(one.value.values == all.value.values);

    opt.feature_set = "no_such_set";
    EXPECT_FALSE(ser::compute_batch_features(paths, opt).is_ok());
    opt.feature_set = "seed";
    opt.n_jobs = -1;
    EXPECT_FALSE(ser::compute_batch_features(paths, opt).is_ok());
    opt.n_jobs = 1;
    auto empty = ser::compute_batch_features({}, opt);
    ASSERT_TRUE(empty.is_ok());
    EXPECT_EQ(empty.value.values.rows(), 0);
    fs::remove_all(tmp);
}

TEST(DatasetBatch, AugmentedCopiesAreDeterministicPerFileAndCached) {
    const fs::path tmp = fs::path(::testing::TempDir()) / "ser_batch_aug";
    fs::remove_all(tmp);
    fs::create_directories(tmp / "cache");
    std::vector<std::string> paths;
    for (int i = 0; i < 3; ++i) {
        write_test_wav(tmp / ("c" + std::to_string(i) + ".wav"));
        paths.push_back((tmp / ("c" + std::to_string(i) + ".wav")).string());
    }
    ser::BatchOptions opt;
    opt.feature_set = "emo";
    opt.n_jobs = 2;
    opt.n_augment = 2;
    opt.augment.p_noise = 1.0;   // every copy differs from the clean clip
    auto a = ser::compute_batch_features(paths, opt);
    ASSERT_TRUE(a.is_ok()) << a.status.to_string();
    ASSERT_EQ(a.value.augmented.rows(), 6);
    EXPECT_TRUE(a.value.augmented.allFinite());
    // Same file bytes (the three WAVs are identical) give the same copies whatever the order,
    // while the two copies of one file differ from each other and from the clean vector.
    EXPECT_TRUE(a.value.augmented.row(0) == a.value.augmented.row(2 * 2));
    EXPECT_FALSE(a.value.augmented.row(0) == a.value.augmented.row(1));
    EXPECT_FALSE(a.value.augmented.row(0) == a.value.values.row(0));
    // Reversed order, cache filled then read: identical rows.
    std::vector<std::string> rev(paths.rbegin(), paths.rend());
    opt.cache_dir = (tmp / "cache").string();
    auto b = ser::compute_batch_features(rev, opt);
    auto c = ser::compute_batch_features(rev, opt);
    ASSERT_TRUE(b.is_ok() && c.is_ok());
    EXPECT_TRUE(b.value.augmented == a.value.augmented);
    EXPECT_TRUE(c.value.augmented == a.value.augmented);
    EXPECT_TRUE(c.value.values == a.value.values);
    // Another recipe is another cache entry, not a stale read.
    opt.augment.snr_min_db = opt.augment.snr_max_db = 3.0;
    auto d = ser::compute_batch_features(rev, opt);
    ASSERT_TRUE(d.is_ok());
    EXPECT_FALSE(d.value.augmented.row(0) == a.value.augmented.row(0));
    // A failing file leaves NaN rows and its message; bad counts and recipes are refused.
    write_all(tmp / "bad.wav", {'R', 'I', 'F', 'F'});
    auto e = ser::compute_batch_features({(tmp / "bad.wav").string(), paths[0]}, opt);
    ASSERT_TRUE(e.is_ok());
    EXPECT_FALSE(e.value.errors[0].empty());
    EXPECT_TRUE(std::isnan(e.value.augmented(0, 0)) && std::isnan(e.value.augmented(1, 0)));
    EXPECT_TRUE(e.value.augmented.row(2).allFinite());
    opt.n_augment = 65;
    EXPECT_FALSE(ser::compute_batch_features(paths, opt).is_ok());
    opt.n_augment = 1;
    opt.augment.p_noise = 2.0;
    EXPECT_FALSE(ser::compute_batch_features(paths, opt).is_ok());
    fs::remove_all(tmp);
}
