// Desktop platform layer: SDL2 window with an OpenGL ES 3.0 context (the same shaders and ImGui
// backend as WebGL2), models from a folder, files from drops or the command line, SDL capture/playback.
#include <GLES3/gl3.h>
#include <SDL.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"

namespace {

std::vector<std::uint8_t> read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = bool(in);
    return ok ? std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {}) : std::vector<std::uint8_t>{};
}

class NativePlatform final : public ser_app::Platform {
public:
    ser_app::App* app = nullptr;

    const char* name() const override { return "desktop"; }

    void open_file_picker() override {
        // No toolkit dependency for a dialog: files come by drag and drop or on the command line.
        SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_INFORMATION, "ser",
                                 "Drop an audio file on the window, or start ser-app with a file name.", nullptr);
    }

    void start_capture() override {
        SDL_AudioSpec want{}, have{};
        want.freq = 48000;
        want.format = AUDIO_F32SYS;
        want.channels = 1;
        want.samples = 1024;
        want.callback = &NativePlatform::capture_callback;
        want.userdata = this;
        capture_dev_ = SDL_OpenAudioDevice(nullptr, 1, &want, &have, SDL_AUDIO_ALLOW_FREQUENCY_CHANGE);
        if (capture_dev_ == 0) {
            app->capture_failed(std::string("microphone: no capture device could be opened (") + SDL_GetError() + ")");
            return;
        }
        app->capture_started(have.freq);
        SDL_PauseAudioDevice(capture_dev_, 0);
    }

    void stop_capture() override {
        if (capture_dev_) SDL_CloseAudioDevice(capture_dev_);
        capture_dev_ = 0;
        std::lock_guard<std::mutex> lock(mutex_);
        pending_.clear();
    }

    // Hands the audio captured since the last frame to the app (on the main thread).
    void drain_capture() {
        std::vector<float> chunk;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            chunk.swap(pending_);
        }
        if (!chunk.empty()) app->capture_chunk(chunk.data(), chunk.size());
    }

    void play(const float* samples, std::size_t n, int rate_hz, double from_s) override {
        stop_playback();
        SDL_AudioSpec want{}, have{};
        want.freq = rate_hz;
        want.format = AUDIO_F32SYS;
        want.channels = 1;
        want.samples = 1024;
        play_dev_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
        if (play_dev_ == 0) return;
        const std::size_t first = std::min(n, std::size_t(from_s * rate_hz));
        play_bytes_ = (n - first) * sizeof(float);
        play_from_s_ = from_s;
        play_rate_ = rate_hz;
        SDL_QueueAudio(play_dev_, samples + first, Uint32(play_bytes_));
        SDL_PauseAudioDevice(play_dev_, 0);
    }

    void stop_playback() override {
        if (play_dev_) SDL_CloseAudioDevice(play_dev_);
        play_dev_ = 0;
    }

    double playback_position_s() const override {
        if (!play_dev_) return -1.0;
        const Uint32 left = SDL_GetQueuedAudioSize(play_dev_);
        if (left == 0) return -1.0;
        return play_from_s_ + double(play_bytes_ - left) / sizeof(float) / play_rate_;
    }

    void save_text(const std::string& file_name, const std::string& text) override {
        std::ofstream out(file_name, std::ios::binary);
        out << text;
        std::fprintf(stderr, "ser-app: wrote %s\n", file_name.c_str());
    }

private:
    static void capture_callback(void* user, Uint8* stream, int len) {
        auto* self = static_cast<NativePlatform*>(user);
        const float* x = reinterpret_cast<const float*>(stream);
        std::lock_guard<std::mutex> lock(self->mutex_);
        // Bound the queue if the main loop stalls (10 s at 48 kHz).
        if (self->pending_.size() < 480000) self->pending_.insert(self->pending_.end(), x, x + len / sizeof(float));
    }

    SDL_AudioDeviceID capture_dev_ = 0, play_dev_ = 0;
    std::mutex mutex_;
    std::vector<float> pending_;
    std::size_t play_bytes_ = 0;
    double play_from_s_ = 0.0;
    int play_rate_ = 16000;
};

void open_path(ser_app::App& app, const std::string& path) {
    bool ok = false;
    std::vector<std::uint8_t> bytes = read_file(path, ok);
    const std::string name = std::filesystem::path(path).filename().string();
    if (!ok) app.open_failed(name, "app: cannot read " + path);
    else app.open_bytes(name, bytes.data(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
    std::string models_dir = SER_MODELS_DIR;
    std::string file;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--models" && i + 1 < argc) models_dir = argv[++i];
        else if (a == "--help" || a == "-h") {
            std::printf("usage: ser-app [--models DIR] [AUDIO_FILE]\nThe ser app on the desktop (drop files on the window).\n");
            return 0;
        } else file = a;
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_AUDIO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
        std::fprintf(stderr, "ser-app: SDL_Init failed: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_Window* window = SDL_CreateWindow("ser", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1280, 860,
                                          SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        std::fprintf(stderr, "ser-app: no window: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GLContext gl = SDL_GL_CreateContext(window);
    if (!gl) {
        std::fprintf(stderr, "ser-app: no OpenGL ES 3.0 context: %s\n", SDL_GetError());
        return 1;
    }
    SDL_GL_MakeCurrent(window, gl);
    SDL_GL_SetSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui::GetStyle().FrameRounding = 4.0f;
    ImGui_ImplSDL2_InitForOpenGL(window, gl);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    NativePlatform platform;
    // Owned here so that its GL textures go before the context does.
    auto app_owner = std::make_unique<ser_app::App>(platform);
    ser_app::App& app = *app_owner;
    platform.app = &app;
    if (!app.init_graphics()) std::fprintf(stderr, "ser-app: the heatmap shaders did not compile\n");

    // Models: every *.sermodel in the folder, sorted (the web build's manifest order).
    std::vector<std::string> model_paths;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(models_dir, ec))
        if (e.path().extension() == ".sermodel") model_paths.push_back(e.path().string());
    std::sort(model_paths.begin(), model_paths.end());
    for (const auto& p : model_paths) {
        bool ok = false;
        auto bytes = read_file(p, ok);
        app.add_model(std::filesystem::path(p).stem().string(), bytes.data(), bytes.size());
    }
    app.models_done();
    if (!file.empty()) open_path(app, file);

    bool running = true;
    while (running) {
        SDL_Event event;
        while (SDL_PollEvent(&event)) {
            ImGui_ImplSDL2_ProcessEvent(&event);
            if (event.type == SDL_QUIT) running = false;
            if (event.type == SDL_DROPFILE) {
                open_path(app, event.drop.file);
                SDL_free(event.drop.file);
            }
        }
        platform.drain_capture();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        app.frame();
        ImGui::Render();
        int w = 0, h = 0;
        SDL_GL_GetDrawableSize(window, &w, &h);
        glViewport(0, 0, w, h);
        glClearColor(0.06f, 0.06f, 0.08f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        SDL_GL_SwapWindow(window);
    }
    platform.stop_capture();
    platform.stop_playback();
    app_owner.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_GL_DeleteContext(gl);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}
