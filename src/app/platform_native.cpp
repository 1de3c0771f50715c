// Desktop platform layer: SDL2 window with an OpenGL ES 3.0 context (the same shaders and ImGui
// backend as WebGL2), models from a folder, files from drops or the command line, SDL capture/playback.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app.h"
#include "gfx.h"

namespace {

std::vector<std::uint8_t> read_file(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = bool(in);
    return ok ? std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {}) : std::vector<std::uint8_t>{};
}

// Where the desktop keeps the speaker profile: $XDG_CONFIG_HOME/ser/profile.json (~/.config by default).
std::filesystem::path profile_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    const std::filesystem::path base = xdg && *xdg ? xdg : std::filesystem::path(home ? home : ".") / ".config";
    return base / "ser" / "profile.json";
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

    // The window title carries the announcement (what a desktop screen reader reads of the window).
    void announce(const std::string& text, bool alert) override {
        if (window) SDL_SetWindowTitle(window, ((alert ? "ser: " : "ser - ") + text).c_str());
    }
    SDL_Window* window = nullptr;

    void keep_profile(const std::string& json) override {
        const std::filesystem::path p = profile_path();
        std::error_code ec;
        if (json.empty()) {
            std::filesystem::remove(p, ec);
            return;
        }
        std::filesystem::create_directories(p.parent_path(), ec);
        std::ofstream out(p, std::ios::binary);
        out << json;
        if (!out) std::fprintf(stderr, "ser-app: cannot keep the profile in %s\n", p.string().c_str());
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
    ser_app::GfxOptions gfx_options;
    gfx_options.height = 860;
    gfx_options.sdl_init_flags |= SDL_INIT_AUDIO;
    gfx_options.window_flags |= SDL_WINDOW_ALLOW_HIGHDPI;
    ser_app::Gfx gfx;
    std::string error;
    if (!ser_app::gfx_open(gfx_options, gfx, &error)) {
        std::fprintf(stderr, "ser-app: %s\n", error.c_str());
        return 1;
    }
    SDL_GL_SetSwapInterval(1);

    NativePlatform platform;
    // Owned here so that its GL textures go before the context does.
    auto app_owner = std::make_unique<ser_app::App>(platform);
    ser_app::App& app = *app_owner;
    platform.app = &app;
    platform.window = gfx.window;
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
    bool kept = false;
    const std::vector<std::uint8_t> profile = read_file(profile_path().string(), kept);
    if (kept) app.open_profile(profile.data(), profile.size(), true);
    if (!file.empty()) open_path(app, file);

    bool running = true;
    while (running) {
        SDL_Event event;
        while (SDL_PollEvent(&event)) {
            ser_app::gfx_event(event);
            if (event.type == SDL_QUIT) running = false;
            if (event.type == SDL_DROPFILE) {
                open_path(app, event.drop.file);
                SDL_free(event.drop.file);
            }
        }
        platform.drain_capture();
        ser_app::gfx_frame(gfx, app);
        SDL_GL_SwapWindow(gfx.window);
    }
    platform.stop_capture();
    platform.stop_playback();
    app_owner.reset();
    ser_app::gfx_close(gfx);
    return 0;
}
