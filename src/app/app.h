// The ser app: one Dear ImGui main-loop body and all UI state, shared by the web and desktop builds.
// Front end of the data flow: bytes/PCM/microphone in -> core (decode, resample, features, classify) -> views.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "platform.h"

namespace ser_app {

// Longest file the app analyses (the core's own limit, ser::kMaxDurationS, is for the CLI):
// two minutes keep the views, the timeline and the memory of a browser tab responsive.
constexpr double kAppMaxDurationS = 120.0;

// While recording, the live views redraw at most this often: 20 frames a second keep the waveform and
// spectrogram moving smoothly, and a software-rendered page (headless Chromium's SwiftShader) spent
// 99.6% of its main thread drawing every display frame (e2e recording_main_thread_busy).
constexpr double kLiveFrameIntervalMs = 50.0;

// Shader sources embedded at build time from shaders/*.glsl (shaders_embedded.cpp).
extern const char* const kHeatmapVertexShader;
extern const char* const kHeatmapFragmentShader;

class App {
public:
    explicit App(Platform& platform);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Once, with a current GL context, before the first frame: compiles the heatmap shaders.
    bool init_graphics();

    // Models: each loaded through ser::parse_model; a bad file is listed with its error.
    void add_model(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes);
    // Makes the named model current (as the model menu does); false when there is none usable.
    bool select_model(const std::string& name);
    // No more models are coming: the app is ready once at least one model loaded.
    void models_done();

    // Inputs. Encoded bytes (WAV everywhere; natively also FLAC/OGG/MP3 through libsndfile).
    void open_bytes(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes);
    // Planar float PCM decoded by the host (Web Audio's decodeAudioData at the file's own rate).
    void open_pcm(const std::string& name, const float* planar, std::size_t n_frames, int channels,
                  int rate_hz, const std::string& format);
    // A speaker profile file (model/profile.h): imported by the user, or the host's kept copy at
    // start-up (from_storage; then it is not kept again, and a refused copy is forgotten).
    void open_profile(const std::uint8_t* bytes, std::size_t n_bytes, bool from_storage);
    // The host could not read or decode the file.
    void open_failed(const std::string& name, const std::string& message);

    // Record / stop, as the Record button (the page's DOM button and its R shortcut call this).
    void toggle_record();

    // Microphone, reported by the platform after start_capture().
    void capture_started(int rate_hz);
    void capture_chunk(const float* samples, std::size_t n_samples);
    void capture_failed(const std::string& message);
    // A reading of the host's live analysis (Platform::analyses_live): ser::live_reading_json, the
    // 16 kHz samples it kept since the last one, and its new spectrum columns (n_bins values each).
    void live_update(const std::string& reading_json, const float* samples_16k, std::size_t n_samples,
                     const float* columns, std::size_t n_column_values);
    // The host's live analysis failed: the take stops with this message.
    void live_failed(const std::string& message);

    // One UI frame: call between ImGui::NewFrame() and ImGui::Render(). Advances pending work
    // by a bounded step so that the page never freezes.
    void frame();

    // Whether the next frame would differ from the last: pending analysis, a take (every
    // kLiveFrameIntervalMs), playback, an
    // input since the last frame, or a few frames after one (ImGui settles hover and clicks over
    // two or three). A host that skips frame() otherwise idles at no cost (issue #11).
    bool wants_frame() const;
    // The host saw input (an event, a resize): the next frames are drawn.
    void input_arrived();

    // The test hook's JSON (see docs/web.md, window.serState()).
    std::string state_json() const;
    bool ready() const;
    bool busy() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace ser_app
