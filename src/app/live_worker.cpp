// The live analysis in a Web Worker (issue #11): the core's LiveAnalyser behind a small C API that
// web/live-worker.js calls with the microphone's chunks; it posts back each reading, the new 16 kHz
// samples and spectrum columns, so that the page's main thread only draws. Core only: no SDL, no GL.
#include <emscripten.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ser/classify/live.h"
#include "ser/model/model.h"
#include "ser/model/profile.h"

namespace {

struct WorkerModel {
    std::string name;
    std::shared_ptr<const ser::ClassifierContext> context;
};

struct WorkerState {
    std::vector<WorkerModel> models;
    std::unique_ptr<ser::Classifier> classifier;
    std::unique_ptr<ser::LiveAnalyser> live;
    std::size_t n_sent = 0;                 // samples of live->recording() already handed out
    std::size_t n_points_sent = 0;          // timeline points already handed out
    std::vector<float> new_samples, columns;
    std::string reading, error;
};

WorkerState g;

const WorkerModel* find_model(const std::string& name) {
    for (const auto& m : g.models)
        if (m.name == name) return &m;
    return nullptr;
}

ser::Status start_take(const std::string& model, int rate_hz, const std::uint8_t* profile, int n_profile) {
    const WorkerModel* m = find_model(model);
    if (!m) return ser::Status::error("live", "no model '" + model + "' in the worker; expected one the page loaded");
    g.classifier = std::make_unique<ser::Classifier>(m->context);
    if (!g.classifier->status()) return g.classifier->status();
    g.live = std::make_unique<ser::LiveAnalyser>(g.classifier.get());
    if (n_profile > 0) {
        ser::Result<ser::SpeakerProfile> p = ser::parse_profile(profile, std::size_t(n_profile));
        if (!p) return p.status;
        g.live->set_profile(std::make_shared<const ser::SpeakerProfile>(std::move(p.value)));
    }
    g.n_sent = 0;
    g.n_points_sent = 0;
    return g.live->start(rate_hz);
}

// The samples and spectrum columns the last push produced, for the page.
void collect_outputs() {
    const std::vector<float>& rec = g.live->recording();
    g.new_samples.assign(rec.begin() + std::ptrdiff_t(std::min(g.n_sent, rec.size())), rec.end());
    g.n_sent = rec.size();
    g.columns.clear();
    for (const auto& c : g.live->take_spectrum_columns()) g.columns.insert(g.columns.end(), c.begin(), c.end());
    g.reading = ser::live_reading_json(g.live->reading(g.n_points_sent));
    g.n_points_sent = g.live->timeline().size();
}

}  // namespace

extern "C" {

// 1 when the model loaded; else lw_error() says why.
EMSCRIPTEN_KEEPALIVE int lw_add_model(const char* name, const std::uint8_t* bytes, int n) {
    ser::Result<ser::Model> r = ser::parse_model(bytes, std::size_t(n));
    auto ctx = r ? ser::ClassifierContext::create(std::move(r.value)) : ser::Result<std::shared_ptr<const ser::ClassifierContext>>(r.status);
    if (!ctx) {
        g.error = ctx.status.to_string();
        return 0;
    }
    g.models.push_back({name, ctx.value});
    return 1;
}

// A new take with this model at the capture rate, with the speaker's profile (JSON) when n_profile > 0.
EMSCRIPTEN_KEEPALIVE int lw_start(const char* model, int rate_hz, const std::uint8_t* profile, int n_profile) {
    ser::Status s = start_take(model, rate_hz, profile, n_profile);
    if (!s) {
        g.live.reset();
        g.error = s.to_string();
    }
    return s ? 1 : 0;
}

// One chunk at the capture rate; 1 when analysed (then the outputs below), 0 on an error (lw_error).
EMSCRIPTEN_KEEPALIVE int lw_push(const float* samples, int n) {
    if (!g.live) {
        g.error = "live: a chunk before the take started; expected lw_start first";
        return 0;
    }
    ser::Status s = g.live->push(samples, std::size_t(n));
    if (!s) {
        g.error = s.to_string();
        return 0;
    }
    collect_outputs();
    return 1;
}

EMSCRIPTEN_KEEPALIVE void lw_stop() { g.live.reset(); }
EMSCRIPTEN_KEEPALIVE const char* lw_reading() { return g.reading.c_str(); }
EMSCRIPTEN_KEEPALIVE const float* lw_samples() { return g.new_samples.data(); }
EMSCRIPTEN_KEEPALIVE int lw_n_samples() { return int(g.new_samples.size()); }
EMSCRIPTEN_KEEPALIVE const float* lw_columns() { return g.columns.data(); }
EMSCRIPTEN_KEEPALIVE int lw_n_column_values() { return int(g.columns.size()); }
EMSCRIPTEN_KEEPALIVE const char* lw_error() { return g.error.c_str(); }

}  // extern "C"
