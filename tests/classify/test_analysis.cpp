// The staged analysis path (analysis.h) against the one-shot calls it replaces in the front ends:
// the same probabilities as Classifier::classify on load_audio_16k's samples, the same timeline as
// Classifier::timeline, the vector path equal to the sample path, and errors as values.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/base/rng.h"
#include "ser/classify/analysis.h"
#include "ser/frames/feature_config.h"
#include "ser/model/model.h"
#include "ser/vectors/feature_sets.h"

namespace {

const std::string kShipped = std::string(SER_SOURCE_DIR) + "/models/ser-3class.sermodel";
const std::string kClip = std::string(SER_SHARED_DIR) + "/data/ravdess/Actor_01/03-01-05-02-01-01-01.flac";

std::shared_ptr<const ser::ClassifierContext> shipped_context() {
    auto m = ser::load_model_file(kShipped);
    EXPECT_TRUE(m.is_ok()) << m.status.to_string();
    auto ctx = ser::ClassifierContext::create(m.value);
    EXPECT_TRUE(ctx.is_ok()) << ctx.status.to_string();
    return ctx.value;
}

// A voiced-like test signal: harmonics of 140 Hz under a syllable-rate envelope, 16 kHz.
std::vector<float> voice(double seconds, double amplitude) {
    std::vector<float> s(std::size_t(seconds * 16000));
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / 16000.0;
        double v = 0.0;
        for (int h = 1; h <= 8; ++h) v += std::sin(2 * M_PI * 140 * h * t) / h;
        s[i] = float(amplitude * (0.55 + 0.45 * std::sin(2 * M_PI * 4 * t)) * v);
    }
    return s;
}

}  // namespace

TEST(Analysis, FileEqualsClassifierOnTheSameSamples) {
#ifndef SER_HAVE_SNDFILE
    GTEST_SKIP() << "no libsndfile in this build (WebAssembly): the FLAC clip is decoded by the browser";
#endif
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    auto staged = ser::analyse_file(ctx, kClip);
    ASSERT_TRUE(staged.is_ok()) << staged.status.to_string();
    auto audio = ser::load_audio_16k_file(kClip);
    ASSERT_TRUE(audio.is_ok());
    ser::Classifier c(ctx);
    auto direct = c.classify(audio.value.samples.data(), audio.value.samples.size());
    ASSERT_TRUE(direct.is_ok());
    const ser::ClipAnalysis& a = staged.value;
    ASSERT_EQ(a.samples_16k, audio.value.samples);
    ASSERT_EQ(a.result.probabilities.size(), direct.value.probabilities.size());
    for (std::size_t k = 0; k < a.result.probabilities.size(); ++k)
        EXPECT_EQ(a.result.probabilities[k], direct.value.probabilities[k]) << k;   // same code, same bits
    EXPECT_EQ(a.result.top, direct.value.top);
    // The vector path gives the same answer as the sample path.
    auto from_vector = ctx->classify_vector(a.vector.values.data(), a.vector.values.size());
    ASSERT_TRUE(from_vector.is_ok());
    EXPECT_EQ(from_vector.value.probabilities, a.result.probabilities);
    // What the emo set used: a span inside the clip, levelled (gain recorded), its own frames.
    EXPECT_LT(a.used.start, a.used.end);
    EXPECT_LE(a.used.end, a.samples_16k.size());
    EXPECT_GT(a.used.end - a.used.start, a.samples_16k.size() / 3);
    EXPECT_TRUE(std::isfinite(a.used.gain_db));
    EXPECT_EQ(a.used.frames.n_frames, int(1 + (a.used.end - a.used.start) / ctx->config().hop_length));
    EXPECT_EQ(a.format.rfind("FLAC", 0), 0u) << a.format;
}

TEST(Analysis, TimelineEqualsClassifierTimeline) {
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    std::vector<float> s = voice(5.2, 0.2);
    // A pause in the middle: its windows stay in the timeline without probabilities.
    for (std::size_t i = 16000; i < 16000 * 4 + 8000; ++i) s[i] = 0.0f;
    ser::AnalysisOptions opt;
    opt.windows_per_step = 1;
    ser::Analysis a(opt);
    a.start_samples_16k(s, "test", 16000);
    int steps = 0;
    while (a.busy()) {
        ASSERT_TRUE(a.step(ctx).is_ok()) << a.error().to_string();
        ASSERT_LT(++steps, 1000);
    }
    ser::Classifier c(ctx);
    auto t = c.timeline(s.data(), s.size());
    ASSERT_TRUE(t.is_ok()) << t.status.to_string();
    const auto& got = a.clip().timeline;
    ASSERT_EQ(got.size(), t.value.size());
    bool saw_pause = false;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_DOUBLE_EQ(got[i].start_s, t.value[i].start_s);
        EXPECT_DOUBLE_EQ(got[i].end_s, t.value[i].end_s);
        EXPECT_EQ(got[i].probabilities, t.value[i].probabilities) << i;
        saw_pause |= got[i].probabilities.empty();
    }
    EXPECT_TRUE(saw_pause);
    EXPECT_EQ(a.stage(), ser::AnalysisStage::done);
    EXPECT_FLOAT_EQ(a.progress(), 1.0f);
}

// step_for: no budget is exactly one step; an unbounded budget ends the clip in one call with the
// results step-by-step gives; an error stops it (stage failed, no further steps).
TEST(Analysis, StepForStepsWithinItsBudget) {
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    const std::vector<float> s = voice(5.2, 0.2);
    ser::AnalysisOptions opt;
    opt.windows_per_step = 1;
    ser::Analysis one(opt);
    one.start_samples_16k(s, "test", 16000);
    ASSERT_EQ(one.stage(), ser::AnalysisStage::classify);
    ASSERT_TRUE(one.step_for(ctx, 0.0).is_ok());
    EXPECT_EQ(one.stage(), ser::AnalysisStage::timeline);   // 5.2 s is longer than one window
    EXPECT_TRUE(one.clip().timeline.empty());
    ASSERT_TRUE(one.step_for(ctx, -1.0).is_ok());
    EXPECT_EQ(one.clip().timeline.size(), 1u);
    ASSERT_TRUE(one.run(ctx).is_ok());

    ser::Analysis all(opt);
    all.start_samples_16k(s, "test", 16000);
    ASSERT_TRUE(all.step_for(ctx, 1e9).is_ok());
    EXPECT_EQ(all.stage(), ser::AnalysisStage::done);
    EXPECT_EQ(all.clip().result.probabilities, one.clip().result.probabilities);
    ASSERT_EQ(all.clip().timeline.size(), one.clip().timeline.size());
    ASSERT_GT(all.clip().timeline.size(), 1u);
    for (std::size_t i = 0; i < all.clip().timeline.size(); ++i)
        EXPECT_EQ(all.clip().timeline[i].probabilities, one.clip().timeline[i].probabilities) << i;

    ser::Analysis silent(opt);
    silent.start_samples_16k(std::vector<float>(16000 * 2, 0.0f), "test", 16000);
    const ser::Status st = silent.step_for(ctx, 1e9);
    EXPECT_FALSE(st.is_ok());
    EXPECT_EQ(silent.stage(), ser::AnalysisStage::failed);
    EXPECT_NE(st.to_string().find("silent"), std::string::npos) << st.to_string();
}

// The timeline's windows share frames (EmoStream, each frame of the clip analysed once); each point
// still equals the whole-window classification of its span, computed alone, within 1e-4.
TEST(Analysis, TimelinePointsEqualClassifyOfTheirSpans) {
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    ASSERT_EQ(ctx->model().feature_set, "emo");
    std::vector<float> s = voice(9.0, 0.05);
    for (std::size_t i = 0; i < s.size(); ++i) s[i] *= float(1.0 + 3.0 * double(i) / double(s.size()));  // louder
    ser::Classifier timeline_classifier(ctx), batch(ctx);
    auto t = timeline_classifier.timeline(s.data(), s.size());
    ASSERT_TRUE(t.is_ok()) << t.status.to_string();
    ASSERT_GE(t.value.size(), 12u);
    float worst = 0.0f;
    for (const auto& p : t.value) {
        const std::size_t a = std::size_t(std::lround(p.start_s * 16000)), b = std::size_t(std::lround(p.end_s * 16000));
        auto r = batch.classify(s.data() + a, b - a);
        ASSERT_TRUE(r.is_ok()) << r.status.to_string();
        ASSERT_EQ(p.probabilities.size(), r.value.probabilities.size());
        for (std::size_t k = 0; k < p.probabilities.size(); ++k)
            worst = std::max(worst, std::fabs(p.probabilities[k] - r.value.probabilities[k]));
    }
    EXPECT_LT(worst, 1e-4f);
}

TEST(Analysis, SilenceCorruptAndTooLongAreErrorValues) {
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    ser::Analysis a;
    a.start_samples_16k(std::vector<float>(32000, 0.0f), "silence", 16000);
    ser::Status st = a.run(ctx);
    EXPECT_FALSE(st.is_ok());
    EXPECT_TRUE(a.clip().silent);
    EXPECT_NE(st.message.find("silent"), std::string::npos) << st.to_string();
    EXPECT_EQ(a.stage(), ser::AnalysisStage::failed);

    const std::uint8_t junk[] = {'R', 'I', 'F', 'F', 1, 2, 3};
    a.start_bytes(junk, sizeof junk);
    EXPECT_FALSE(a.run(ctx).is_ok());
    EXPECT_FALSE(a.clip().silent);

    ser::AnalysisOptions short_only;
    short_only.max_duration_s = 1.0;
    ser::Analysis b(short_only);
    std::vector<float> two_s = voice(2.0, 0.2);
    b.start_pcm(two_s.data(), two_s.size(), 1, 16000, "pcm");
    st = b.run(ctx);
    EXPECT_FALSE(st.is_ok());
    EXPECT_NE(st.message.find("at most 1 s"), std::string::npos) << st.to_string();

    b.start_pcm(two_s.data(), two_s.size(), 0, 16000, "pcm");
    EXPECT_FALSE(b.run(ctx).is_ok());
    // No model: a message, not a crash.
    ser::Analysis c;
    c.start_samples_16k(voice(1.0, 0.2), "x", 16000);
    EXPECT_FALSE(c.run(nullptr).is_ok());
}

TEST(Analysis, PlanarStereoEqualsInterleavedDecode) {
    auto ctx = shipped_context();
    ASSERT_TRUE(ctx);
    // Two different channels: the planar host path downmixes as librosa.to_mono does.
    std::vector<float> left = voice(1.5, 0.2), right = voice(1.5, 0.1);
    const std::size_t n = left.size();
    std::vector<float> planar(left);
    planar.insert(planar.end(), right.begin(), right.end());
    ser::Analysis a;
    a.start_pcm(planar.data(), n, 2, 16000, "planar");
    ASSERT_TRUE(a.run(ctx).is_ok()) << a.error().to_string();
    std::vector<float> mono(n);
    for (std::size_t i = 0; i < n; ++i) mono[i] = (left[i] + right[i]) / 2.0f;
    ser::Classifier c(ctx);
    auto r = c.classify(mono.data(), mono.size());
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(a.clip().samples_16k, mono);
    EXPECT_EQ(a.clip().result.probabilities, r.value.probabilities);
    EXPECT_EQ(a.clip().source_channels, 2);
}
