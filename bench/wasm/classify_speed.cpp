// Speed of the one analysis path (bytes -> probabilities) in WebAssembly, run under Node: the page's
// classify time without the browser, so that build flags can be compared on the same clips.
// Usage: node classify_speed.js MODEL.sermodel CLIP.wav... (WAV: the wasm core has no libsndfile).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ser/classify/analysis.h"
#include "ser/model/model.h"

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: classify_speed MODEL CLIP.wav...\n");
        return 2;
    }
    auto model = ser::load_model_file(argv[1]);
    if (!model) return std::fprintf(stderr, "%s\n", model.status.to_string().c_str()), 1;
    auto ctx = ser::ClassifierContext::create(std::move(model.value));
    if (!ctx) return std::fprintf(stderr, "%s\n", ctx.status.to_string().c_str()), 1;
    // As the page runs it: one Analysis for every clip (its state and tables kept), warmed up at
    // load (Analysis::prepare), frames kept for the views, no timeline.
    ser::AnalysisOptions options;
    options.timeline = false;
    ser::Analysis analysis(options);
    const double t_prepare = now_ms();
    if (ser::Status st = analysis.prepare(ctx.value); !st) return std::fprintf(stderr, "%s\n", st.to_string().c_str()), 1;
    std::printf("warm-up at load (Analysis::prepare) %.1f ms\n", now_ms() - t_prepare);
    const int n_runs = 15;
    for (int i = 2; i < argc; ++i) {
        const std::vector<std::uint8_t> bytes = read_bytes(argv[i]);
        std::vector<double> ms, classify_ms;   // whole path; classify stage (serState().perf.classify_ms)
        double duration_s = 0.0;
        for (int r = 0; r <= n_runs; ++r) {  // run 0 (the first after the warm-up) is reported apart
            const double t0 = now_ms();
            analysis.start_bytes(bytes.data(), bytes.size());
            const ser::Status st = analysis.run(ctx.value);
            ms.push_back(now_ms() - t0);
            if (!st) return std::fprintf(stderr, "%s: %s\n", argv[i], st.to_string().c_str()), 1;
            duration_s = double(analysis.clip().samples_16k.size()) / 16000.0;
            classify_ms.push_back(analysis.clip().classify_ms);
        }
        const double first = ms.front(), first_classify = classify_ms.front();
        ms.erase(ms.begin());
        classify_ms.erase(classify_ms.begin());
        std::sort(ms.begin(), ms.end());
        std::sort(classify_ms.begin(), classify_ms.end());
        std::printf("%s: %.2f s; whole path first %.1f ms, best %.2f, median %.2f (%.2f ms per second of audio); "
                    "classify stage first %.2f, best %.2f, median %.2f ms\n",
                    argv[i], duration_s, first, ms.front(), ms[ms.size() / 2], ms[ms.size() / 2] / duration_s,
                    first_classify, classify_ms.front(), classify_ms[classify_ms.size() / 2]);
    }
    return 0;
}
