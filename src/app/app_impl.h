// The app's state behind App (app.h), shared by its parts: input and recording (app.cpp), the
// panels of one frame (panels.cpp) and the test hook (state_hook.cpp). Every number comes from the core.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app.h"
#include "heatmap.h"
#include "ser/base/clock.h"
#include "ser/classify/analysis.h"
#include "ser/classify/calibration.h"
#include "ser/classify/live.h"
#include "ser/classify/views.h"
#include "ser/model/model_card.h"

namespace ser_app {

using Clock = ser::SteadyClock;
using ser::ms_since;
std::string fmt(const char* format, double v);

// One entry of the model menu. The context is shared by the file analysis and the live analyser.
struct ModelEntry {
    std::string name;
    std::shared_ptr<const ser::ClassifierContext> context;
    std::unique_ptr<ser::Classifier> live_classifier;   // the live analyser's own state on the context
    std::string error;     // why it cannot be used (then context is null)
    std::string accuracy;  // the headline figure from its metadata, one line
    std::string summary;   // "C2 / emo, 3 classes, 231 inputs"
    ser::ModelCard card;   // what it was trained on and how it measured (the About panel)
};

// The clip views' textures, uploaded once per analysis from ser::ClipViews.
struct ClipTextures {
    Heatmap spectrogram, mel, mfcc, chroma;
    void upload(const ser::ClipViews& v);
    void clear();
};

// Calibration to the user's voice (calibration_panel.cpp): while collecting, recordings and
// dropped files are calibration sentences checked by the core's CalibrationSession; the profile it
// makes (or one imported) is applied to every file and recording while set, and the host keeps it.
struct VoiceCalibration {
    bool collecting = false;
    std::unique_ptr<ser::CalibrationSession> session;
    std::shared_ptr<const ser::SpeakerProfile> profile;
    std::string origin;          // how the profile came: "recorded here", "imported", "kept in this browser"
    double profile_ms = 0.0;     // the last clip's arrival -> its profile (checks, features, profile)
};

struct App::Impl {
    Platform& platform;
    bool graphics_ok = false;
    bool models_done = false;
    std::vector<ModelEntry> models;
    int current = -1;

    // The file (or finished take) and what the core made of it.
    ser::Analysis analysis;
    std::string source;               // file name or "recording"
    bool failure_reported = false;    // the analysis' error has been copied to `error`
    bool views_ready = false;         // views/textures belong to the current result
    ser::ClipViews views;
    ClipTextures textures;
    std::string error;                // last error (null in the hook when empty)
    std::string notice;               // informational line (not an error)

    // Recording.
    enum class Rec { Off, Starting, On } rec = Rec::Off;
    bool rec_for_calibration = false;  // the take is a calibration sentence, not a clip to analyse
    // The take's live analysis: the app's own LiveAnalyser (desktop), or the host's (the page's
    // Web Worker, live_remote), whose readings and 16 kHz samples arrive through App::live_update.
    std::unique_ptr<ser::LiveAnalyser> live;
    bool live_remote = false;
    bool have_live = false;           // a take started: live_view, take_16k and the views are its own
    ser::LiveReading live_view;       // what the panels and the hook show of the take (its last reading)
    std::vector<ser::TimelinePoint> live_timeline;   // the take's timeline, from the readings' new points
    std::vector<float> take_16k;      // the remote take's samples (the local one is live->recording())
    std::vector<std::string> live_classes;   // the classes of the take's model
    Heatmap live_spec;
    int capture_rate_hz = 0;
    Clock::time_point rec_t0;
    double live_cpu = 0.0;            // live_view.busy_ms / wall time of the last take
    const std::vector<float>& take_samples() const { return live ? live->recording() : take_16k; }
    void push_spectrum_columns(const float* values, std::size_t n_values, std::size_t n_bins);
    void take_reading(ser::LiveReading reading);   // live_view and the timeline's new points
    ser::Status start_live_analysis(int rate_hz);
    void check_take_length();                 // stops the take at kAppMaxDurationS

    double cursor_s = 0.0;
    bool playing = false;
    // x, y, w, h in CSS pixels of buttons, for the test hook (tests click them).
    std::map<std::string, std::vector<float>> ui_rects;

    // What was last announced in words (platform.announce), to announce only changes.
    std::string announced, alerted;
    bool about_open = false;
    int frames_owed = 1;              // frames still to draw after an input (wants_frame)
    Clock::time_point last_frame_at;  // when frame() last ran (the live views' frame rate)
    bool warmed = false;              // the analysis state is built for the current model

    explicit Impl(Platform& p);
    bool ready() const { return graphics_ok && models_done && current >= 0; }

    // Models (app.cpp). The one place the current model changes: the menu and select_model.
    const ModelEntry* model() const;
    const ModelEntry* result_model() const;   // the model the shown result belongs to
    void choose_model(int index);

    // Input and analysis (app.cpp).
    void begin_input(const std::string& name);
    void advance();                           // one analysis step, then views and errors
    bool has_result() const;                  // probabilities of the current model are there
    void record_button_pressed();
    void stop_recording();
    void remember_rect(const char* name);
    // The state in words (app.cpp): the polite line and the alert line, announced when changed.
    std::string polite_text() const;
    void announce_changes();
    void warm_up_current();

    // Calibration (calibration_panel.cpp).
    VoiceCalibration cal;
    // The profile when the current model accepts it (its feature set), else null.
    std::shared_ptr<const ser::SpeakerProfile> applied_profile() const;
    void apply_profile();                     // to the analysis (reclassified) and the live analyser
    void push_profile();                      // the same without reclassifying
    void start_calibration();
    void add_calibration_clip(const std::string& name, ser::Result<ser::Audio> audio);
    void set_profile(ser::SpeakerProfile profile, const std::string& origin, bool keep);
    void remove_profile();
    void draw_calibration_panel();

    // One frame's panels (panels.cpp), in drawing order.
    void draw_header();
    void draw_input_panel(float width);
    void draw_status();
    void draw_result_panel();
    void draw_live_views();
    void draw_clip_views();
    void draw_placeholder();
    void draw_about();                        // the About this model window, while open
};

// While a calibration take records (calibration_panel.cpp): "sentence 2" and
// "sentence 2: Dogs are sitting by the door.".
std::string calibration_take_name(const App::Impl& m);
std::string calibration_prompt(const App::Impl& m);

}  // namespace ser_app
