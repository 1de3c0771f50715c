// Browser platform layer: SDL2 + WebGL2 window, the Emscripten main loop, and the C functions
// that web/main.js calls (models, file bytes, decoded PCM, microphone chunks, the state hook).
#include <GLES3/gl3.h>
#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <string>

#include "app.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"

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
};

WebPlatform g_platform;
ser_app::App* g_app = nullptr;
SDL_Window* g_window = nullptr;
std::string g_state;

// Keeps the SDL window (and so the canvas' drawing buffer) the size of the browser window.
void fit_canvas() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    int w = 0, h = 0;
    SDL_GetWindowSize(g_window, &w, &h);
    if (int(css_w) > 0 && int(css_h) > 0 && (int(css_w) != w || int(css_h) != h))
        SDL_SetWindowSize(g_window, int(css_w), int(css_h));
}

void main_loop() {
    fit_canvas();
    SDL_Event event;
    while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    g_app->frame();
    ImGui::Render();
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(g_window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.06f, 0.06f, 0.08f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
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
EMSCRIPTEN_KEEPALIVE void ser_open_failed(const char* name, const char* message) { g_app->open_failed(name, message); }
EMSCRIPTEN_KEEPALIVE void ser_capture_started(int rate_hz) { g_app->capture_started(rate_hz); }
EMSCRIPTEN_KEEPALIVE void ser_capture_chunk(const float* samples, int n) { g_app->capture_chunk(samples, std::size_t(n)); }
EMSCRIPTEN_KEEPALIVE void ser_capture_failed(const char* message) { g_app->capture_failed(message); }
// The serState() hook: JSON text valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* ser_state_json() {
    g_state = g_app ? g_app->state_json() : std::string("{\"ready\":false}");
    return g_state.c_str();
}

}  // extern "C"

int main(int, char**) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0) {
        std::fprintf(stderr, "app: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    js_mark("sdl_init_ms");
    // WebGL2 = OpenGL ES 3.0: the heatmap shaders are GLSL ES 3.00.
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    // ImGui draws in 2D: no depth, stencil or multisampling (a cheaper WebGL context).
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, 0);
    g_window = SDL_CreateWindow("ser", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 800,
                                SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE);
    if (!g_window) {
        std::fprintf(stderr, "app: SDL_CreateWindow failed: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(g_window);
    if (!gl) {
        std::fprintf(stderr, "app: WebGL2 is not available: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(g_window, gl);
    js_mark("gl_context_ms");

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no imgui.ini in the browser
    ImGui::StyleColorsDark();
    ImGui::GetStyle().FrameRounding = 4.0f;
    ImGui_ImplSDL2_InitForOpenGL(g_window, gl);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    js_mark("imgui_init_ms");
    static ser_app::App app(g_platform);
    g_app = &app;
    if (!app.init_graphics()) std::fprintf(stderr, "app: the heatmap shaders did not compile\n");
    js_mark("shaders_ms");
    EM_ASM({ if (window.serHost && window.serHost.appStarted) window.serHost.appStarted(); });
    emscripten_set_main_loop(main_loop, 0, true);
    return 0;
}
