// What the app needs from its host (browser or desktop): file picking, capture, playback, saving.
// The only seam between app.cpp (ImGui + core) and platform_web.cpp / platform_native.cpp.
#pragma once
#include <cstddef>
#include <string>

namespace ser_app {

// Implemented once per platform. Asynchronous operations report back through App's
// entry points (App::open_bytes, App::capture_started, App::capture_failed, ...).
class Platform {
public:
    virtual ~Platform() = default;
    // "web" or "desktop", shown in the UI.
    virtual const char* name() const = 0;
    // Opens the platform's file chooser; the chosen file arrives through App::open_*.
    virtual void open_file_picker() = 0;
    // Starts microphone capture: App::capture_started(rate) then App::capture_chunk(...), or
    // App::capture_failed(message) when the microphone is denied or absent.
    virtual void start_capture() = 0;
    virtual void stop_capture() = 0;
    // Plays mono samples from from_s seconds; playback_position_s() < 0 when nothing plays.
    virtual void play(const float* samples, std::size_t n_samples, int rate_hz, double from_s) = 0;
    virtual void stop_playback() = 0;
    virtual double playback_position_s() const = 0;
    // Offers text to the user as a file (a download in the browser, a file in the working folder natively).
    virtual void save_text(const std::string& file_name, const std::string& text) = 0;
    // The app's state in words, when it changes: a result or live reading (polite), or an error
    // (alert). The page puts it in ARIA live regions for screen readers; the desktop in the title.
    virtual void announce(const std::string& text, bool alert) = 0;
    // Keeps the speaker profile (its JSON) where the host keeps things for the next visit: the
    // browser's localStorage, a file natively; never sent anywhere. Empty text forgets it.
    virtual void keep_profile(const std::string& json) = 0;
    // Whether the host runs the live analysis of the take just started itself (the page's Web
    // Worker); then start_live tells it the model and the profile, and App::live_update brings its
    // readings. The desktop analyses in the app (false).
    virtual bool analyses_live() const { return false; }
    virtual void start_live(const std::string& /*model*/, const std::string& /*profile_json*/) {}
};

}  // namespace ser_app
