// The ser app (see app.h): models, inputs and the recording. A file or a finished take goes through
// the core's one analysis path (ser::Analysis, up to kAnalysisMsPerFrame of it per frame); the views are the core's ClipViews of it.
#include "app_impl.h"

#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "ser/model/model.h"
#include "ser/model/profile.h"

namespace ser_app {

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

namespace {

// Analysis work per drawn frame: a 4 s clip's stages (about 10-15 ms in WebAssembly) then end in
// the frame that starts them, instead of each stage waiting for the next frame while the software
// GL renderer rasterises a progress frame on the same cores (docs/web.md "Never freezing" has the
// before/after figures); a long file still shows progress between steps.
constexpr double kAnalysisMsPerFrame = 25.0;

ser::AnalysisOptions app_analysis_options() {
    ser::AnalysisOptions o;
    o.max_duration_s = kAppMaxDurationS;
    return o;
}

// The measured figure stored with the model, as one line (ser::headline_figure picks it).
std::string headline_text(const std::string& metadata) {
    const auto figures = ser::model_figures(metadata);
    const ser::ModelFigure* f = ser::headline_figure(figures);
    return f ? f->headline() : "";
}

ModelEntry make_model_entry(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes) {
    ModelEntry e;
    e.name = name;
    ser::Result<ser::Model> r = ser::parse_model(bytes, n_bytes);
    if (!r) {
        e.error = r.status.to_string();
        return e;
    }
    e.accuracy = headline_text(r.value.metadata_json);
    e.card = ser::read_model_card(r.value.metadata_json);
    e.summary = r.value.feature_config + " / " + r.value.feature_set + ", " + std::to_string(r.value.n_classes()) +
                " classes, " + std::to_string(r.value.n_inputs()) + " inputs";
    auto ctx = ser::ClassifierContext::create(std::move(r.value));
    if (!ctx) {
        e.error = ctx.status.to_string();
        return e;
    }
    e.context = ctx.value;
    e.live_classifier = std::make_unique<ser::Classifier>(e.context);
    if (!e.live_classifier->status()) {
        e.error = e.live_classifier->status().to_string();
        e.context.reset();
        e.live_classifier.reset();
    }
    return e;
}

}  // namespace

void ClipTextures::upload(const ser::ClipViews& v) {
    auto put = [](Heatmap& h, const ser::ViewImage& img, Colormap map) {
        if (img.empty()) h.clear();
        else h.set_image(img.pixels, img.width, img.height, map);
    };
    put(spectrogram, v.spectrogram, Colormap::Sequential);
    put(mel, v.mel, Colormap::Sequential);
    put(mfcc, v.mfcc, Colormap::Diverging);
    put(chroma, v.chroma, Colormap::Sequential);
}

void ClipTextures::clear() {
    spectrogram.clear();
    mel.clear();
    mfcc.clear();
    chroma.clear();
}

App::Impl::Impl(Platform& p) : platform(p), analysis(app_analysis_options()) {}

// ---- models ----------------------------------------------------------------------------------

const ModelEntry* App::Impl::model() const {
    return current >= 0 && current < int(models.size()) ? &models[std::size_t(current)] : nullptr;
}

const ModelEntry* App::Impl::result_model() const {
    for (const auto& e : models)
        if (e.context && e.context == analysis.model()) return &e;
    return nullptr;
}

void App::Impl::choose_model(int index) {
    if (index < 0 || index >= int(models.size()) || !models[std::size_t(index)].context || index == current) return;
    current = index;
    frames_owed = std::max(frames_owed, 1);
    // A local take follows the menu; the worker's keeps its model until the next take.
    if (live) {
        live->set_classifier(models[std::size_t(index)].live_classifier.get());
        live_classes = models[std::size_t(index)].context->model().classes;
    }
    push_profile();   // the profile applies to the new model only if it accepts it
    // The same samples through the new model's stages (its features may differ).
    if (!analysis.clip().samples_16k.empty() && analysis.stage() != ser::AnalysisStage::failed) {
        error.clear();
        notice.clear();
        analysis.reclassify();
        views_ready = false;
    }
}

// ---- input and analysis ------------------------------------------------------------------------

void App::Impl::begin_input(const std::string& name) {
    platform.stop_playback();
    playing = false;
    error.clear();
    notice.clear();
    source = name;
    failure_reported = false;
    views_ready = false;
    views = ser::ClipViews{};
    textures.clear();
    cursor_s = 0.0;
}

bool App::Impl::has_result() const {
    const ser::AnalysisStage s = analysis.stage();
    return (s == ser::AnalysisStage::timeline || s == ser::AnalysisStage::done) && analysis.clip().result.top >= 0;
}

void App::Impl::advance() {
    if (analysis.busy()) {
        const ModelEntry* m = model();
        analysis.step_for(m ? m->context : nullptr, kAnalysisMsPerFrame);
    }
    if (analysis.stage() == ser::AnalysisStage::failed && !failure_reported) {
        error = analysis.error().to_string();
        failure_reported = true;
    }
    const ser::ClipAnalysis& clip = analysis.clip();
    if (views.waveform.size() == 0 && !clip.samples_16k.empty()) {
        views.waveform = ser::waveform_envelope(clip.samples_16k.data(), clip.samples_16k.size(), ser::kViewMaxColumns);
        views.duration_s = clip.duration_s;
    }
    if (has_result() && !views_ready) {
        views = ser::build_clip_views(analysis.clip(), analysis.model()->config());
        textures.upload(views);
        views_ready = true;
    }
}

void App::Impl::remember_rect(const char* name) {
    const ImVec2 a = ImGui::GetItemRectMin(), sz = ImGui::GetItemRectSize();
    ui_rects[name] = {a.x, a.y, sz.x, sz.y};
}

// ---- recording ---------------------------------------------------------------------------------

void App::Impl::record_button_pressed() {
    if (rec != Rec::Off) return stop_recording();
    if (!model()) {
        error = "app: no model is loaded; cannot classify a recording";
        return;
    }
    error.clear();
    notice.clear();
    rec = Rec::Starting;
    rec_for_calibration = cal.collecting;
    platform.start_capture();
}

// The take becomes a clip like a dropped file: the same analysis, the same views.
void App::Impl::stop_recording() {
    if (rec == Rec::Off) return;
    const bool was_on = rec == Rec::On;
    platform.stop_capture();
    rec = Rec::Off;
    if (!was_on || !have_live) return;
    const double wall_ms = ms_since(rec_t0);
    live_cpu = wall_ms > 0.0 ? live_view.busy_ms / wall_ms : 0.0;
    std::vector<float> take = take_samples();
    if (take.empty()) {
        error = "app: the recording is empty; expected some microphone input";
        return;
    }
    if (rec_for_calibration) {
        return add_calibration_clip(calibration_take_name(*this), ser::Audio{std::move(take), ser::kTargetRateHz, 1});
    }
    begin_input("recording");
    analysis.start_samples_16k(std::move(take), "microphone, " + std::to_string(capture_rate_hz) + " Hz float",
                               capture_rate_hz);
}

// The host's worker when it has one (the page), else the app's own analyser (the desktop).
ser::Status App::Impl::start_live_analysis(int rate_hz) {
    const ModelEntry* me = model();
    const std::shared_ptr<const ser::SpeakerProfile> profile = rec_for_calibration ? nullptr : applied_profile();
    live.reset();
    take_16k.clear();
    live_view = ser::LiveReading{};
    live_timeline.clear();
    live_classes = me->context->model().classes;
    live_remote = platform.analyses_live();
    have_live = true;
    if (live_remote) {
        platform.start_live(me->name, profile ? ser::profile_to_json(*profile) : "");
        return ser::Status::ok();
    }
    live = std::make_unique<ser::LiveAnalyser>(me->live_classifier.get());
    live->set_profile(profile);
    ser::Status s = live->start(rate_hz);
    if (!s) {
        live.reset();
        have_live = false;
    }
    return s;
}

void App::Impl::push_spectrum_columns(const float* values, std::size_t n_values, std::size_t n_bins) {
    for (std::size_t i = 0; n_bins > 0 && i + n_bins <= n_values; i += n_bins) {
        const std::vector<float> col(values + i, values + i + n_bins);
        live_spec.ring_push_column(ser::live_spectrum_column(col).data());
    }
}

void App::Impl::take_reading(ser::LiveReading reading) {
    live_timeline.resize(std::min(reading.timeline_from, live_timeline.size()));
    live_timeline.insert(live_timeline.end(), reading.timeline.begin(), reading.timeline.end());
    live_view = std::move(reading);
}

void App::Impl::check_take_length() {
    if (live_view.duration_s < kAppMaxDurationS) return;
    notice = "recording stopped at the " + fmt("%.0f", kAppMaxDurationS) + " s limit";
    stop_recording();
}

// ---- words and warm-up -------------------------------------------------------------------------

std::string App::Impl::polite_text() const {
    if (rec == Rec::On && rec_for_calibration) return "recording calibration " + calibration_prompt(*this);
    if (rec == Rec::On && have_live) {
        const auto& p = live_view.probabilities;
        if (p.empty() || p.size() != live_classes.size()) return live_view.silent ? "recording: silence" : "recording: listening";
        return "recording: " + ser::probabilities_text(live_classes, p);
    }
    if (!has_result()) return "";
    const ser::ClipAnalysis& c = analysis.clip();
    const ModelEntry* rm = result_model();
    return ser::probabilities_text(c.result.classes, c.result.probabilities) + (rm ? ", by " + rm->name : "") +
           (c.result.calibrated ? ", calibrated to your voice" : "");
}

void App::Impl::announce_changes() {
    const std::string polite = polite_text();
    if (polite != announced) {
        announced = polite;
        if (!polite.empty()) platform.announce(polite, false);
    }
    const std::string alert = !error.empty() ? error : notice;
    if (alert != alerted) {
        alerted = alert;
        if (!alert.empty()) platform.announce(alert, true);
    }
}

// The current model's analysis state built and run once at load, so that the first file is as fast as the rest.
void App::Impl::warm_up_current() {
    if (warmed || !model() || analysis.busy()) return;
    warmed = true;
    if (ser::Status s = analysis.prepare(model()->context); !s) notice = "app: warm-up failed: " + s.to_string();
}

// ---- App ---------------------------------------------------------------------------------------

App::App(Platform& platform) : impl_(new Impl(platform)) {}
App::~App() = default;

bool App::init_graphics() {
    impl_->graphics_ok = heatmap_init(kHeatmapVertexShader, kHeatmapFragmentShader);
    return impl_->graphics_ok;
}

void App::add_model(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes) {
    impl_->models.push_back(make_model_entry(name, bytes, n_bytes));
    impl_->frames_owed = std::max(impl_->frames_owed, 1);
    // Models arrive in manifest order; the first good one is the default.
    if (impl_->current < 0 && impl_->models.back().context) impl_->current = int(impl_->models.size()) - 1;
}

bool App::select_model(const std::string& name) {
    Impl& m = *impl_;
    for (int i = 0; i < int(m.models.size()); ++i) {
        if (m.models[std::size_t(i)].name != name || !m.models[std::size_t(i)].context) continue;
        m.choose_model(i);
        return true;
    }
    return false;
}

void App::models_done() {
    impl_->models_done = true;
    impl_->frames_owed = std::max(impl_->frames_owed, 1);
    impl_->warm_up_current();
    if (impl_->current < 0)
        impl_->error = impl_->models.empty() ? "app: no model found; expected models/*.sermodel next to the page"
                                             : "app: no model could be loaded: " + impl_->models[0].error;
}

void App::open_bytes(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    if (m.rec != Impl::Rec::Off) m.stop_recording();
    if (ser::looks_like_profile(bytes, n_bytes)) return open_profile(bytes, n_bytes, false);
    if (m.cal.collecting) return m.add_calibration_clip(name, ser::load_audio_16k(bytes, n_bytes));
    m.begin_input(name);
    m.analysis.start_bytes(bytes, n_bytes);
}

void App::open_pcm(const std::string& name, const float* planar, std::size_t n_frames, int channels, int rate_hz,
                   const std::string& format) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    if (m.rec != Impl::Rec::Off) m.stop_recording();
    if (m.cal.collecting) {
        ser::Result<ser::Audio> a = ser::audio_from_planar(planar, n_frames, channels, rate_hz, format);
        return m.add_calibration_clip(name, a ? ser::to_mono_16k(std::move(a.value)) : ser::Result<ser::Audio>(a.status));
    }
    m.begin_input(name);
    m.analysis.start_pcm(planar, n_frames, channels, rate_hz, format);
}

void App::open_failed(const std::string& name, const std::string& message) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    m.begin_input(name);
    m.analysis.reset();
    m.error = message;
    m.failure_reported = true;
}

void App::capture_started(int rate_hz) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    if (m.rec != Impl::Rec::Starting || !m.model()) {
        m.rec = Impl::Rec::Off;
        m.platform.stop_capture();
        return;
    }
    if (ser::Status s = m.start_live_analysis(rate_hz); !s) {
        m.rec = Impl::Rec::Off;
        m.platform.stop_capture();
        m.error = s.to_string();
        return;
    }
    m.capture_rate_hz = rate_hz;
    m.rec = Impl::Rec::On;
    m.rec_t0 = Clock::now();
    m.live_spec.ring_reset(384, std::size_t(ser::LiveConfig{}.n_spectrum_bins()), Colormap::Sequential);
}

void App::capture_chunk(const float* samples, std::size_t n_samples) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::On || !m.live) return;
    ser::Status s = m.live->push(samples, n_samples);
    if (!s) {
        m.error = s.to_string();
        m.stop_recording();
        return;
    }
    m.take_reading(m.live->reading(m.live_timeline.size()));
    for (const auto& c : m.live->take_spectrum_columns()) m.push_spectrum_columns(c.data(), c.size(), c.size());
    m.check_take_length();
}

void App::live_update(const std::string& reading_json, const float* samples_16k, std::size_t n_samples,
                      const float* columns, std::size_t n_column_values) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::On || !m.live_remote) return;
    ser::Result<ser::LiveReading> r =
        ser::parse_live_reading(reinterpret_cast<const std::uint8_t*>(reading_json.data()), reading_json.size());
    if (!r) return live_failed(r.status.to_string());
    m.take_reading(std::move(r.value));
    const std::size_t room = std::size_t(kAppMaxDurationS * ser::kTargetRateHz);
    m.take_16k.insert(m.take_16k.end(), samples_16k, samples_16k + std::min(n_samples, room - std::min(room, m.take_16k.size())));
    m.push_spectrum_columns(columns, n_column_values, std::size_t(ser::LiveConfig{}.n_spectrum_bins()));
    m.check_take_length();
}

void App::live_failed(const std::string& message) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    if (m.rec == Impl::Rec::Off) return;
    m.stop_recording();   // what arrived is analysed as a take; the message stays above it
    m.error = message;
}

void App::capture_failed(const std::string& message) {
    Impl& m = *impl_;
    m.rec = Impl::Rec::Off;
    m.error = message;
    m.frames_owed = std::max(m.frames_owed, 1);
}

void App::toggle_record() {
    Impl& m = *impl_;
    if (m.rec == Impl::Rec::Off && (!m.ready() || m.analysis.busy())) return;  // as the disabled button
    m.record_button_pressed();
    m.frames_owed = std::max(m.frames_owed, 1);
}

bool App::wants_frame() const {
    const Impl& m = *impl_;
    const bool live_due = m.rec != Impl::Rec::Off && ms_since(m.last_frame_at) >= kLiveFrameIntervalMs;
    return m.frames_owed > 0 || m.analysis.busy() || live_due || m.playing;
}

// Three frames: ImGui updates hover on one, the click on the next, what the click changed on the third.
void App::input_arrived() { impl_->frames_owed = std::max(impl_->frames_owed, 3); }

bool App::ready() const { return impl_->ready(); }
bool App::busy() const { return impl_->analysis.busy(); }

void App::frame() {
    Impl& m = *impl_;
    m.last_frame_at = Clock::now();
    if (m.frames_owed > 0) --m.frames_owed;
    const bool was_busy = m.analysis.busy();
    m.advance();
    if (was_busy && !m.analysis.busy()) m.frames_owed = std::max(m.frames_owed, 1);  // draw the finished result
    if (m.playing) {
        const double pos = m.platform.playback_position_s();
        if (pos < 0.0) m.playing = false;
        else m.cursor_s = pos;
    }
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("ser", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    m.draw_header();
    const float left_w = std::min(360.0f, std::max(260.0f, io.DisplaySize.x * 0.28f));
    ImGui::BeginChild("left", ImVec2(left_w, 0), false);
    m.draw_input_panel(left_w);
    m.draw_calibration_panel();
    m.draw_status();
    m.draw_result_panel();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("views", ImVec2(0, 0), false);
    if (m.rec == Impl::Rec::On && m.have_live) m.draw_live_views();
    else if (!m.analysis.clip().samples_16k.empty()) m.draw_clip_views();
    else m.draw_placeholder();
    ImGui::EndChild();
    ImGui::End();
    if (m.about_open) m.draw_about();
    m.announce_changes();
}

}  // namespace ser_app
