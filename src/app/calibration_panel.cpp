// "Calibrate to my voice" (issue #10): the sentences to read, the core's checks of each take or
// dropped file, the profile kept by the host, and its state, redo, removal, export and import.
#include <algorithm>

#include "app_impl.h"
#include "imgui.h"
#include "ser/model/model.h"

namespace ser_app {

namespace {

// Neutral sentences to read: the two RAVDESS statements (the length calibration was measured on:
// two of them hold 0.7-1.9 s of voiced speech) and a longer third for a steadier profile.
const char* const kPrompts[] = {
    "Kids are talking by the door.",
    "Dogs are sitting by the door.",
    "The bus leaves from the station at nine every morning.",
};
constexpr int kNumPrompts = int(sizeof kPrompts / sizeof kPrompts[0]);

const ImVec4 kProblemColor(1.0f, 0.6f, 0.45f, 1.0f);
const ImVec4 kGoodColor(0.5f, 0.9f, 0.55f, 1.0f);

// The prompt to read next: the first not yet recorded usably (a redone sentence keeps its number).
int next_prompt(const App::Impl& m) { return m.cal.session ? std::min(m.cal.session->n_usable(), kNumPrompts - 1) : 0; }

std::string sentences_text(int n) { return std::to_string(n) + (n == 1 ? " sentence" : " sentences"); }

// "1.23 s of voiced speech from 2 sentences"
std::string profile_text(const ser::SpeakerProfile& p) {
    return fmt("%.2f s of voiced speech from ", p.voiced_s) + sentences_text(p.n_clips);
}

void clip_report(const ser::CalibrationClip& c) {
    if (c.problem.empty()) {
        ImGui::TextColored(kGoodColor, "%s: %.2f s, %.2f s voiced", c.name.c_str(), c.duration_s, c.voiced_s);
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, kProblemColor);
    ImGui::TextWrapped("%s: %s", c.name.c_str(), c.problem.c_str());
    ImGui::PopStyleColor();
}

}  // namespace

std::shared_ptr<const ser::SpeakerProfile> App::Impl::applied_profile() const {
    const ModelEntry* me = model();
    if (!cal.profile || !me || !me->context->model().check_profile(*cal.profile)) return nullptr;
    return cal.profile;
}

void App::Impl::push_profile() {
    auto p = applied_profile();
    if (live && !rec_for_calibration) live->set_profile(p);   // a worker's take keeps its profile until the next
    analysis.set_profile(p);
}

void App::Impl::apply_profile() {
    push_profile();
    if (has_result()) {
        analysis.reclassify();
        views_ready = false;
    }
    frames_owed = std::max(frames_owed, 1);
}

void App::Impl::start_calibration() {
    const ModelEntry* me = model();
    if (!me) return;
    cal.session = std::make_unique<ser::CalibrationSession>(me->context);
    if (!cal.session->status()) {
        error = cal.session->status().to_string();
        cal.session.reset();
        return;
    }
    cal.collecting = true;
    error.clear();
    notice = "calibration: read sentence 1 after pressing Record, or drop recordings of your neutral speech";
}

void App::Impl::add_calibration_clip(const std::string& name, ser::Result<ser::Audio> audio) {
    frames_owed = std::max(frames_owed, 1);
    if (!cal.collecting || !cal.session) return;
    if (!audio) {
        error = "calibration: " + name + ": " + audio.status.to_string();
        return;
    }
    if (audio.value.duration_s() > kAppMaxDurationS) {
        error = "calibration: " + name + " is " + fmt("%.0f", audio.value.duration_s()) + " s long; expected a sentence (at most " +
                fmt("%.0f", kAppMaxDurationS) + " s)";
        return;
    }
    const auto t0 = Clock::now();
    const ser::CalibrationClip& report = cal.session->add(name, audio.value.samples.data(), audio.value.samples.size());
    error.clear();
    notice = report.problem.empty() ? "" : "calibration: " + report.name + " is " + report.problem;
    ser::Result<ser::SpeakerProfile> p = cal.session->profile();
    if (!p) return;
    set_profile(std::move(p.value), "recorded here", true);
    cal.profile_ms = ms_since(t0);
    if (cal.session->n_usable() >= kNumPrompts) cal.collecting = false;
}

void App::Impl::set_profile(ser::SpeakerProfile profile, const std::string& origin, bool keep) {
    if (keep) platform.keep_profile(ser::profile_to_json(profile));
    cal.profile = std::make_shared<const ser::SpeakerProfile>(std::move(profile));
    cal.origin = origin;
    apply_profile();
}

void App::Impl::remove_profile() {
    cal.profile.reset();
    cal.collecting = false;
    cal.session.reset();
    platform.keep_profile("");
    notice = "calibration: the profile is removed from this device; results are not calibrated";
    apply_profile();
}

void App::open_profile(const std::uint8_t* bytes, std::size_t n_bytes, bool from_storage) {
    Impl& m = *impl_;
    m.frames_owed = std::max(m.frames_owed, 1);
    ser::Result<ser::SpeakerProfile> p = ser::parse_profile(bytes, n_bytes);
    if (p) {
        const bool fits_a_model = std::any_of(m.models.begin(), m.models.end(), [&](const ModelEntry& e) {
            return e.context && e.context->model().check_profile(p.value);
        });
        if (!fits_a_model)
            p = ser::Status::error("profile", "the profile is for feature set '" + p.value.feature_set + "' v" +
                                                  std::to_string(p.value.feature_set_version) +
                                                  "; expected one that a loaded model accepts");
    }
    if (!p) {
        if (from_storage) {
            m.platform.keep_profile("");
            m.notice = "calibration: the profile kept on this device was refused and forgotten (" + p.status.to_string() + ")";
        } else {
            m.error = p.status.to_string();
        }
        return;
    }
    m.cal.collecting = false;
    m.set_profile(std::move(p.value), from_storage ? "kept on this device" : "imported", !from_storage);
    if (!from_storage) m.notice = "calibration: profile imported (" + profile_text(*m.cal.profile) + ")";
}

// ---- the panel ---------------------------------------------------------------------------------

namespace {

void collecting_box(App::Impl& m) {
    const ser::CalibrationSession& s = *m.cal.session;
    const int next = next_prompt(m);
    ImGui::TextWrapped("Read each sentence in your everyday, calm voice: press Record, read, press Stop. "
                       "Or drop recordings of your own neutral speech.");
    for (int i = 0; i < kNumPrompts; ++i) {
        const bool done = i < s.n_usable();
        ImGui::TextColored(done ? kGoodColor : (i == next ? ImVec4(1, 1, 1, 1) : ImVec4(0.6f, 0.6f, 0.65f, 1)), "%d.", i + 1);
        ImGui::SameLine();
        ImGui::TextWrapped("%s", kPrompts[i]);
    }
    for (const ser::CalibrationClip& c : s.clips()) clip_report(c);
    const ser::Result<ser::SpeakerProfile> p = s.profile();
    if (p) {
        ImGui::PushStyleColor(ImGuiCol_Text, kGoodColor);
        ImGui::TextWrapped("Profile ready (%.0f ms); a third sentence makes it steadier.", m.cal.profile_ms);
        ImGui::PopStyleColor();
    } else if (s.n_usable() > 0) {
        ImGui::TextWrapped("%s", p.status.message.c_str());
    }
    if (!p) ImGui::BeginDisabled();
    if (ImGui::Button("Done##cal")) m.cal.collecting = false;
    m.remember_rect("calibration_done");
    if (!p) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Cancel##cal")) m.cal.collecting = false;
    m.remember_rect("calibration_cancel");
}

void profile_state(App::Impl& m) {
    const ser::SpeakerProfile& p = *m.cal.profile;
    ImGui::TextColored(kGoodColor, "Calibrated: %s", profile_text(p).c_str());
    ImGui::TextDisabled("(%s; feature set %s v%d)", m.cal.origin.c_str(), p.feature_set.c_str(), p.feature_set_version);
    if (!m.applied_profile() && m.model())
        ImGui::TextWrapped("%s does not accept this profile: its results are not calibrated.", m.model()->name.c_str());
    if (ImGui::SmallButton("Redo")) m.start_calibration();
    m.remember_rect("calibration_redo");
    ImGui::SameLine();
    if (ImGui::SmallButton("Remove")) m.remove_profile();
    m.remember_rect("profile_remove");
    ImGui::SameLine();
    if (ImGui::SmallButton("Export")) m.platform.save_text("ser-profile.json", ser::profile_to_json(p));
    m.remember_rect("profile_export");
}

}  // namespace

void App::Impl::draw_calibration_panel() {
    // Only the buttons drawn in this frame are in the hook (a test clicks what the user sees).
    for (const char* r : {"calibration_done", "calibration_cancel", "calibration_redo", "profile_remove", "profile_export",
                          "calibrate_button", "profile_import"})
        ui_rects.erase(r);
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.4f, 1.0f), "Your voice");
    if (cal.collecting && cal.session) {
        collecting_box(*this);
    } else if (cal.profile) {
        profile_state(*this);
    } else {
        const ModelEntry* me = model();
        const bool accepts = me && me->context->model().accepts_profiles();
        ImGui::TextWrapped("Not calibrated. Two or three sentences in your normal voice tune the model to you.");
        if (me && !accepts) ImGui::TextDisabled("%s does not accept speaker profiles.", me->name.c_str());
        if (!accepts || rec != Rec::Off) ImGui::BeginDisabled();
        if (ImGui::Button("Calibrate to my voice")) start_calibration();
        remember_rect("calibrate_button");
        if (!accepts || rec != Rec::Off) ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button("Import profile...")) platform.open_file_picker();
        remember_rect("profile_import");
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("A profile holds feature averages, no audio. It stays on this device (the browser's "
                        "storage) and is never sent anywhere.");
    ImGui::PopTextWrapPos();
    ImGui::Separator();
}

std::string calibration_take_name(const App::Impl& m) { return "sentence " + std::to_string(next_prompt(m) + 1); }

std::string calibration_prompt(const App::Impl& m) { return calibration_take_name(m) + ": " + kPrompts[next_prompt(m)]; }

}  // namespace ser_app
