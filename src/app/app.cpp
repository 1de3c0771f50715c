// The ser app (see app.h): UI state, the ImGui frame, and the staged analysis of a file or a take.
// Every number shown comes from the core (audio.h, features.h, pipeline.h, live.h, export.h).
#include "app.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "ser/audio/decode.h"
#include "ser/audio/resample.h"
#include "ser/classify/export.h"
#include "ser/frames/feature_config.h"
#include "ser/frames/frame_features.h"
#include "heatmap.h"
#include "imgui.h"
#include "ser/classify/live.h"
#include "ser/model/model.h"
#include "ser/classify/classifier.h"

namespace ser_app {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

// ---- JSON (the state hook) ------------------------------------------------------------------
void json_string(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
}

void json_number(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    out += buf;
}

void json_probs(std::string& out, const std::vector<std::string>& classes, const std::vector<float>& p) {
    out += '{';
    for (std::size_t i = 0; i < classes.size() && i < p.size(); ++i) {
        if (i) out += ',';
        json_string(out, classes[i]);
        out += ':';
        json_number(out, p[i]);
    }
    out += '}';
}

// The measured accuracy stored with the model, as one line (ser::headline_figure picks it).
std::string find_accuracy(const std::string& metadata) {
    const auto figures = ser::model_figures(metadata);
    const ser::ModelFigure* f = ser::headline_figure(figures);
    if (!f) return "";
    if (f->flat) return f->protocol + " " + fmt("%.1f%%", f->accuracy * 100.0);
    std::string t = (f->protocol == "speaker" ? std::string("speaker-independent") : f->protocol) + " accuracy " +
                    fmt("%.1f%%", f->accuracy * 100.0);
    if (f->uar >= 0.0) t += ", UAR " + fmt("%.1f%%", f->uar * 100.0);
    return t;
}

// Class colours (up to 8 classes, then repeated): distinct hues, readable on a dark background.
ImU32 class_color(int i, int alpha = 255) {
    static const int rgb[8][3] = {{230, 80, 70},  {80, 170, 240}, {250, 200, 60},  {120, 200, 110},
                                  {190, 120, 230}, {240, 140, 40}, {90, 210, 200}, {220, 220, 220}};
    const int* c = rgb[i % 8];
    return IM_COL32(c[0], c[1], c[2], alpha);
}

// Slaney mel scale (librosa.hz_to_mel, htk=False), used to place Hz labels on the mel view.
double hz_to_mel(double f) {
    const double f_sp = 200.0 / 3.0, min_log_hz = 1000.0, min_log_mel = min_log_hz / f_sp;
    const double logstep = std::log(6.4) / 27.0;
    return f < min_log_hz ? f / f_sp : min_log_mel + std::log(f / min_log_hz) / logstep;
}

double nice_step(double range, int max_ticks) {
    const double steps[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120};
    for (double s : steps)
        if (range / s <= max_ticks) return s;
    return range / max_ticks;
}

std::uint8_t to_byte(float v01) {
    if (!(v01 > 0.0f)) return 0;
    if (v01 >= 1.0f) return 255;
    return std::uint8_t(std::lround(v01 * 255.0f));
}

// Pools the columns of a [rows, T] matrix to at most max_cols columns (max over each group), maps
// values with to01 and returns the R8 image (row 0 = matrix row 0 = lowest bin).
template <class F>
std::vector<std::uint8_t> matrix_image(const Eigen::MatrixXf& m, int max_cols, int& out_w, F to01) {
    const int rows = int(m.rows()), T = int(m.cols());
    out_w = std::max(1, std::min(T, max_cols));
    std::vector<std::uint8_t> img(std::size_t(out_w) * rows, 0);
    for (int x = 0; x < out_w; ++x) {
        const int t0 = int(std::int64_t(x) * T / out_w);
        const int t1 = std::max(t0 + 1, int(std::int64_t(x + 1) * T / out_w));
        for (int r = 0; r < rows; ++r) {
            float v = m(r, t0);
            for (int t = t0 + 1; t < t1 && t < T; ++t) v = std::max(v, m(r, t));
            img[std::size_t(r) * out_w + x] = to_byte(to01(r, v));
        }
    }
    return img;
}

}  // namespace

// ---- state -------------------------------------------------------------------------------------

struct ModelEntry {
    std::string name;
    std::unique_ptr<ser::Classifier> classifier;
    std::string error;
    std::string accuracy;
    std::string summary;   // "C1 / seed, 3 classes, 193 inputs"
};

enum class Stage { Idle, Decode, Resample, Features, Classify, Timeline };

const char* stage_label(Stage s) {
    switch (s) {
        case Stage::Decode: return "Decoding";
        case Stage::Resample: return "Resampling to 16 kHz";
        case Stage::Features: return "Computing features";
        case Stage::Classify: return "Classifying";
        case Stage::Timeline: return "Emotion timeline";
        default: return "";
    }
}

struct Analysis {
    std::string name;            // file name or "recording"
    std::string format;
    int source_rate_hz = 0;
    int source_channels = 0;
    std::vector<std::uint8_t> bytes;    // pending encoded input (Decode stage)
    ser::Audio audio;                   // pending decoded input (Resample stage)
    std::vector<float> samples;         // mono 16 kHz
    double duration_s = 0.0;
    ser::FrameFeatures features;
    ser::FeatureConfig config;
    bool have_features = false;
    int model_index = -1;               // model the results below belong to
    std::vector<std::string> classes;
    std::vector<float> probabilities;
    int top = -1;
    std::vector<ser::TimelinePoint> timeline;
    std::size_t timeline_next = 0;      // next window start (samples) while the timeline is built
    double classify_ms = 0.0;           // features + classification of the whole clip
    // Views.
    Heatmap spectrogram, mel, mfcc, chroma;
    std::vector<float> wave_min, wave_max;
    float rms_max = 0.0f, zcr_max = 0.0f;
};

struct App::Impl {
    Platform& platform;
    bool graphics_ok = false;
    bool models_done = false;
    std::vector<ModelEntry> models;
    int current = -1;

    Stage stage = Stage::Idle;
    float progress = 0.0f;
    Analysis a;
    std::string error;           // last error (null in the hook when empty)
    std::string notice;          // informational line (not an error)

    // Recording.
    enum class Rec { Off, Starting, On } rec = Rec::Off;
    std::unique_ptr<ser::LiveAnalyser> live;
    Heatmap live_spec;
    int capture_rate_hz = 0;
    double live_busy_ms = 0.0;   // time spent in capture_chunk during the take
    Clock::time_point rec_t0;
    double live_cpu = 0.0;       // live_busy_ms / wall time of the last take
    std::vector<float> live_probs_final;  // smoothed probabilities when the take stopped

    double cursor_s = 0.0;
    bool playing = false;
    // x, y, w, h in CSS pixels of buttons, for the test hook (tests click them).
    std::map<std::string, std::vector<float>> ui_rects;
    bool audio_unlocked_hint = false;

    explicit Impl(Platform& p) : platform(p) {}

    void remember_rect(const char* name) {
        const ImVec2 a = ImGui::GetItemRectMin(), sz = ImGui::GetItemRectSize();
        ui_rects[name] = {a.x, a.y, sz.x, sz.y};
    }

    ModelEntry* model() { return current >= 0 && current < int(models.size()) ? &models[current] : nullptr; }
    ser::Classifier* classifier() const {
        const ModelEntry* m = current >= 0 && current < int(models.size()) ? &models[current] : nullptr;
        return m && m->classifier ? m->classifier.get() : nullptr;
    }

    void fail(const std::string& message) {
        error = message;
        stage = Stage::Idle;
        progress = 0.0f;
    }

    void begin_input(const std::string& name) {
        platform.stop_playback();
        playing = false;
        error.clear();
        notice.clear();
        a.spectrogram.clear();
        a.mel.clear();
        a.mfcc.clear();
        a.chroma.clear();
        a.name = name;
        a.format.clear();
        a.bytes.clear();
        a.audio = ser::Audio{};
        a.samples.clear();
        a.duration_s = 0.0;
        a.features = ser::FrameFeatures{};
        a.have_features = false;
        a.model_index = -1;
        a.classes.clear();
        a.probabilities.clear();
        a.top = -1;
        a.timeline.clear();
        a.timeline_next = 0;
        a.wave_min.clear();
        a.wave_max.clear();
        cursor_s = 0.0;
    }

    // ---- the staged analysis: one stage per frame, the timeline a few windows per frame ----
    void step() {
        switch (stage) {
            case Stage::Idle: return;
            case Stage::Decode: return step_decode();
            case Stage::Resample: return step_resample();
            case Stage::Features: return step_features();
            case Stage::Classify: return step_classify();
            case Stage::Timeline: return step_timeline();
        }
    }

    bool check_duration(double duration_s) {
        if (duration_s > kAppMaxDurationS) {
            fail("app: the file is " + fmt("%.1f", duration_s) + " s long; the app analyses up to " +
                 fmt("%.0f", kAppMaxDurationS) + " s (use the CLI for longer files)");
            return false;
        }
        return true;
    }

    void step_decode() {
        auto r = ser::decode_audio(a.bytes.data(), a.bytes.size());
        a.bytes.clear();
        a.bytes.shrink_to_fit();
        if (!r.is_ok()) return fail(r.status.to_string());
        a.format = r.value.format;
        a.source_rate_hz = r.value.source_rate_hz ? r.value.source_rate_hz : r.value.rate_hz;
        a.source_channels = r.value.source_channels ? r.value.source_channels : r.value.channels;
        if (!check_duration(r.value.duration_s())) return;
        a.audio = std::move(r.value);
        stage = Stage::Resample;
        progress = 0.2f;
    }

    void step_resample() {
        ser::Audio mono = a.audio.channels == 1 ? std::move(a.audio) : ser::downmix_to_mono(a.audio);
        a.audio = ser::Audio{};
        auto r = ser::resample(mono.samples.data(), mono.samples.size(), mono.rate_hz, ser::kTargetRateHz);
        if (!r.is_ok()) return fail(r.status.to_string());
        a.samples = std::move(r.value);
        a.duration_s = double(a.samples.size()) / ser::kTargetRateHz;
        build_waveform();
        stage = Stage::Features;
        progress = 0.4f;
    }

    void build_waveform() {
        const std::size_t n = a.samples.size();
        const std::size_t cols = std::min<std::size_t>(n, 1600);
        a.wave_min.assign(cols, 0.0f);
        a.wave_max.assign(cols, 0.0f);
        for (std::size_t x = 0; x < cols; ++x) {
            const std::size_t i0 = x * n / cols, i1 = std::max(i0 + 1, (x + 1) * n / cols);
            float lo = a.samples[i0], hi = a.samples[i0];
            for (std::size_t i = i0; i < i1 && i < n; ++i) {
                lo = std::min(lo, a.samples[i]);
                hi = std::max(hi, a.samples[i]);
            }
            a.wave_min[x] = lo;
            a.wave_max[x] = hi;
        }
    }

    void step_features() {
        ser::Classifier* clf = classifier();
        if (!clf) return fail("app: no model is loaded; expected at least one models/*.sermodel");
        auto cfg = ser::config_by_name(clf->model().feature_config);
        if (!cfg.is_ok()) return fail(cfg.status.to_string());
        ser::FeatureExtractor fx(cfg.value);
        if (!fx.status().is_ok()) return fail(fx.status().to_string());
        ser::FrameFeatures f;
        ser::Status s = fx.compute(a.samples.data(), a.samples.size(), f);
        if (!s.is_ok()) return fail(s.to_string());
        a.features = std::move(f);
        a.config = cfg.value;
        a.have_features = true;
        build_views();
        stage = Stage::Classify;
        progress = 0.6f;
    }

    void build_views() {
        const ser::FrameFeatures& f = a.features;
        const int max_cols = 1600;
        int w = 0;
        // |STFT| in dB, top 80 dB of the clip (librosa.amplitude_to_db(ref=np.max, top_db=80)).
        if (f.stft_mag.size() > 0) {
            const float peak = std::max(f.stft_mag.maxCoeff(), 1e-10f);
            const float ref_db = 20.0f * std::log10(peak);
            auto img = matrix_image(f.stft_mag, max_cols, w, [&](int, float v) {
                const float db = 20.0f * std::log10(std::max(v, 1e-10f));
                return (db - (ref_db - 80.0f)) / 80.0f;
            });
            a.spectrogram.set_image(img, w, int(f.stft_mag.rows()), Colormap::Sequential);
        }
        if (f.melspec_db.size() > 0) {
            const float hi = f.melspec_db.maxCoeff();
            const float lo = std::max(f.melspec_db.minCoeff(), hi - 80.0f);
            const float span = std::max(hi - lo, 1e-3f);
            auto img = matrix_image(f.melspec_db, max_cols, w, [&](int, float v) { return (v - lo) / span; });
            a.mel.set_image(img, w, int(f.melspec_db.rows()), Colormap::Sequential);
        }
        if (f.mfcc.size() > 0) {
            // Each coefficient on its own symmetric scale: c0 is tens of times larger than the rest.
            Eigen::VectorXf scale = f.mfcc.cwiseAbs().rowwise().maxCoeff().cwiseMax(1e-6f);
            auto img = matrix_image(f.mfcc, max_cols, w, [&](int r, float v) { return 0.5f + 0.5f * v / scale[r]; });
            a.mfcc.set_image(img, w, int(f.mfcc.rows()), Colormap::Diverging);
        }
        if (f.chroma.size() > 0) {
            auto img = matrix_image(f.chroma, max_cols, w, [&](int, float v) { return v; });
            a.chroma.set_image(img, w, int(f.chroma.rows()), Colormap::Sequential);
        }
        a.rms_max = f.rms.size() ? f.rms.maxCoeff() : 0.0f;
        a.zcr_max = f.zcr.size() ? f.zcr.maxCoeff() : 0.0f;
    }

    void step_classify() {
        ser::Classifier* clf = classifier();
        if (!clf) return fail("app: no model is loaded");
        a.model_index = current;
        a.classes = clf->model().classes;
        const auto t0 = Clock::now();
        auto r = clf->classify(a.samples.data(), a.samples.size());
        a.classify_ms = ms_since(t0);
        if (!r.is_ok()) return fail(r.status.to_string());
        a.probabilities = r.value.probabilities;
        a.top = r.value.top;
        a.timeline.clear();
        a.timeline_next = 0;
        if (a.duration_s > ser::kWindowS) {
            stage = Stage::Timeline;
            progress = 0.7f;
        } else {
            stage = Stage::Idle;
            progress = 1.0f;
        }
    }

    // The timeline in slices of a few windows per frame (so a 2-minute file keeps the page
    // live). Each slice is Classifier::timeline over the samples its windows cover; its times
    // are shifted back to the clip.
    void step_timeline() {
        ser::Classifier* clf = classifier();
        if (!clf) return fail("app: no model is loaded");
        const std::size_t n = a.samples.size();
        const std::size_t win = std::size_t(std::lround(ser::kWindowS * ser::kTargetRateHz));
        const std::size_t hop = std::size_t(std::lround(ser::kWindowHopS * ser::kTargetRateHz));
        const std::size_t per_slice = 8;
        const std::size_t start = a.timeline_next;
        // Windows in this slice: starts start, start+hop, ..., while a window fits; the last
        // slice takes the rest of the clip so that the tail is handled as timeline() does.
        std::size_t end = start + (per_slice - 1) * hop + win;
        const bool last = end + hop >= n || end >= n;
        if (last) end = n;
        auto r = clf->timeline(a.samples.data() + start, end - start, ser::kWindowS, ser::kWindowHopS);
        if (!r.is_ok()) {
            // Silent stretches are not an error of the whole clip: stop the timeline there.
            notice = "timeline: " + r.status.to_string();
            stage = Stage::Idle;
            progress = 1.0f;
            return;
        }
        const double offset_s = double(start) / ser::kTargetRateHz;
        std::size_t taken = 0;
        for (auto& p : r.value) {
            if (!last && taken == per_slice) break;
            p.start_s += offset_s;
            p.end_s += offset_s;
            a.timeline.push_back(std::move(p));
            ++taken;
        }
        a.timeline_next = start + per_slice * hop;
        progress = 0.7f + 0.3f * float(std::min<double>(1.0, double(a.timeline_next) / double(n)));
        if (last) {
            stage = Stage::Idle;
            progress = 1.0f;
        }
    }

    // A model switch: classify again (features again when the feature config differs).
    void rerun_for_model() {
        if (a.samples.empty() || stage != Stage::Idle) return;
        ser::Classifier* clf = classifier();
        if (!clf) return;
        error.clear();
        notice.clear();
        if (!a.have_features || clf->model().feature_config != a.config.name)
            stage = Stage::Features;
        else
            stage = Stage::Classify;
    }

    // ---- recording ------------------------------------------------------------------------
    void record_button_pressed() {
        if (rec == Rec::Off) {
            if (!classifier()) {
                error = "app: no model is loaded; cannot classify a recording";
                return;
            }
            error.clear();
            notice.clear();
            rec = Rec::Starting;
            platform.start_capture();
        } else {
            stop_recording();
        }
    }

    void stop_recording() {
        if (rec == Rec::Off) return;
        const bool was_on = rec == Rec::On;
        platform.stop_capture();
        rec = Rec::Off;
        if (!was_on || !live) return;
        const double wall_ms = ms_since(rec_t0);
        live_cpu = wall_ms > 0.0 ? live_busy_ms / wall_ms : 0.0;
        live_probs_final = live->probabilities();
        std::vector<float> take = live->recording();
        const double dur = double(take.size()) / ser::kTargetRateHz;
        if (take.empty()) {
            error = "app: the recording is empty; expected some microphone input";
            return;
        }
        begin_input("recording");
        a.format = "microphone, " + std::to_string(capture_rate_hz) + " Hz float";
        a.source_rate_hz = capture_rate_hz;
        a.source_channels = 1;
        a.samples = std::move(take);
        a.duration_s = dur;
        build_waveform();
        stage = Stage::Features;
        progress = 0.4f;
    }
};

// ---- App -----------------------------------------------------------------------------------------

App::App(Platform& platform) : impl_(new Impl(platform)) {}
App::~App() = default;

bool App::init_graphics() {
    impl_->graphics_ok = heatmap_init(kHeatmapVertexShader, kHeatmapFragmentShader);
    return impl_->graphics_ok;
}

void App::add_model(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes) {
    ModelEntry e;
    e.name = name;
    auto r = ser::parse_model(bytes, n_bytes);
    if (!r.is_ok()) {
        e.error = r.status.to_string();
    } else {
        e.accuracy = find_accuracy(r.value.metadata_json);
        e.summary = r.value.feature_config + " / " + r.value.feature_set + ", " +
                    std::to_string(r.value.n_classes()) + " classes, " + std::to_string(r.value.n_inputs()) + " inputs";
        e.classifier = std::make_unique<ser::Classifier>(std::move(r.value));
        if (!e.classifier->status().is_ok()) {
            e.error = e.classifier->status().to_string();
            e.classifier.reset();
        }
    }
    impl_->models.push_back(std::move(e));
    // Models arrive in manifest order; the first good one is the default.
    if (impl_->current < 0 && impl_->models.back().classifier) impl_->current = int(impl_->models.size()) - 1;
}

bool App::select_model(const std::string& name) {
    Impl& m = *impl_;
    for (int i = 0; i < int(m.models.size()); ++i) {
        if (m.models[i].name != name || !m.models[i].classifier) continue;
        if (i != m.current) {
            m.current = i;
            if (m.live) m.live->set_classifier(m.classifier());
            m.rerun_for_model();
        }
        return true;
    }
    return false;
}

void App::models_done() {
    impl_->models_done = true;
    if (impl_->current < 0)
        impl_->error = impl_->models.empty() ? "app: no model found; expected models/*.sermodel next to the page"
                                             : "app: no model could be loaded: " + impl_->models[0].error;
}

void App::open_bytes(const std::string& name, const std::uint8_t* bytes, std::size_t n_bytes) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::Off) m.stop_recording();
    m.begin_input(name);
    m.a.bytes.assign(bytes, bytes + n_bytes);
    m.stage = Stage::Decode;
    m.progress = 0.05f;
}

void App::open_pcm(const std::string& name, const float* planar, std::size_t n_frames, int channels,
                   int rate_hz, const std::string& format) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::Off) m.stop_recording();
    m.begin_input(name);
    m.a.format = format;
    m.a.source_rate_hz = rate_hz;
    m.a.source_channels = channels;
    if (channels < 1 || channels > ser::kMaxChannels)
        return m.fail("app: the decoder gave " + std::to_string(channels) + " channels; expected 1 to " +
                      std::to_string(ser::kMaxChannels));
    if (n_frames == 0) return m.fail("decode: the file holds no audio samples; expected at least one");
    if (rate_hz > 0 && !m.check_duration(double(n_frames) / rate_hz)) return;
    // Interleave (ser::Audio's layout), then the core validates, downmixes and resamples.
    ser::Audio audio;
    audio.rate_hz = audio.source_rate_hz = rate_hz;
    audio.channels = audio.source_channels = channels;
    audio.format = format;
    audio.samples.resize(n_frames * std::size_t(channels));
    for (int c = 0; c < channels; ++c)
        for (std::size_t i = 0; i < n_frames; ++i) audio.samples[i * channels + c] = planar[std::size_t(c) * n_frames + i];
    ser::Status s = ser::validate_pcm(audio.samples.data(), audio.samples.size(), rate_hz);
    if (!s.is_ok()) return m.fail(s.to_string());
    m.a.audio = std::move(audio);
    m.stage = Stage::Resample;
    m.progress = 0.2f;
}

void App::open_failed(const std::string& name, const std::string& message) {
    Impl& m = *impl_;
    m.begin_input(name);
    m.fail(message);
}

void App::capture_started(int rate_hz) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::Starting) {
        m.platform.stop_capture();
        return;
    }
    m.live = std::make_unique<ser::LiveAnalyser>(m.classifier());
    ser::Status s = m.live->start(rate_hz);
    if (!s.is_ok()) {
        m.rec = Impl::Rec::Off;
        m.platform.stop_capture();
        m.error = s.to_string();
        return;
    }
    m.capture_rate_hz = rate_hz;
    m.rec = Impl::Rec::On;
    m.rec_t0 = Clock::now();
    m.live_busy_ms = 0.0;
    m.live_probs_final.clear();
    m.live_spec.ring_reset(384, m.live->n_spectrum_bins(), Colormap::Sequential);
}

void App::capture_chunk(const float* samples, std::size_t n_samples) {
    Impl& m = *impl_;
    if (m.rec != Impl::Rec::On || !m.live) return;
    const auto t0 = Clock::now();
    ser::Status s = m.live->push(samples, n_samples);
    m.live_busy_ms += ms_since(t0);
    if (!s.is_ok()) {
        m.error = s.to_string();
        m.stop_recording();
        return;
    }
    if (m.live->duration_s() >= kAppMaxDurationS) {
        m.notice = "recording stopped at the " + fmt("%.0f", kAppMaxDurationS) + " s limit";
        m.stop_recording();
    }
}

void App::capture_failed(const std::string& message) {
    Impl& m = *impl_;
    m.rec = Impl::Rec::Off;
    m.error = message;
}

bool App::ready() const { return impl_->graphics_ok && impl_->models_done && impl_->current >= 0; }
bool App::busy() const { return impl_->stage != Stage::Idle; }

std::string App::state_json() const {
    const Impl& m = *impl_;
    std::string o = "{\"ready\":";
    o += ready() ? "true" : "false";
    o += ",\"model\":";
    const ModelEntry* me = m.current >= 0 ? &m.models[m.current] : nullptr;
    if (me) json_string(o, me->name); else o += "null";
    o += ",\"classes\":[";
    if (me && me->classifier) {
        const auto& cls = me->classifier->model().classes;
        for (std::size_t i = 0; i < cls.size(); ++i) {
            if (i) o += ',';
            json_string(o, cls[i]);
        }
    }
    o += "],\"models\":[";
    for (std::size_t i = 0; i < m.models.size(); ++i) {
        if (i) o += ',';
        json_string(o, m.models[i].name);
    }
    o += "],\"busy\":";
    o += busy() ? "true" : "false";
    o += ",\"stage\":";
    json_string(o, stage_label(m.stage));
    o += ",\"progress\":";
    json_number(o, m.progress);
    const bool have_result = m.a.top >= 0 && m.stage == Stage::Idle;
    const bool have_probs = m.a.top >= 0 && !m.a.probabilities.empty();
    o += ",\"source\":";
    if (!m.a.name.empty()) json_string(o, m.a.name); else o += "null";
    o += ",\"duration_s\":";
    json_number(o, m.a.duration_s);
    o += ",\"label\":";
    if (have_probs) json_string(o, m.a.classes[m.a.top]); else o += "null";
    o += ",\"probabilities\":";
    if (have_probs) json_probs(o, m.a.classes, m.a.probabilities); else o += "{}";
    o += ",\"result_model\":";
    if (have_probs && m.a.model_index >= 0) json_string(o, m.models[m.a.model_index].name); else o += "null";
    o += ",\"complete\":";
    o += have_result ? "true" : "false";
    o += ",\"timeline\":[";
    for (std::size_t i = 0; i < m.a.timeline.size(); ++i) {
        const auto& p = m.a.timeline[i];
        if (i) o += ',';
        o += "{\"start_s\":";
        json_number(o, p.start_s);
        o += ",\"end_s\":";
        json_number(o, p.end_s);
        o += ",\"probabilities\":";
        json_probs(o, m.a.classes, p.probabilities);
        o += '}';
    }
    o += "],\"error\":";
    if (!m.error.empty()) json_string(o, m.error); else o += "null";
    o += ",\"notice\":";
    if (!m.notice.empty()) json_string(o, m.notice); else o += "null";
    // Recording.
    o += ",\"recording\":";
    o += m.rec == Impl::Rec::On ? "true" : "false";
    o += ",\"live\":{";
    if (m.live) {
        const auto& cls = m.live->probabilities().empty() || !m.classifier() ? std::vector<std::string>{}
                                                                               : m.classifier()->model().classes;
        o += "\"updates\":" + std::to_string(m.live->n_updates());
        o += ",\"duration_s\":";
        json_number(o, m.live->duration_s());
        o += ",\"capture_rate_hz\":" + std::to_string(m.capture_rate_hz);
        o += ",\"level_db\":";
        json_number(o, m.live->level_rms_db());
        o += ",\"probabilities\":";
        json_probs(o, cls, m.live->probabilities());
        o += ",\"label\":";
        if (!cls.empty()) {
            const auto& p = m.live->probabilities();
            json_string(o, cls[std::size_t(std::max_element(p.begin(), p.end()) - p.begin())]);
        } else {
            o += "null";
        }
        o += ",\"silent\":";
        o += m.live->window_silent() ? "true" : "false";
    }
    o += "},\"perf\":{\"classify_ms\":";
    json_number(o, m.a.classify_ms);
    o += ",\"live_cpu\":";
    json_number(o, m.rec == Impl::Rec::On ? m.live_busy_ms / std::max(1.0, ms_since(m.rec_t0)) : m.live_cpu);
    o += "},\"ui\":{";
    bool first = true;
    for (const auto& kv : m.ui_rects) {
        if (!first) o += ',';
        first = false;
        json_string(o, kv.first);
        o += ":[";
        for (std::size_t i = 0; i < kv.second.size(); ++i) {
            if (i) o += ',';
            json_number(o, kv.second[i]);
        }
        o += ']';
    }
    o += "}}";
    return o;
}

// ---- drawing -------------------------------------------------------------------------------------

namespace {

constexpr float kAxisLeft = 58.0f;     // room for value labels
constexpr float kAxisBottom = 16.0f;   // room for time labels

struct PlotArea {
    ImVec2 p0, p1;   // data rectangle
    const char* title = "";
    bool hovered = false;
    double hover_s = 0.0;
};

// A plot frame: title, data rectangle, time axis from 0 to duration_s; the cursor line; a click
// moves the cursor.
PlotArea plot_frame(const char* id, const char* title, float height, double duration_s, double& cursor_s,
                    bool time_axis = true) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float bottom = time_axis ? kAxisBottom : 2.0f;
    ImGui::InvisibleButton(id, ImVec2(width, height + bottom));
    PlotArea pa;
    pa.p0 = ImVec2(origin.x + kAxisLeft, origin.y);
    pa.p1 = ImVec2(origin.x + width - 4.0f, origin.y + height);
    dl->AddRectFilled(pa.p0, pa.p1, IM_COL32(12, 12, 18, 255));
    pa.title = title;
    const float w = pa.p1.x - pa.p0.x;
    if (time_axis && duration_s > 0.0) {
        const double step = nice_step(duration_s, std::max(2, int(w / 70.0f)));
        for (double t = 0.0; t <= duration_s + 1e-9; t += step) {
            const float x = pa.p0.x + float(t / duration_s) * w;
            dl->AddLine(ImVec2(x, pa.p1.y), ImVec2(x, pa.p1.y + 4), IM_COL32(160, 160, 170, 255));
            char buf[32];
            std::snprintf(buf, sizeof buf, step < 1.0 ? "%.1f s" : "%.0f s", t);
            dl->AddText(ImVec2(x + 2, pa.p1.y + 1), IM_COL32(160, 160, 170, 255), buf);
        }
    }
    if (ImGui::IsItemHovered() && duration_s > 0.0) {
        const float mx = ImGui::GetIO().MousePos.x;
        if (mx >= pa.p0.x && mx <= pa.p1.x) {
            pa.hovered = true;
            pa.hover_s = double(mx - pa.p0.x) / w * duration_s;
            if (ImGui::IsMouseDown(0)) cursor_s = pa.hover_s;
        }
    }
    return pa;
}

// The plot's title in its top-left corner, over a dark backdrop (drawn after the data).
void draw_title(const PlotArea& pa) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 sz = ImGui::CalcTextSize(pa.title);
    const ImVec2 at(pa.p1.x - sz.x - 8.0f, pa.p0.y + 2.0f);
    dl->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(at.x + sz.x + 4, at.y + sz.y + 1), IM_COL32(0, 0, 0, 170), 3.0f);
    dl->AddText(at, IM_COL32(235, 235, 240, 255), pa.title);
}

void draw_cursor(const PlotArea& pa, double cursor_s, double duration_s) {
    draw_title(pa);
    if (duration_s <= 0.0) return;
    const float x = pa.p0.x + float(std::clamp(cursor_s / duration_s, 0.0, 1.0)) * (pa.p1.x - pa.p0.x);
    ImGui::GetWindowDrawList()->AddLine(ImVec2(x, pa.p0.y), ImVec2(x, pa.p1.y), IM_COL32(255, 255, 255, 200), 1.5f);
}

void y_label(const PlotArea& pa, float frac, const char* text) {
    const float y = pa.p1.y - frac * (pa.p1.y - pa.p0.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(pa.p0.x - 4, y), ImVec2(pa.p0.x, y), IM_COL32(160, 160, 170, 255));
    const ImVec2 sz = ImGui::CalcTextSize(text);
    dl->AddText(ImVec2(pa.p0.x - 6 - sz.x, y - sz.y * 0.5f), IM_COL32(160, 160, 170, 255), text);
}

void draw_heatmap(Heatmap& h, const PlotArea& pa) {
    void* tex = h.texture();
    // Texture row 0 is the lowest bin: flip v so that it is drawn at the bottom.
    if (tex) ImGui::GetWindowDrawList()->AddImage(tex, pa.p0, pa.p1, ImVec2(0, 1), ImVec2(1, 0));
}

void draw_curve(const PlotArea& pa, const Eigen::MatrixXf& row, float vmax, ImU32 color) {
    const int T = int(row.cols());
    if (T < 1 || vmax <= 0.0f) return;
    const float w = pa.p1.x - pa.p0.x, h = pa.p1.y - pa.p0.y;
    const int n = std::min(T, int(w));
    std::vector<ImVec2> pts;
    pts.resize(std::size_t(n));
    for (int x = 0; x < n; ++x) {
        const int t0 = int(std::int64_t(x) * T / n), t1 = std::max(t0 + 1, int(std::int64_t(x + 1) * T / n));
        float v = 0.0f;
        for (int t = t0; t < t1; ++t) v = std::max(v, row(0, t));
        pts[std::size_t(x)] = ImVec2(pa.p0.x + (n > 1 ? float(x) / float(n - 1) : 0.0f) * w, pa.p1.y - v / vmax * h);
    }
    ImGui::GetWindowDrawList()->AddPolyline(pts.data(), n, color, 0, 1.5f);
}

void draw_wave(const PlotArea& pa, const std::vector<float>& lo, const std::vector<float>& hi, ImU32 color) {
    const std::size_t n = lo.size();
    if (n == 0) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = pa.p1.x - pa.p0.x, mid = 0.5f * (pa.p0.y + pa.p1.y), half = 0.5f * (pa.p1.y - pa.p0.y);
    const int cols = std::max(1, int(w));
    for (int x = 0; x < cols; ++x) {
        const std::size_t i0 = std::size_t(x) * n / cols, i1 = std::max(i0 + 1, std::size_t(x + 1) * n / cols);
        float a = lo[i0], b = hi[i0];
        for (std::size_t i = i0; i < i1 && i < n; ++i) {
            a = std::min(a, lo[i]);
            b = std::max(b, hi[i]);
        }
        const float xx = pa.p0.x + float(x) + 0.5f;
        dl->AddLine(ImVec2(xx, mid - std::clamp(b, -1.0f, 1.0f) * half),
                    ImVec2(xx, mid - std::clamp(a, -1.0f, 1.0f) * half + 1.0f), color);
    }
}

void probability_bars(const std::vector<std::string>& classes, const std::vector<float>& p, int top) {
    for (std::size_t i = 0; i < classes.size() && i < p.size(); ++i) {
        ImGui::PushStyleColor(ImGuiCol_PlotHistogram, class_color(int(i), int(i) == top ? 255 : 150));
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "%.1f%%", p[i] * 100.0f);
        ImGui::TextUnformatted(classes[i].c_str());
        ImGui::SameLine(90.0f);
        ImGui::ProgressBar(p[i], ImVec2(-1.0f, 0.0f), overlay);
        ImGui::PopStyleColor();
    }
}

}  // namespace

void App::frame() {
    Impl& m = *impl_;
    m.step();

    if (m.playing) {
        const double pos = m.platform.playback_position_s();
        if (pos < 0.0) m.playing = false; else m.cursor_s = pos;
    }

    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::Begin("ser", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);

    // ---- header: title, model, classes, accuracy ----
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.4f, 1.0f), "ser");
    ImGui::SameLine();
    ImGui::TextUnformatted("speech emotion recognition, on your device");
    ImGui::SameLine(std::max(360.0f, io.DisplaySize.x - 560.0f));
    ImGui::TextUnformatted("Model");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(240.0f);
    ModelEntry* me = m.model();
    if (ImGui::BeginCombo("##model", me ? me->name.c_str() : (m.models_done ? "(none)" : "loading..."))) {
        for (int i = 0; i < int(m.models.size()); ++i) {
            const ModelEntry& e = m.models[i];
            const bool usable = e.classifier != nullptr;
            if (!usable) ImGui::BeginDisabled();
            if (ImGui::Selectable(e.name.c_str(), i == m.current) && usable && i != m.current) {
                m.current = i;
                if (m.live) m.live->set_classifier(m.classifier());
                m.rerun_for_model();
            }
            if (!usable) {
                ImGui::EndDisabled();
                ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "  %s", e.error.c_str());
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", m.platform.name());
    me = m.model();
    if (me && me->classifier) {
        std::string cls;
        for (const auto& c : me->classifier->model().classes) cls += (cls.empty() ? "" : ", ") + c;
        ImGui::Text("Classes: %s", cls.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("| %s | %s", me->summary.c_str(),
                            me->accuracy.empty() ? "accuracy: not recorded in the model" : ("measured: " + me->accuracy).c_str());
    } else if (!m.models_done) {
        ImGui::TextDisabled("Loading models...");
    }
    ImGui::Separator();

    // ---- left column: record, drop zone, picker, results ----
    const float left_w = std::min(360.0f, std::max(260.0f, io.DisplaySize.x * 0.28f));
    ImGui::BeginChild("left", ImVec2(left_w, 0), false);
    {
        const bool recording = m.rec != Impl::Rec::Off;
        const bool can_record = ready() && m.stage == Stage::Idle;
        ImGui::PushStyleColor(ImGuiCol_Button, recording ? ImVec4(0.75f, 0.15f, 0.15f, 1) : ImVec4(0.22f, 0.24f, 0.30f, 1));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, recording ? ImVec4(0.85f, 0.2f, 0.2f, 1) : ImVec4(0.30f, 0.33f, 0.42f, 1));
        if (!can_record && !recording) ImGui::BeginDisabled();
        const char* rec_label = m.rec == Impl::Rec::On ? "Stop##rec" : m.rec == Impl::Rec::Starting ? "Starting microphone...##rec" : "Record##rec";
        const ImVec2 bpos = ImGui::GetCursorScreenPos();
        if (ImGui::Button(rec_label, ImVec2(-1.0f, 72.0f))) m.record_button_pressed();
        m.remember_rect("record_button");
        // The record/stop symbol, drawn (the built-in font has ASCII only).
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 c(bpos.x + 34.0f, bpos.y + 36.0f);
        if (m.rec == Impl::Rec::On)
            dl->AddRectFilled(ImVec2(c.x - 11, c.y - 11), ImVec2(c.x + 11, c.y + 11), IM_COL32(255, 255, 255, 255), 2.0f);
        else
            dl->AddCircleFilled(c, 13.0f, IM_COL32(230, 60, 60, 255));
        if (!can_record && !recording) ImGui::EndDisabled();
        ImGui::PopStyleColor(2);

        if (m.rec == Impl::Rec::On && m.live) {
            const float db = m.live->level_rms_db();
            const float frac = std::clamp((db + 60.0f) / 60.0f, 0.0f, 1.0f);
            char buf[48];
            std::snprintf(buf, sizeof buf, "level %.0f dBFS", db);
            ImGui::PushStyleColor(ImGuiCol_PlotHistogram, db > -3.0f ? ImVec4(0.9f, 0.2f, 0.2f, 1) : ImVec4(0.3f, 0.8f, 0.4f, 1));
            ImGui::ProgressBar(frac, ImVec2(-1, 0), buf);
            ImGui::PopStyleColor();
            ImGui::Text("%.1f s at %d Hz, %d updates", m.live->duration_s(), m.capture_rate_hz, m.live->n_updates());
        } else {
            ImGui::TextDisabled("The first click also starts the page's audio.");
        }
        ImGui::Spacing();

        // Drop zone (the page takes drops anywhere; this tells the user so).
        const ImVec2 dz0 = ImGui::GetCursorScreenPos();
        const float dz_h = 96.0f;
        ImGui::InvisibleButton("dropzone", ImVec2(left_w - 8.0f, dz_h));
        const bool dz_hover = ImGui::IsItemHovered();
        const ImVec2 dz1(dz0.x + left_w - 8.0f, dz0.y + dz_h);
        dl->AddRect(dz0, dz1, dz_hover ? IM_COL32(200, 200, 240, 255) : IM_COL32(120, 120, 150, 255), 6.0f, 0, 2.0f);
        dl->AddText(ImVec2(dz0.x + 12, dz0.y + 14), IM_COL32(230, 230, 240, 255), "Drop an audio file here");
        dl->AddText(ImVec2(dz0.x + 12, dz0.y + 34), IM_COL32(170, 170, 190, 255), "(anywhere on the page)");
        dl->AddText(ImVec2(dz0.x + 12, dz0.y + 54), IM_COL32(170, 170, 190, 255), "WAV, FLAC, MP3, OGG; any rate;");
        dl->AddText(ImVec2(dz0.x + 12, dz0.y + 68), IM_COL32(170, 170, 190, 255), "mono or stereo; up to 120 s");
        if (ImGui::IsItemClicked()) m.platform.open_file_picker();
        if (ImGui::Button("Choose a file...", ImVec2(-1, 30))) m.platform.open_file_picker();
        ImGui::Spacing();

        if (m.stage != Stage::Idle) {
            ImGui::Text("%s...", stage_label(m.stage));
            ImGui::ProgressBar(m.progress, ImVec2(-1, 0));
        }
        if (!m.error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.35f, 0.08f, 0.08f, 1));
            ImGui::BeginChild("error", ImVec2(-1, 90), true);
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextColored(ImVec4(1, 0.8f, 0.8f, 1), "%s", m.error.c_str());
            ImGui::PopTextWrapPos();
            if (ImGui::SmallButton("Dismiss")) m.error.clear();
            ImGui::EndChild();
            ImGui::PopStyleColor();
        }
        if (!m.notice.empty()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", m.notice.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::Separator();

        // Live probabilities while recording, else the last result.
        if (m.rec == Impl::Rec::On && m.live && m.classifier()) {
            ImGui::TextUnformatted("Live (last 3 s, smoothed)");
            const auto& p = m.live->probabilities();
            if (p.empty()) {
                ImGui::TextDisabled(m.live->window_silent() ? "silence..." : "listening...");
            } else {
                const int top = int(std::max_element(p.begin(), p.end()) - p.begin());
                probability_bars(m.classifier()->model().classes, p, top);
                if (m.live->window_silent()) ImGui::TextDisabled("(silence: holding the last reading)");
            }
        } else if (!m.a.name.empty()) {
            ImGui::TextWrapped("%s", m.a.name.c_str());
            if (!m.a.format.empty() || m.a.duration_s > 0.0)
                ImGui::TextDisabled("%s%s%.2f s, %d Hz, %d ch", m.a.format.c_str(), m.a.format.empty() ? "" : ", ",
                                    m.a.duration_s, m.a.source_rate_hz, m.a.source_channels);
            if (m.a.top >= 0) {
                ImGui::Text("Result: ");
                ImGui::SameLine();
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(class_color(m.a.top)), "%s",
                                   m.a.classes[m.a.top].c_str());
                if (m.a.model_index >= 0 && m.a.model_index < int(m.models.size()))
                    ImGui::TextDisabled("by %s, in %.1f ms", m.models[m.a.model_index].name.c_str(), m.a.classify_ms);
                probability_bars(m.a.classes, m.a.probabilities, m.a.top);
            }
            ImGui::Spacing();
            if (!m.a.samples.empty()) {
                if (!m.playing) {
                    if (ImGui::Button("Play", ImVec2(80, 0))) {
                        const double from = m.cursor_s < m.a.duration_s - 0.05 ? m.cursor_s : 0.0;
                        m.platform.play(m.a.samples.data(), m.a.samples.size(), ser::kTargetRateHz, from);
                        m.playing = true;
                    }
                } else if (ImGui::Button("Stop", ImVec2(80, 0))) {
                    m.platform.stop_playback();
                    m.playing = false;
                }
                ImGui::SameLine();
                ImGui::TextDisabled("cursor %.2f s", m.cursor_s);
            }
            m.ui_rects.erase("export_features");
            m.ui_rects.erase("export_timeline");
            if (m.a.have_features) {
                if (ImGui::Button("Export features (CSV)"))
                    m.platform.save_text(m.a.name + ".features.csv",
                                         ser::features_csv(m.a.features, m.a.config.hop_length, m.a.config.sample_rate_hz));
                m.remember_rect("export_features");
            }
            if (!m.a.timeline.empty() && m.stage == Stage::Idle) {
                if (ImGui::Button("Export timeline (CSV)"))
                    m.platform.save_text(m.a.name + ".timeline.csv", ser::timeline_csv(m.a.classes, m.a.timeline));
                m.remember_rect("export_timeline");
            }
        } else if (ready()) {
            ImGui::TextWrapped("Record your voice or drop a file to see its emotion probabilities.");
        }
    }
    ImGui::EndChild();
    ImGui::SameLine();

    // ---- right: views ----
    ImGui::BeginChild("views", ImVec2(0, 0), false);
    if (m.rec == Impl::Rec::On && m.live) {
        // Pull the new spectrum columns into the ring texture: dBFS -100..-10 -> 0..1.
        auto cols = m.live->take_spectrum_columns();
        std::vector<std::uint8_t> col8;
        for (const auto& c : cols) {
            col8.resize(c.size());
            for (std::size_t k = 0; k < c.size(); ++k) col8[k] = to_byte((c[k] + 100.0f) / 90.0f);
            m.live_spec.ring_push_column(col8.data());
        }
        const double span_s = 6.0;
        const auto& rec = m.live->recording();
        const std::size_t n_show = std::min(rec.size(), std::size_t(span_s * ser::kTargetRateHz));
        std::vector<float> lo, hi;
        const std::size_t cols_w = 800;
        lo.assign(cols_w, 0.0f);
        hi.assign(cols_w, 0.0f);
        const std::size_t full = std::size_t(span_s * ser::kTargetRateHz);
        const std::size_t first = rec.size() - n_show;
        for (std::size_t x = 0; x < cols_w; ++x) {
            // The newest sample at the right edge; empty on the left until 6 s are in.
            const std::size_t a0 = x * full / cols_w, a1 = (x + 1) * full / cols_w;
            const std::size_t pad = full - n_show;
            float l = 0.0f, h = 0.0f;
            for (std::size_t i = a0; i < a1; ++i) {
                if (i < pad) continue;
                const float v = rec[first + i - pad];
                l = std::min(l, v);
                h = std::max(h, v);
            }
            lo[x] = l;
            hi[x] = h;
        }
        double dummy = 0.0;
        PlotArea pw = plot_frame("live_wave", "Waveform (last 6 s)", 140.0f, 0.0, dummy, false);
        draw_wave(pw, lo, hi, IM_COL32(120, 200, 255, 255));
        draw_title(pw);
        ImGui::Spacing();
        PlotArea ps = plot_frame("live_spec", "Spectrogram (live, dBFS)", 260.0f, 0.0, dummy, false);
        draw_heatmap(m.live_spec, ps);
        draw_title(ps);
        for (int khz = 0; khz <= 8; khz += 2) y_label(ps, khz / 8.0f, (std::to_string(khz) + " kHz").c_str());
        ImGui::TextDisabled("Probabilities update every %.1f s from the last %.0f s of audio, smoothed over about 1 s.",
                            ser::kWindowHopS, ser::kWindowS);
    } else if (!m.a.samples.empty()) {
        const double dur = m.a.duration_s;
        const float h = std::max(90.0f, (ImGui::GetContentRegionAvail().y - 7 * (kAxisBottom + 10.0f)) / 7.5f);
        PlotArea pw = plot_frame("wave", "Waveform", h, dur, m.cursor_s);
        draw_wave(pw, m.a.wave_min, m.a.wave_max, IM_COL32(120, 200, 255, 255));
        y_label(pw, 0.5f, "0");
        y_label(pw, 1.0f, "+1");
        y_label(pw, 0.0f, "-1");
        draw_cursor(pw, m.cursor_s, dur);

        if (!m.a.timeline.empty()) {
            PlotArea pt = plot_frame("timeline", "Emotion timeline (3 s windows)", h, dur, m.cursor_s);
            ImDrawList* dl = ImGui::GetWindowDrawList();
            const float w = pt.p1.x - pt.p0.x, ht = pt.p1.y - pt.p0.y;
            for (std::size_t k = 0; k < m.a.classes.size(); ++k) {
                std::vector<ImVec2> pts;
                for (const auto& p : m.a.timeline) {
                    if (k >= p.probabilities.size()) continue;
                    const double mid = 0.5 * (p.start_s + p.end_s);
                    pts.emplace_back(pt.p0.x + float(mid / dur) * w, pt.p1.y - p.probabilities[k] * ht);
                }
                if (pts.size() == 1) dl->AddCircleFilled(pts[0], 3.0f, class_color(int(k)));
                else dl->AddPolyline(pts.data(), int(pts.size()), class_color(int(k)), 0, 2.0f);
            }
            y_label(pt, 0.0f, "0");
            y_label(pt, 1.0f, "1");
            draw_cursor(pt, m.cursor_s, dur);
            if (pt.hovered) {
                // The window whose centre is nearest the mouse.
                const ser::TimelinePoint* best = nullptr;
                double best_d = 1e30;
                for (const auto& p : m.a.timeline) {
                    const double d = std::fabs(0.5 * (p.start_s + p.end_s) - pt.hover_s);
                    if (d < best_d) { best_d = d; best = &p; }
                }
                if (best) {
                    ImGui::BeginTooltip();
                    ImGui::Text("%.1f - %.1f s", best->start_s, best->end_s);
                    for (std::size_t k = 0; k < m.a.classes.size() && k < best->probabilities.size(); ++k)
                        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(class_color(int(k))), "%-10s %5.1f%%",
                                           m.a.classes[k].c_str(), best->probabilities[k] * 100.0f);
                    ImGui::EndTooltip();
                }
            }
            // Legend.
            float lx = pt.p0.x + 6.0f;
            for (std::size_t k = 0; k < m.a.classes.size(); ++k) {
                dl->AddRectFilled(ImVec2(lx, pt.p0.y + 5), ImVec2(lx + 10, pt.p0.y + 15), class_color(int(k)));
                dl->AddText(ImVec2(lx + 13, pt.p0.y + 3), IM_COL32(230, 230, 230, 255), m.a.classes[k].c_str());
                lx += 20.0f + ImGui::CalcTextSize(m.a.classes[k].c_str()).x;
            }
        }

        if (m.a.have_features) {
            const float nyq = 0.5f * float(m.a.config.sample_rate_hz);
            PlotArea p1 = plot_frame("spec", "Spectrogram (dB)", h, dur, m.cursor_s);
            draw_heatmap(m.a.spectrogram, p1);
            for (int khz = 0; khz <= int(nyq / 1000.0f); khz += 2)
                y_label(p1, khz * 1000.0f / nyq, (std::to_string(khz) + " kHz").c_str());
            draw_cursor(p1, m.cursor_s, dur);

            PlotArea p2 = plot_frame("mel", "Mel spectrogram (dB)", h, dur, m.cursor_s);
            draw_heatmap(m.a.mel, p2);
            const double m_lo = hz_to_mel(m.a.config.fmin_hz), m_hi = hz_to_mel(m.a.config.fmax_hz);
            for (double f : {500.0, 1000.0, 2000.0, 4000.0, 8000.0})
                if (f <= m.a.config.fmax_hz && f >= m.a.config.fmin_hz)
                    y_label(p2, float((hz_to_mel(f) - m_lo) / (m_hi - m_lo)),
                            f >= 1000.0 ? (fmt("%.0f", f / 1000.0) + " kHz").c_str() : (fmt("%.0f", f) + " Hz").c_str());
            draw_cursor(p2, m.cursor_s, dur);

            PlotArea p3 = plot_frame("mfcc", "MFCC", h, dur, m.cursor_s);
            draw_heatmap(m.a.mfcc, p3);
            const int n_mfcc = int(m.a.features.mfcc.rows());
            y_label(p3, 0.5f / n_mfcc, "0");
            y_label(p3, (n_mfcc - 0.5f) / n_mfcc, std::to_string(n_mfcc - 1).c_str());
            draw_cursor(p3, m.cursor_s, dur);

            PlotArea p4 = plot_frame("chroma", "Chroma", h * 0.8f, dur, m.cursor_s);
            draw_heatmap(m.a.chroma, p4);
            static const char* notes[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
            const int n_chroma = int(m.a.features.chroma.rows());
            for (int k = 0; k < n_chroma && k < 12; k += 2) y_label(p4, (k + 0.5f) / n_chroma, notes[k]);
            draw_cursor(p4, m.cursor_s, dur);

            PlotArea p5 = plot_frame("zcr_rms", "RMS (blue), ZCR (orange)", h * 0.8f, dur, m.cursor_s);
            draw_curve(p5, m.a.features.rms, m.a.rms_max, IM_COL32(120, 200, 255, 255));
            draw_curve(p5, m.a.features.zcr, m.a.zcr_max, IM_COL32(250, 160, 60, 255));
            y_label(p5, 1.0f, fmt("%.3f", m.a.rms_max).c_str());
            y_label(p5, 0.0f, "0");
            draw_cursor(p5, m.cursor_s, dur);
            ImGui::TextDisabled("RMS max %.4f, ZCR max %.3f (each curve on its own scale); click a view to move the cursor.",
                                m.a.rms_max, m.a.zcr_max);
        }
    } else {
        ImGui::Dummy(ImVec2(0, 40));
        ImGui::TextDisabled("Waveform, spectrogram, mel spectrogram, MFCC, chroma, ZCR and RMS appear here");
        ImGui::TextDisabled("for a dropped or chosen file, and the live view while recording.");
        if (!ready()) {
            ImGui::Spacing();
            ImGui::Text(m.models_done ? "No usable model." : "Loading models...");
        }
    }
    ImGui::EndChild();
    ImGui::End();
}

}  // namespace ser_app
