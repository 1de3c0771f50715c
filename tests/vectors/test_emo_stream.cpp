// EmoStream (vectors/emo_stream.h) against the batch compute_emo on the same samples: sliding windows
// over real speech at three levels, unaligned offsets, reuse counts, silence, invalid input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "ser/frames/feature_config.h"
#include "ser/vectors/emo_set.h"
#include "ser/vectors/emo_stream.h"
#include "npy.h"

namespace {

std::vector<float> speech_stream() {
    std::string error;
    std::vector<float> x = ser::test::speech_at_three_levels(&error);
    EXPECT_FALSE(x.empty()) << error;
    return x;
}

// Tolerance: the stream scales each frame's analysis by the window's gain where compute_emo scales
// the samples first, so values differ by float32 rounding carried through logs and ratios
// (measured: at most a few 1e-5 relative). A flipped decision (a voiced or active frame, a trough)
// would move a statistic by far more than this.
constexpr float kRelTol = 2e-4f;
constexpr float kAbsTol = 2e-4f;

struct Difference {
    float worst = 0.0f;   // largest |a - b| / (abs + rel |b|)
    int index = -1;
};

Difference compare(const std::vector<float>& stream, const std::vector<float>& batch) {
    Difference d;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const float r = std::fabs(stream[i] - batch[i]) / (kAbsTol + kRelTol * std::fabs(batch[i]));
        if (r > d.worst) d = {r, int(i)};
    }
    return d;
}

}  // namespace

// The live path's windows (3 s every 0.5 s, growing from 1 s at the start) over 11 s of speech.
TEST(EmoStream, WindowVectorsEqualTheBatchVectors) {
    const std::vector<float> x = speech_stream();
    ASSERT_GT(x.size(), std::size_t(8 * 16000));
    ser::EmoStream stream;
    ASSERT_TRUE(stream.status()) << stream.status().to_string();
    ser::FeatureExtractor extractor(ser::config_c2());
    const std::vector<std::string> names = ser::emo_names();
    int n_windows = 0, n_full = 0;
    for (std::size_t end = 16000; end <= x.size(); end += 8000) {
        const std::size_t start = end > 48000 ? end - 48000 : 0;
        ser::FeatureVector live, batch;
        ASSERT_TRUE(stream.compute(x.data() + start, end - start, std::int64_t(start), live));
        ASSERT_TRUE(ser::compute_emo(extractor, x.data() + start, end - start, batch));
        ASSERT_EQ(live.values.size(), batch.values.size());
        const Difference d = compare(live.values, batch.values);
        EXPECT_LE(d.worst, 1.0f) << "window " << start << ".." << end << ": " << names[d.index] << " stream "
                                 << live.values[d.index] << " batch " << batch.values[d.index];
        ++n_windows;
        // Once the window slides, a window analyses the 50 frames that 0.5 s brought and the
        // frames whose 1024-sample YIN frame reaches past its trimmed part's edges (centres within
        // 512 samples of an edge, 10 ms apart: at most 4 at each end); the rest is kept.
        if (start > 0) {
            ++n_full;
            EXPECT_LE(stream.n_analysed(), 50 + 2 * 4) << "window " << start << ".." << end;
            EXPECT_GT(stream.n_reused(), 0) << "window " << start << ".." << end;
        }
    }
    EXPECT_GE(n_windows, 15);
    EXPECT_GE(n_full, 10);
}

// Offsets off the 10 ms frame grid: no frame centre repeats, so nothing is reused, and the vector
// still equals the batch one; a reset forgets what was analysed.
TEST(EmoStream, UnalignedWindowsAndReset) {
    const std::vector<float> x = speech_stream();
    ser::EmoStream stream;
    ser::FeatureExtractor extractor(ser::config_c2());
    for (std::size_t start : {std::size_t(0), std::size_t(8037), std::size_t(16111)}) {
        ser::FeatureVector live, batch;
        ASSERT_TRUE(stream.compute(x.data() + start, 40000, std::int64_t(start), live));
        ASSERT_TRUE(ser::compute_emo(extractor, x.data() + start, 40000, batch));
        EXPECT_LE(compare(live.values, batch.values).worst, 1.0f) << "offset " << start;
        if (start > 0) EXPECT_EQ(stream.n_reused(), 0) << "offset " << start;
    }
    ser::FeatureVector again;
    ASSERT_TRUE(stream.compute(x.data() + 16111, 40000, 16111, again));
    // The same window again: only the frames that reach past the trimmed part's edges (at most 4
    // at each end) are analysed; every other frame is kept...
    EXPECT_LE(stream.n_analysed(), 2 * 4);
    EXPECT_GT(stream.n_reused(), 180);
    stream.reset();
    ASSERT_TRUE(stream.compute(x.data() + 16111, 40000, 16111, again));
    EXPECT_EQ(stream.n_reused(), 0);     // ...until the reset
}

// Windows shorter than one YIN frame (1024 samples) have no frame inside their trimmed part: every
// frame is an edge frame, analysed with zero padding as compute_emo pads.
TEST(EmoStream, ShortWindowsEqualTheBatchVectors) {
    const std::vector<float> x = speech_stream();
    ser::EmoStream stream;
    ser::FeatureExtractor extractor(ser::config_c2());
    for (std::size_t n : {std::size_t(1), std::size_t(161), std::size_t(1023), std::size_t(2000)}) {
        ser::FeatureVector live, batch;
        ASSERT_TRUE(stream.compute(x.data() + 20000, n, 20000, live)) << n;
        ASSERT_TRUE(ser::compute_emo(extractor, x.data() + 20000, n, batch)) << n;
        EXPECT_LE(compare(live.values, batch.values).worst, 1.0f) << n << " samples";
    }
}

TEST(EmoStream, SilenceGivesTheBatchValues) {
    ser::EmoStream stream;
    ser::FeatureExtractor extractor(ser::config_c2());
    const std::vector<float> zeros(32000, 0.0f);
    ser::FeatureVector live, batch;
    ASSERT_TRUE(stream.compute(zeros.data(), zeros.size(), 0, live));
    ASSERT_TRUE(ser::compute_emo(extractor, zeros.data(), zeros.size(), batch));
    EXPECT_EQ(live.values, batch.values);
    for (float v : live.values) EXPECT_TRUE(std::isfinite(v));
}

TEST(EmoStream, RefusesInvalidInput) {
    ser::EmoStream stream;
    ser::FeatureVector out;
    std::vector<float> x(16000, 0.01f);
    EXPECT_FALSE(stream.compute(x.data(), 0, 0, out));
    EXPECT_FALSE(stream.compute(nullptr, 10, 0, out));
    const ser::Status negative = stream.compute(x.data(), x.size(), -160, out);
    EXPECT_FALSE(negative);
    EXPECT_NE(negative.to_string().find("offset"), std::string::npos) << negative.to_string();
    x[123] = std::numeric_limits<float>::quiet_NaN();
    const ser::Status nan = stream.compute(x.data(), x.size(), 0, out);
    EXPECT_FALSE(nan);
    EXPECT_NE(nan.to_string().find("finite"), std::string::npos) << nan.to_string();
}
