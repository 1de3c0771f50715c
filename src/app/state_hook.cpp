// The test hook's JSON (App::state_json, window.serState() in the page; docs/web.md lists the fields).
// Built with nlohmann::json from the app state and the core's ClipAnalysis; nothing is computed here.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app_impl.h"

namespace ser_app {

namespace {

using Json = nlohmann::ordered_json;

Json probabilities_json(const std::vector<std::string>& classes, const std::vector<float>& p) {
    Json o = Json::object();
    for (std::size_t i = 0; i < classes.size() && i < p.size(); ++i) o[classes[i]] = p[i];
    return o;
}

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json result_json(const App::Impl& m) {
    const ser::ClipAnalysis& c = m.analysis.clip();
    const bool have = m.has_result();
    Json o;
    o["source"] = text_or_null(m.source);
    o["duration_s"] = c.duration_s;
    o["label"] = have ? Json(c.result.label()) : Json(nullptr);
    o["probabilities"] = have ? probabilities_json(c.result.classes, c.result.probabilities) : Json::object();
    const ModelEntry* rm = have ? m.result_model() : nullptr;
    o["result_model"] = rm ? Json(rm->name) : Json(nullptr);
    o["calibrated"] = have && c.result.calibrated;
    o["complete"] = have && m.analysis.stage() == ser::AnalysisStage::done;
    o["used"] = have ? Json{{"start_s", c.used_start_s()}, {"end_s", c.used_end_s()}, {"gain_db", c.used.gain_db}}
                     : Json(nullptr);
    Json timeline = Json::array();
    if (have)
        for (const auto& p : c.timeline)
            timeline.push_back({{"start_s", p.start_s}, {"end_s", p.end_s},
                                {"probabilities", probabilities_json(c.result.classes, p.probabilities)}});
    o["timeline"] = std::move(timeline);
    return o;
}

Json live_json(const App::Impl& m) {
    Json o = Json::object();
    if (!m.have_live) return o;
    const ser::LiveReading& r = m.live_view;
    const auto& p = r.probabilities;
    const bool have = !p.empty() && p.size() == m.live_classes.size();
    o["updates"] = r.n_updates;
    o["duration_s"] = r.duration_s;
    o["capture_rate_hz"] = m.capture_rate_hz;
    o["level_db"] = r.level_rms_db;
    o["probabilities"] = have ? probabilities_json(m.live_classes, p) : Json::object();
    o["label"] = have ? Json(m.live_classes[std::size_t(std::max_element(p.begin(), p.end()) - p.begin())]) : Json(nullptr);
    o["silent"] = r.silent;
    o["calibrated"] = r.calibrated;
    o["for_calibration"] = m.rec_for_calibration;
    o["timeline_points"] = m.live_timeline.size();
    o["in_worker"] = m.live_remote;
    return o;
}

// The model card of the current model, as the About panel shows it.
Json about_json(const App::Impl& m) {
    const ModelEntry* me = m.model();
    if (!me) return nullptr;
    Json corpora = Json::array();
    for (const auto& c : me->card.corpora)
        corpora.push_back({{"name", c.name}, {"n_speakers", c.n_speakers}, {"n_clips", c.n_clips}, {"licence", c.licence}});
    Json figures = Json::array();
    for (const auto& f : me->card.figures)
        figures.push_back({{"protocol", f.protocol}, {"accuracy", f.accuracy}, {"uar", f.uar}, {"macro_f1", f.macro_f1},
                           {"confusion", f.confusion}, {"classes", f.confusion_classes}});
    return {{"open", m.about_open}, {"corpora", corpora}, {"n_speakers", me->card.n_speakers}, {"figures", figures}};
}

// The speaker profile and the calibration in progress (calibration_panel.cpp).
Json calibration_json(const App::Impl& m) {
    Json o;
    const auto& p = m.cal.profile;
    o["profile"] = p ? Json{{"voiced_s", p->voiced_s}, {"n_clips", p->n_clips}, {"feature_set", p->feature_set},
                            {"feature_set_version", p->feature_set_version}, {"origin", m.cal.origin},
                            {"applied", m.applied_profile() != nullptr}}
                     : Json(nullptr);
    o["collecting"] = m.cal.collecting;
    Json clips = Json::array();
    if (m.cal.session)
        for (const auto& c : m.cal.session->clips())
            clips.push_back({{"name", c.name}, {"duration_s", c.duration_s}, {"peak_dbfs", c.peak_dbfs},
                             {"voiced_s", c.voiced_s}, {"problem", text_or_null(c.problem)}});
    o["clips"] = std::move(clips);
    o["profile_ms"] = m.cal.profile_ms;
    return o;
}

}  // namespace

std::string App::state_json() const {
    const Impl& m = *impl_;
    const ModelEntry* me = m.model();
    Json o;
    o["ready"] = ready();
    o["model"] = me ? Json(me->name) : Json(nullptr);
    o["classes"] = me ? Json(me->context->model().classes) : Json::array();
    Json names = Json::array();
    for (const auto& e : m.models) names.push_back(e.name);
    o["models"] = std::move(names);
    o["busy"] = busy();
    o["stage"] = m.analysis.busy() ? ser::analysis_stage_label(m.analysis.stage()) : "";
    o["progress"] = m.analysis.progress();
    o.update(result_json(m));
    o["error"] = text_or_null(m.error);
    o["notice"] = text_or_null(m.notice);
    o["announce"] = m.announced;
    o["alert"] = text_or_null(m.alerted);
    o["about"] = about_json(m);
    o["calibration"] = calibration_json(m);
    o["recording"] = m.rec == Impl::Rec::On;
    o["live"] = live_json(m);
    const double live_cpu = m.rec == Impl::Rec::On ? m.live_view.busy_ms / std::max(1.0, ms_since(m.rec_t0)) : m.live_cpu;
    o["perf"] = {{"classify_ms", m.analysis.clip().classify_ms}, {"live_cpu", live_cpu}};
    Json ui = Json::object();
    for (const auto& kv : m.ui_rects) ui[kv.first] = kv.second;
    o["ui"] = std::move(ui);
    // File names come from the host: replace invalid UTF-8 rather than throw (an abort under Emscripten).
    return o.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ser_app
