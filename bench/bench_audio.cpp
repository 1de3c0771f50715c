// Benchmarks of the audio stage: WAV and FLAC decode of a RAVDESS-length clip, 48 kHz -> 16 kHz
// resampling (one shot and 128-sample stream chunks), and batch seed features over 20 clips.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "ser/audio/resample.h"
#include "ser/train/dataset.h"

namespace {

// 4 s of a 16-bit mono WAV at `rate_hz` (a RAVDESS clip is 3-5 s), built in memory.
std::vector<std::uint8_t> wav_bytes(int rate_hz) {
    const std::size_t n = std::size_t(rate_hz) * 4;
    std::vector<std::uint8_t> b(44 + 2 * n);
    auto u32 = [&](std::size_t off, std::uint32_t v) { for (int i = 0; i < 4; ++i) b[off + i] = std::uint8_t(v >> (8 * i)); };
    auto u16 = [&](std::size_t off, std::uint16_t v) { b[off] = std::uint8_t(v); b[off + 1] = std::uint8_t(v >> 8); };
    std::memcpy(b.data(), "RIFF", 4);
    u32(4, std::uint32_t(b.size() - 8));
    std::memcpy(b.data() + 8, "WAVEfmt ", 8);
    u32(16, 16);
    u16(20, 1);
    u16(22, 1);
    u32(24, std::uint32_t(rate_hz));
    u32(28, std::uint32_t(rate_hz) * 2);
    u16(32, 2);
    u16(34, 16);
    std::memcpy(b.data() + 36, "data", 4);
    u32(40, std::uint32_t(2 * n));
    for (std::size_t i = 0; i < n; ++i) u16(44 + 2 * i, std::uint16_t(std::int16_t(8000.0 * std::sin(0.031 * double(i)))));
    return b;
}

const std::string kFlac = std::string(SER_SHARED_DIR) + "/data/ravdess/Actor_01/03-01-05-02-01-01-01.flac";

void BM_DecodeWav48k(benchmark::State& state) {
    const auto b = wav_bytes(48000);
    for (auto _ : state) benchmark::DoNotOptimize(ser::decode_audio(b.data(), b.size()));
}
BENCHMARK(BM_DecodeWav48k)->Unit(benchmark::kMicrosecond);

void BM_DecodeFlac(benchmark::State& state) {
    const auto b = ser::read_file_bytes(kFlac);
    if (!b.is_ok()) {
        state.SkipWithError("RAVDESS clip not found");
        return;
    }
    for (auto _ : state) benchmark::DoNotOptimize(ser::decode_audio(b.value.data(), b.value.size()));
}
BENCHMARK(BM_DecodeFlac)->Unit(benchmark::kMicrosecond);

void BM_Resample48kTo16k4s(benchmark::State& state) {
    std::vector<float> x(48000 * 4);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.3 * std::sin(0.031 * double(i)));
    for (auto _ : state) benchmark::DoNotOptimize(ser::resample(x.data(), x.size(), 48000, 16000));
}
BENCHMARK(BM_Resample48kTo16k4s)->Unit(benchmark::kMillisecond);

// Live path: one AudioWorklet quantum (128 samples at 48 kHz, 2.7 ms of audio) per push.
void BM_StreamPush128(benchmark::State& state) {
    std::vector<float> x(128);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(0.3 * std::sin(0.031 * double(i)));
    ser::StreamResampler s;
    s.reset(48000, 16000);
    std::vector<float> out;
    for (auto _ : state) {
        out.clear();
        s.push(x.data(), x.size(), out);
        benchmark::DoNotOptimize(out.data());
    }
}
BENCHMARK(BM_StreamPush128)->Unit(benchmark::kMicrosecond);

// Training's first step: 20 RAVDESS clips, seed set, no cache, 2 threads.
void BM_BatchSeed20(benchmark::State& state) {
    auto scan = ser::scan_audio_paths({std::string(SER_SHARED_DIR) + "/data/ravdess/Actor_01"});
    if (!scan.is_ok() || scan.value.clips.size() < 20) {
        state.SkipWithError("RAVDESS folder not found");
        return;
    }
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < 20; ++i) paths.push_back(scan.value.clips[i].path);
    ser::BatchOptions opt;
    opt.n_jobs = 2;
    for (auto _ : state) benchmark::DoNotOptimize(ser::compute_batch_features(paths, opt));
}
BENCHMARK(BM_BatchSeed20)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
