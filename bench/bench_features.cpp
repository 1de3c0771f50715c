// Speed of the feature stage: frame features and the "seed"/"stats" vectors for 1 s and 3.5 s of 16 kHz audio,
// and the live path's emo windows, framed anew or incrementally (EmoStream).
// Google Benchmark; the reference point is librosa 0.9.2 at about 18 ms per second of audio for the seed vector.
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "ser/vectors/feature_sets.h"
#include "ser/classify/classifier.h"
#include "ser/frames/frame_features.h"
#include "ser/model/model.h"
#include "ser/vectors/emo_set.h"
#include "ser/vectors/emo_stream.h"

namespace {

// Speech-like test signal: a 150 Hz harmonic stack with a slow vibrato plus a little noise,
// so tuning estimation and chroma see realistic peak counts.
std::vector<float> test_signal(double seconds) {
    const int sr = 16000;
    const int n = int(seconds * sr);
    std::vector<float> y(n);
    unsigned state = 12345u;
    double phase = 0.0;
    for (int i = 0; i < n; ++i) {
        const double t = double(i) / sr;
        const double f0 = 150.0 * (1.0 + 0.05 * std::sin(2 * 3.14159265358979 * 3.0 * t));
        phase += 2 * 3.14159265358979 * f0 / sr;
        double v = 0.0;
        for (int h = 1; h <= 10; ++h) v += std::sin(h * phase) / h;
        state = state * 1664525u + 1013904223u;
        v = 0.1 * v + 0.01 * (double(state >> 8) / double(1u << 24) - 0.5);
        y[i] = float(v);
    }
    return y;
}

void run_set(benchmark::State& state, const char* set, const char* config) {
    const double seconds = double(state.range(0)) / 10.0;
    const std::vector<float> y = test_signal(seconds);
    ser::FeatureExtractor fx(ser::config_by_name(config).value);
    ser::FeatureVector v;
    for (auto _ : state) {
        const ser::Status s = ser::compute_feature_vector(set, fx, y.data(), y.size(), v);
        if (!s) state.SkipWithError(s.to_string().c_str());
        benchmark::DoNotOptimize(v.values.data());
    }
    state.counters["audio_s_per_s"] =
        benchmark::Counter(seconds, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_SeedVector(benchmark::State& state) { run_set(state, "seed", "C1"); }
void BM_StatsVector(benchmark::State& state) { run_set(state, "stats", "C2"); }

void BM_FrameFeatures(benchmark::State& state, const char* config) {
    const double seconds = double(state.range(0)) / 10.0;
    const std::vector<float> y = test_signal(seconds);
    ser::FeatureExtractor fx(ser::config_by_name(config).value);
    ser::FrameFeatures f;
    for (auto _ : state) {
        const ser::Status s = fx.compute(y.data(), y.size(), f);
        if (!s) state.SkipWithError(s.to_string().c_str());
        benchmark::DoNotOptimize(f.mfcc.data());
    }
}

}  // namespace

// Arguments are tenths of a second: 10 = 1 s, 35 = 3.5 s (a RAVDESS clip).
BENCHMARK(BM_SeedVector)->Arg(10)->Arg(35)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StatsVector)->Arg(10)->Arg(35)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FrameFeatures, C1, "C1")->Arg(10)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FrameFeatures, C2, "C2")->Arg(10)->Unit(benchmark::kMicrosecond);

// The live path's windows (3 s every 0.5 s) over 10 s of the test signal: every window framed anew
// (compute_emo, as before EmoStream) against EmoStream, which analyses each frame once. Time per window.
void BM_LiveEmoWindows(benchmark::State& state) {
    const bool incremental = state.range(0) != 0;
    const std::vector<float> y = test_signal(10.0);
    ser::FeatureExtractor fx(ser::config_c2());
    ser::EmoStream stream;
    ser::FeatureVector v;
    int n_windows = 0;
    for (auto _ : state) {
        stream.reset();
        for (std::size_t end = 48000; end <= y.size(); end += 8000, ++n_windows) {
            const std::size_t start = end - 48000;
            const ser::Status s = incremental ? stream.compute(y.data() + start, 48000, std::int64_t(start), v)
                                              : ser::compute_emo(fx, y.data() + start, 48000, v);
            if (!s) state.SkipWithError(s.to_string().c_str());
            benchmark::DoNotOptimize(v.values.data());
        }
    }
    state.counters["windows"] = benchmark::Counter(double(n_windows), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LiveEmoWindows)->ArgName("incremental")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// A 30 s clip's timeline (3 s every 0.5 s) with the shipped ser-3class model: each window framed
// anew (Classifier::timeline_point, as before the timeline used EmoStream) against
// Classifier::timeline, whose windows share frames. Time per second of audio.
void BM_Timeline(benchmark::State& state) {
    const bool shared_frames = state.range(0) != 0;
    auto model = ser::load_model_file(std::string(SER_SOURCE_DIR) + "/models/ser-3class.sermodel");
    if (!model) return state.SkipWithError(model.status.to_string().c_str());
    ser::Classifier classifier(model.value);
    const std::vector<float> y = test_signal(30.0);
    auto spans = ser::timeline_windows(y.size());
    for (auto _ : state) {
        if (shared_frames) {
            auto t = classifier.timeline(y.data(), y.size());
            if (!t) state.SkipWithError(t.status.to_string().c_str());
            benchmark::DoNotOptimize(t.value.data());
            continue;
        }
        for (const ser::SampleSpan& s : spans.value) {
            auto p = classifier.timeline_point(y.data(), s);
            if (!p) state.SkipWithError(p.status.to_string().c_str());
            benchmark::DoNotOptimize(p.value.probabilities.data());
        }
    }
    state.counters["audio_s_per_s"] = benchmark::Counter(30.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Timeline)->ArgName("shared_frames")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// main() comes from bench_model.cpp (one BENCHMARK_MAIN per ser_benchmarks binary).
