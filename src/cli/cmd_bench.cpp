// `ser bench`: speed of the feature stage on synthetic audio and of the whole data set (FLAC -> vectors) on one core.
// Thin front end over ser::compute_feature_vector and ser::load_audio_16k_file; librosa 0.9.2 needs about 18 ms per second of audio.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "ser/audio/decode.h"
#include "cli.h"
#include "eval_common.h"
#include "ser/train/dataset.h"
#include "ser/frames/feature_config.h"
#include "ser/vectors/feature_sets.h"
#include "ser/frames/frame_features.h"

namespace ser::cli {
namespace {

// librosa 0.9.2 (numpy 1.24, one core) for the seed vector: about 18 ms per second of 16 kHz audio.
constexpr double kLibrosaMsPerAudioS = 18.0;

void help(FILE* out) {
    std::fprintf(out,
                 "usage: ser bench [--seconds N] [--set NAME] [--data DIR | --no-data] [--limit N]\n\n"
                 "Speed of the feature stage on one core.\n"
                 "  1. A synthetic speech-like signal of N seconds (default 1) at 16 kHz: time per\n"
                 "     second of audio for the feature set, as ms, x real time, and against librosa's\n"
                 "     %.0f ms per second of audio.\n"
                 "  2. A data set: every audio file below DIR decoded (ser::load_audio_16k_file) and\n"
                 "     turned into a feature vector, one file after the other on this thread.\n"
                 "     Default DIR: ../shared/data/ravdess (from the current directory or the\n"
                 "     repository holding this binary) when it exists.\n\n"
                 "  --seconds N   length of the synthetic signal, 0.05 to 600 (default 1)\n"
                 "  --set NAME    feature set (default seed)\n"
                 "  --data DIR    data set folder (files or folders, searched recursively)\n"
                 "  --no-data     skip part 2\n"
                 "  --limit N     use only the first N files of the data set\n",
                 kLibrosaMsPerAudioS);
}

int usage_error(const std::string& text) {
    std::fprintf(stderr, "ser bench: %s\n(ser bench --help for the options)\n", text.c_str());
    return kExitUsage;
}

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double cpu_s() { return double(std::clock()) / CLOCKS_PER_SEC; }

// A 150 Hz harmonic stack with vibrato plus a little noise: enough spectral peaks for the
// tuning estimate to do realistic work (a pure sine would be too easy).
std::vector<float> speech_like(double seconds) {
    const int sr = kTargetRateHz;
    const std::size_t n = std::size_t(seconds * sr);
    std::vector<float> y(n);
    unsigned state = 12345u;
    double phase = 0.0;
    const double two_pi = 6.283185307179586;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = double(i) / sr;
        phase += two_pi * 150.0 * (1.0 + 0.05 * std::sin(two_pi * 3.0 * t)) / sr;
        double v = 0.0;
        for (int h = 1; h <= 10; ++h) v += std::sin(h * phase) / h;
        state = state * 1664525u + 1013904223u;
        y[i] = float(0.1 * v + 0.01 * (double(state >> 8) / double(1u << 24) - 0.5));
    }
    return y;
}

bool is_dir(const std::string& p) { return access(p.c_str(), R_OK | X_OK) == 0; }

std::string default_data_dir() {
    const std::string rel = "../shared/data/ravdess";
    if (is_dir(rel)) return rel;
    // The binary usually sits in <repo>/build/native/ser.
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        std::string dir(exe);
        for (int up = 0; up < 4 && dir.find('/') != std::string::npos; ++up) {
            dir = dir.substr(0, dir.rfind('/'));
            if (is_dir(dir + "/" + rel)) return dir + "/" + rel;
        }
    }
    return std::string();
}

struct BenchRequest {
    double seconds = 1.0;
    std::string set_name = "seed", data_dir;
    bool no_data = false;
    long limit = -1;   // files of the data set, -1 = all
};

Result<BenchRequest> read_request(const ParsedArgs& a) {
    BenchRequest r;
    if (a.has("seconds")) {
        Result<double> s = parse_double("seconds", a.get("seconds"), 0.05, 600.0);
        if (!s) return s.status;
        r.seconds = s.value;
    }
    if (a.has("limit")) {
        Result<int> n = parse_int("limit", a.get("limit"), 1, 1 << 30);
        if (!n) return n.status;
        r.limit = n.value;
    }
    if (!a.positional.empty()) return Status::error("bench", "unexpected argument '" + a.positional[0] + "'; see --help");
    r.set_name = a.get("set", r.set_name);
    r.no_data = a.has("no-data");
    r.data_dir = a.has("data") ? a.get("data") : default_data_dir();
    return r;
}

void report_error(const Status& st, const std::string& path = "") {
    std::fprintf(stderr, "ser bench: %s%s%s\n", path.c_str(), path.empty() ? "" : ": ", st.to_string().c_str());
}

// Part 1: a synthetic signal, repeated for at least half a second of wall time.
int bench_synthetic(const BenchRequest& r, const FeatureSetInfo& info, const FeatureConfig& config,
                    FeatureExtractor& extractor) {
    const std::vector<float> y = speech_like(r.seconds);
    FeatureVector v;
    Status st = compute_feature_vector(r.set_name, extractor, y.data(), y.size(), v);  // warm-up
    if (!st) return report_error(st), kExitFailed;
    long reps = 0;
    const double w0 = now_s(), c0 = cpu_s();
    double w1 = w0;
    while (w1 - w0 < 0.5 || reps < 5) {
        st = compute_feature_vector(r.set_name, extractor, y.data(), y.size(), v);
        if (!st) return report_error(st), kExitFailed;
        ++reps;
        w1 = now_s();
    }
    const double cpu_per_call = (cpu_s() - c0) / reps, wall_per_call = (w1 - w0) / reps;
    const double ms_per_audio_s = 1000.0 * cpu_per_call / r.seconds;
    std::printf("set %s v%d on %s, %zu values\n", info.name.c_str(), info.version, config.describe().c_str(), v.values.size());
    std::printf("synthetic %.2f s of 16 kHz audio, %ld runs on one core:\n", r.seconds, reps);
    std::printf("  %.3f ms CPU per second of audio (%.3f ms wall), %.0fx real time, %.1fx faster than "
                "librosa's %.0f ms/s\n",
                ms_per_audio_s, 1000.0 * wall_per_call / r.seconds, 1000.0 / ms_per_audio_s,
                kLibrosaMsPerAudioS / ms_per_audio_s, kLibrosaMsPerAudioS);
    return kExitOk;
}

// Part 2: the data set, decode + features, one file after the other.
int bench_data(const BenchRequest& r, FeatureExtractor& extractor) {
    if (r.data_dir.empty()) {
        std::printf("data set: none (../shared/data/ravdess not found; use --data DIR)\n");
        return kExitOk;
    }
    const Result<ScanResult> scan = scan_audio_paths({r.data_dir});
    if (!scan) return report_error(scan.status), kExitFailed;
    std::vector<std::string> files;
    for (const Clip& c : scan.value.clips) files.push_back(c.path);
    if (r.limit > 0 && long(files.size()) > r.limit) files.resize(std::size_t(r.limit));
    if (files.empty()) {
        std::fprintf(stderr, "ser bench: no audio files below %s\n", r.data_dir.c_str());
        return kExitFailed;
    }
    double decode_cpu = 0.0, feature_cpu = 0.0, audio_s = 0.0;
    std::size_t n_failed = 0;
    FeatureVector v;
    const double d0 = now_s();
    for (const std::string& path : files) {
        const double t0 = cpu_s();
        const Result<Audio> audio = load_audio_16k_file(path);
        const double t1 = cpu_s();
        decode_cpu += t1 - t0;
        if (!audio) {
            report_error(audio.status, path);
            ++n_failed;
            continue;
        }
        audio_s += audio.value.duration_s();
        const Status st = compute_feature_vector(r.set_name, extractor, audio.value.samples.data(), audio.value.samples.size(), v);
        feature_cpu += cpu_s() - t1;
        if (!st) {
            report_error(st, path);
            ++n_failed;
        }
    }
    const double wall = now_s() - d0;
    std::printf("data set %s: %zu files, %.1f s of audio, one core:\n", r.data_dir.c_str(), files.size(), audio_s);
    std::printf("  decode+resample %.3f s CPU, features %.3f s CPU (%.3f ms per second of audio), "
                "total %.3f s CPU, %.3f s wall, %.0fx real time\n",
                decode_cpu, feature_cpu, audio_s > 0 ? 1000.0 * feature_cpu / audio_s : 0.0,
                decode_cpu + feature_cpu, wall, audio_s / std::max(1e-9, decode_cpu + feature_cpu));
    if (n_failed > 0) {
        std::fprintf(stderr, "ser bench: %zu of %zu files failed\n", n_failed, files.size());
        return kExitFailed;
    }
    return kExitOk;
}

int run_bench(const Args& args) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            help(stdout);
            return kExitOk;
        }
    Result<ParsedArgs> parsed = parse_args(args, {"seconds", "set", "data", "limit"}, {"no-data"});
    if (!parsed) return usage_error(parsed.status.to_string());
    Result<BenchRequest> rq = read_request(parsed.value);
    if (!rq) return usage_error(rq.status.to_string());
    const Result<FeatureSetInfo> info = feature_set_by_name(rq.value.set_name);
    if (!info) return usage_error(info.status.to_string());
    const Result<FeatureConfig> config = config_by_name(info.value.config);
    if (!config) return report_error(config.status), kExitFailed;
    FeatureExtractor extractor(config.value);
    if (!extractor.status()) return report_error(extractor.status()), kExitFailed;
    const int synthetic = bench_synthetic(rq.value, info.value, config.value, extractor);
    if (synthetic != kExitOk || rq.value.no_data) return synthetic;
    return bench_data(rq.value, extractor);
}

const Registration reg{{"bench", "speed of the feature stage (synthetic audio and the data set, one core)", run_bench}};

}  // namespace
}  // namespace ser::cli
