// Browser platform layer: the canvas size, the Emscripten main loop (gfx.h does the SDL/GL/ImGui part), and the C functions
// that web/main.js calls (models, file bytes, decoded PCM, microphone chunks, the state hook).
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <string>

#include "app.h"
#include "ser/audio/decode.h"
#include "ser/model/profile.h"
#include "gfx.h"

namespace {

// JavaScript side of the Platform (web/main.js defines window.serHost).
EM_JS(void, js_open_file_picker, (), { window.serHost.openFilePicker(); });
EM_JS(void, js_start_capture, (), { window.serHost.startCapture(); });
EM_JS(void, js_stop_capture, (), { window.serHost.stopCapture(); });
EM_JS(void, js_play, (const float* samples, int n, int rate, double from_s),
      { window.serHost.play(HEAPF32.subarray(samples >> 2, (samples >> 2) + n), rate, from_s); });
// Start-up milestones into window.serTimings (ms since navigation), for the ready-time budget.
EM_JS(void, js_mark, (const char* what), {
  if (window.serTimings) window.serTimings[UTF8ToString(what)] = performance.now();
});
EM_JS(void, js_stop_playback, (), { window.serHost.stopPlayback(); });
EM_JS(double, js_playback_position, (), { return window.serHost.playbackPosition(); });
EM_JS(void, js_save_text, (const char* name, const char* text),
      { window.serHost.saveText(UTF8ToString(name), UTF8ToString(text)); });

// localStorage may be off (a private window, a policy): then the profile lasts until the page closes.
EM_JS(void, js_keep_profile, (const char* json), {
  try {
    const text = UTF8ToString(json);
    if (text.length) window.localStorage.setItem('ser-profile', text);
    else window.localStorage.removeItem('ser-profile');
  } catch (e) {
    console.warn('ser: the profile cannot be kept in this browser (' + e + ')');
  }
});

// The page's live-analysis worker (web/live-worker.js), when it is up and holds this take's port.
EM_JS(int, js_analyses_live, (), { return window.serHost.analysesLive && window.serHost.analysesLive() ? 1 : 0; });
EM_JS(void, js_start_live, (const char* model, const char* profile),
      { window.serHost.startLive(UTF8ToString(model), UTF8ToString(profile)); });

EM_JS(void, js_announce, (const char* text, int alert), {
  if (window.serHost && window.serHost.announce) window.serHost.announce(UTF8ToString(text), !!alert);
});

class WebPlatform final : public ser_app::Platform {
public:
    const char* name() const override { return "web"; }
    void open_file_picker() override { js_open_file_picker(); }
    void start_capture() override { js_start_capture(); }
    void stop_capture() override { js_stop_capture(); }
    void play(const float* samples, std::size_t n, int rate_hz, double from_s) override {
        js_play(samples, int(n), rate_hz, from_s);
    }
    void stop_playback() override { js_stop_playback(); }
    double playback_position_s() const override { return js_playback_position(); }
    void save_text(const std::string& file_name, const std::string& text) override {
        js_save_text(file_name.c_str(), text.c_str());
    }
    void announce(const std::string& text, bool alert) override { js_announce(text.c_str(), alert ? 1 : 0); }
    void keep_profile(const std::string& json) override { js_keep_profile(json.c_str()); }
    bool analyses_live() const override { return js_analyses_live() != 0; }
    void start_live(const std::string& model, const std::string& profile_json) override {
        js_start_live(model.c_str(), profile_json.c_str());
    }
};

WebPlatform g_platform;
ser_app::App* g_app = nullptr;
ser_app::Gfx g_gfx;
std::string g_state;

// Keeps the SDL window (and so the canvas' drawing buffer) the size of the browser window.
bool fit_canvas() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    int w = 0, h = 0;
    SDL_GetWindowSize(g_gfx.window, &w, &h);
    if (int(css_w) <= 0 || int(css_h) <= 0 || (int(css_w) == w && int(css_h) == h)) return false;
    SDL_SetWindowSize(g_gfx.window, int(css_w), int(css_h));
    return true;
}

// Runs at the display's rate but draws only when something changed (App::wants_frame): an idle
// page then costs one cheap callback per frame instead of a full ImGui frame and WebGL draw.
void main_loop() {
    bool input = fit_canvas();
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
        ser_app::gfx_event(event);
        input = true;
    }
    if (input) g_app->input_arrived();
    if (!g_app->wants_frame()) return;
    ser_app::gfx_frame(g_gfx, *g_app);
}

}  // namespace

// ---- functions called from web/main.js (see docs/web.md) ----
extern "C" {

EMSCRIPTEN_KEEPALIVE void ser_add_model(const char* name, const std::uint8_t* bytes, int n) {
    g_app->add_model(name, bytes, std::size_t(n));
}
EMSCRIPTEN_KEEPALIVE int ser_select_model(const char* name) { return g_app->select_model(name) ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void ser_models_done() { g_app->models_done(); }
EMSCRIPTEN_KEEPALIVE void ser_open_bytes(const char* name, const std::uint8_t* bytes, int n) {
    g_app->open_bytes(name, bytes, std::size_t(n));
}
EMSCRIPTEN_KEEPALIVE void ser_open_pcm(const char* name, const float* planar, int n_frames, int channels, int rate_hz,
                                       const char* format) {
    g_app->open_pcm(name, planar, std::size_t(n_frames), channels, rate_hz, format);
}
// 1 when the core reads these bytes itself (then ser_open_bytes): audio it decodes, or a speaker
// profile (JSON); 0 when the page's decoder must.
EMSCRIPTEN_KEEPALIVE int ser_core_reads(const std::uint8_t* bytes, int n) {
    return ser::decoder_reads(bytes, std::size_t(n)) || ser::looks_like_profile(bytes, std::size_t(n)) ? 1 : 0;
}
// The profile the page kept in localStorage (from_storage 1) at start-up.
EMSCRIPTEN_KEEPALIVE void ser_open_profile(const std::uint8_t* bytes, int n, int from_storage) {
    g_app->open_profile(bytes, std::size_t(n), from_storage != 0);
}
EMSCRIPTEN_KEEPALIVE void ser_open_failed(const char* name, const char* message) { g_app->open_failed(name, message); }
EMSCRIPTEN_KEEPALIVE void ser_toggle_record() { g_app->toggle_record(); }
EMSCRIPTEN_KEEPALIVE void ser_capture_started(int rate_hz) { g_app->capture_started(rate_hz); }
EMSCRIPTEN_KEEPALIVE void ser_capture_chunk(const float* samples, int n) { g_app->capture_chunk(samples, std::size_t(n)); }
EMSCRIPTEN_KEEPALIVE void ser_capture_failed(const char* message) { g_app->capture_failed(message); }
// A reading of the live-analysis worker: its JSON, new 16 kHz samples, new spectrum columns.
EMSCRIPTEN_KEEPALIVE void ser_live_update(const char* reading, const float* samples, int n_samples, const float* columns,
                                          int n_column_values) {
    g_app->live_update(reading, samples, std::size_t(n_samples), columns, std::size_t(n_column_values));
}
EMSCRIPTEN_KEEPALIVE void ser_live_failed(const char* message) { g_app->live_failed(message); }
// The serState() hook: JSON text valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* ser_state_json() {
    g_state = g_app ? g_app->state_json() : std::string("{\"ready\":false}");
    return g_state.c_str();
}

}  // extern "C"

int main(int, char**) {
    std::string error;
    if (!ser_app::gfx_open(ser_app::GfxOptions{}, g_gfx, &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    js_mark("imgui_init_ms");
    static ser_app::App app(g_platform);
    g_app = &app;
    if (!app.init_graphics()) std::fprintf(stderr, "app: the heatmap shaders did not compile\n");
    js_mark("shaders_ms");
    EM_ASM({ if (window.serHost && window.serHost.appStarted) window.serHost.appStarted(); });
    emscripten_set_main_loop(main_loop, 0, true);
    return 0;
}
