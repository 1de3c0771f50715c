// The panels of one frame (App::frame calls them in order): header with the model menu, input
// (record, drop, pick), status, result, and the views of the live take or of the analysed clip.
#include <algorithm>
#include <cstdio>

#include "app_impl.h"
#include "plots.h"
#include "ser/classify/export.h"

namespace ser_app {

namespace {

const ImU32 kWaveColor = IM_COL32(120, 200, 255, 255);
const ImU32 kZcrColor = IM_COL32(250, 160, 60, 255);

std::string hz_label(double f_hz) {
    return f_hz >= 1000.0 ? fmt("%.0f kHz", f_hz / 1000.0) : fmt("%.0f Hz", f_hz);
}

void model_menu_item(App::Impl& m, int i) {
    const ModelEntry& e = m.models[std::size_t(i)];
    const bool usable = e.context != nullptr;
    if (!usable) ImGui::BeginDisabled();
    if (ImGui::Selectable(e.name.c_str(), i == m.current) && usable) m.choose_model(i);
    if (!usable) {
        ImGui::EndDisabled();
        ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "  %s", e.error.c_str());
    }
}

void record_symbol(ImVec2 button_pos, bool recording) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c(button_pos.x + 34.0f, button_pos.y + 36.0f);
    if (recording) dl->AddRectFilled(ImVec2(c.x - 11, c.y - 11), ImVec2(c.x + 11, c.y + 11), IM_COL32(255, 255, 255, 255), 2.0f);
    else dl->AddCircleFilled(c, 13.0f, IM_COL32(230, 60, 60, 255));
}

void level_meter(const ser::LiveReading& live, int capture_rate_hz) {
    const float db = live.level_rms_db;
    // -60 dBFS (the silence gate) .. 0 dBFS; red within 3 dB of full scale.
    const float frac = std::clamp((db - ser::kSilenceGateDbfs) / -ser::kSilenceGateDbfs, 0.0f, 1.0f);
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, db > -3.0f ? ImVec4(0.9f, 0.2f, 0.2f, 1) : ImVec4(0.3f, 0.8f, 0.4f, 1));
    ImGui::ProgressBar(frac, ImVec2(-1, 0), fmt("level %.0f dBFS", db).c_str());
    ImGui::PopStyleColor();
    ImGui::Text("%.1f s at %d Hz, %d updates", live.duration_s, capture_rate_hz, live.n_updates);
}

void drop_zone(App::Impl& m, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float h = 96.0f;
    ImGui::InvisibleButton("dropzone", ImVec2(width - 8.0f, h));
    const ImVec2 p1(p0.x + width - 8.0f, p0.y + h);
    dl->AddRect(p0, p1, ImGui::IsItemHovered() ? IM_COL32(200, 200, 240, 255) : IM_COL32(120, 120, 150, 255), 6.0f, 0, 2.0f);
    dl->AddText(ImVec2(p0.x + 12, p0.y + 14), IM_COL32(230, 230, 240, 255), "Drop an audio file here");
    dl->AddText(ImVec2(p0.x + 12, p0.y + 34), IM_COL32(170, 170, 190, 255), "(anywhere on the page)");
    dl->AddText(ImVec2(p0.x + 12, p0.y + 54), IM_COL32(170, 170, 190, 255), "WAV, FLAC, MP3, OGG; any rate;");
    dl->AddText(ImVec2(p0.x + 12, p0.y + 68), IM_COL32(170, 170, 190, 255),
                ("mono or stereo; up to " + fmt("%.0f", kAppMaxDurationS) + " s").c_str());
    if (ImGui::IsItemClicked()) m.platform.open_file_picker();
    if (ImGui::Button("Choose a file...", ImVec2(-1, 30))) m.platform.open_file_picker();
}

void live_result(const ser::LiveReading& live, const std::vector<std::string>& classes) {
    ImGui::TextUnformatted(live.calibrated ? "Live (last 3 s, smoothed, calibrated)" : "Live (last 3 s, smoothed)");
    const auto& p = live.probabilities;
    if (p.empty() || p.size() != classes.size()) {
        ImGui::TextDisabled(live.silent ? "silence..." : "listening...");
        return;
    }
    probability_bars(classes, p, int(std::max_element(p.begin(), p.end()) - p.begin()));
    if (live.silent) ImGui::TextDisabled("(silence: holding the last reading)");
}

void playback_row(App::Impl& m) {
    const ser::ClipAnalysis& c = m.analysis.clip();
    if (!m.playing) {
        if (ImGui::Button("Play", ImVec2(80, 0))) {
            const double from = m.cursor_s < c.duration_s - 0.05 ? m.cursor_s : 0.0;
            m.platform.play(c.samples_16k.data(), c.samples_16k.size(), ser::kTargetRateHz, from);
            m.playing = true;
        }
    } else if (ImGui::Button("Stop", ImVec2(80, 0))) {
        m.platform.stop_playback();
        m.playing = false;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("cursor %.2f s", m.cursor_s);
}

void export_buttons(App::Impl& m) {
    m.ui_rects.erase("export_features");
    m.ui_rects.erase("export_timeline");
    if (!m.has_result()) return;
    const ser::ClipAnalysis& c = m.analysis.clip();
    const ser::FeatureConfig& cfg = m.analysis.model()->config();
    if (ImGui::Button("Export features (CSV)"))
        m.platform.save_text(m.source + ".features.csv",
                             ser::features_csv(c.used.frames, cfg.hop_length, cfg.sample_rate_hz, c.used_start_s()));
    m.remember_rect("export_features");
    if (!c.timeline.empty() && m.analysis.stage() == ser::AnalysisStage::done) {
        if (ImGui::Button("Export timeline (CSV)"))
            m.platform.save_text(m.source + ".timeline.csv", ser::timeline_csv(c.result.classes, c.timeline));
        m.remember_rect("export_timeline");
    }
}

void clip_result(App::Impl& m) {
    const ser::ClipAnalysis& c = m.analysis.clip();
    ImGui::TextWrapped("%s", m.source.c_str());
    if (!c.format.empty() || c.duration_s > 0.0)
        ImGui::TextDisabled("%s%s%.2f s, %d Hz, %d ch", c.format.c_str(), c.format.empty() ? "" : ", ", c.duration_s,
                            c.source_rate_hz, c.source_channels);
    if (m.has_result()) {
        ImGui::Text("Result: ");
        ImGui::SameLine();
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(class_color(c.result.top)), "%s", c.result.label().c_str());
        if (const ModelEntry* rm = m.result_model())
            ImGui::TextDisabled("by %s, in %.1f ms, %s", rm->name.c_str(), c.classify_ms,
                                c.result.calibrated ? "calibrated to your voice" : "not calibrated");
        probability_bars(c.result.classes, c.result.probabilities, c.result.top);
        if (c.used.end > c.used.start)
            ImGui::TextDisabled("the model heard %.2f-%.2f s (the rest is shaded)", c.used_start_s(), c.used_end_s());
    }
    ImGui::Spacing();
    if (!c.samples_16k.empty()) playback_row(m);
    export_buttons(m);
}

// The emotion timeline: one line per class over the window centres, a tooltip for the nearest window.
// The clip's (ClipAnalysis::timeline) or the take's so far (LiveAnalyser::timeline).
void timeline_plot(const std::vector<std::string>& classes, const std::vector<ser::TimelinePoint>& timeline, double dur,
                   double& cursor_s, float h) {
    PlotArea pt = plot_frame("timeline", "Emotion timeline (3 s windows)", h, dur, cursor_s);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t k = 0; k < classes.size(); ++k) {
        std::vector<ImVec2> pts;
        for (const auto& p : timeline)
            if (k < p.probabilities.size())
                pts.emplace_back(pt.x_at(0.5 * (p.start_s + p.end_s), dur), pt.p1.y - p.probabilities[k] * pt.height());
        if (pts.size() == 1) dl->AddCircleFilled(pts[0], 3.0f, class_color(int(k)));
        else dl->AddPolyline(pts.data(), int(pts.size()), class_color(int(k)), 0, 2.0f);
    }
    y_label(pt, 0.0f, "0");
    y_label(pt, 1.0f, "1");
    draw_cursor(pt, cursor_s, dur);
    if (pt.hovered) {
        const ser::TimelinePoint* best = nullptr;
        double best_d = 1e30;
        for (const auto& p : timeline) {
            const double d = std::fabs(0.5 * (p.start_s + p.end_s) - pt.hover_s);
            if (d < best_d) best_d = d, best = &p;
        }
        if (best) {
            ImGui::BeginTooltip();
            ImGui::Text("%.1f - %.1f s", best->start_s, best->end_s);
            if (best->probabilities.empty()) ImGui::TextDisabled("silent");
            for (std::size_t k = 0; k < classes.size() && k < best->probabilities.size(); ++k)
                ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(class_color(int(k))), "%-10s %5.1f%%",
                                   classes[k].c_str(), best->probabilities[k] * 100.0f);
            ImGui::EndTooltip();
        }
    }
    float lx = pt.p0.x + 6.0f;
    for (std::size_t k = 0; k < classes.size(); ++k) {
        dl->AddRectFilled(ImVec2(lx, pt.p0.y + 5), ImVec2(lx + 10, pt.p0.y + 15), class_color(int(k)));
        dl->AddText(ImVec2(lx + 13, pt.p0.y + 3), IM_COL32(230, 230, 230, 255), classes[k].c_str());
        lx += 20.0f + ImGui::CalcTextSize(classes[k].c_str()).x;
    }
}

// A frame view: the heatmap over the span the model used, the rest of the clip shaded.
PlotArea frame_view(App::Impl& m, const char* id, const char* title, float h, Heatmap& tex) {
    const ser::ClipViews& v = m.views;
    PlotArea pa = plot_frame(id, title, h, v.duration_s, m.cursor_s);
    draw_heatmap(tex, pa, v.used_start_s, v.used_end_s, v.duration_s);
    shade_outside(pa, v.used_start_s, v.used_end_s, v.duration_s);
    return pa;
}

void frame_views(App::Impl& m, float h) {
    const ser::ClipViews& v = m.views;
    const double dur = v.duration_s;
    PlotArea p1 = frame_view(m, "spec", "Spectrogram (dB)", h, m.textures.spectrogram);
    for (int khz = 0; khz <= int(v.nyquist_hz / 1000.0); khz += 2)
        y_label(p1, float(khz * 1000.0 / v.nyquist_hz), std::to_string(khz) + " kHz");
    draw_cursor(p1, m.cursor_s, dur);

    PlotArea p2 = frame_view(m, "mel", "Mel spectrogram (dB)", h, m.textures.mel);
    for (double f : {500.0, 1000.0, 2000.0, 4000.0, 8000.0})
        if (f >= v.fmin_hz && f <= v.fmax_hz) y_label(p2, float(ser::mel_axis_fraction(f, v.fmin_hz, v.fmax_hz)), hz_label(f));
    draw_cursor(p2, m.cursor_s, dur);

    PlotArea p3 = frame_view(m, "mfcc", "MFCC", h, m.textures.mfcc);
    y_label(p3, 0.5f / float(v.n_mfcc), "0");
    y_label(p3, (float(v.n_mfcc) - 0.5f) / float(v.n_mfcc), std::to_string(v.n_mfcc - 1));
    draw_cursor(p3, m.cursor_s, dur);

    PlotArea p4 = frame_view(m, "chroma", "Chroma", h * 0.8f, m.textures.chroma);
    static const char* notes[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    for (int k = 0; k < v.n_chroma && k < 12; k += 2) y_label(p4, (float(k) + 0.5f) / float(v.n_chroma), notes[k]);
    draw_cursor(p4, m.cursor_s, dur);

    PlotArea p5 = plot_frame("zcr_rms", "RMS (blue), ZCR (orange)", h * 0.8f, dur, m.cursor_s);
    draw_curve(p5, v.rms, v.rms_max, kWaveColor, v.used_start_s, v.used_end_s, dur);
    draw_curve(p5, v.zcr, v.zcr_max, kZcrColor, v.used_start_s, v.used_end_s, dur);
    shade_outside(p5, v.used_start_s, v.used_end_s, dur);
    y_label(p5, 1.0f, fmt("%.3f", v.rms_max));
    y_label(p5, 0.0f, "0");
    draw_cursor(p5, m.cursor_s, dur);
    ImGui::TextDisabled("The views show what the model used: %.2f-%.2f s%s. RMS max %.4f, ZCR max %.3f.",
                        v.used_start_s, v.used_end_s,
                        v.used_gain_db != 0.0f ? fmt(", levelled by %+.1f dB", v.used_gain_db).c_str() : "",
                        v.rms_max, v.zcr_max);
}


void section(const char* title) {
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.4f, 1.0f), "%s", title);
}

// The confusion matrix as the card gives it: counts, each row shaded by its share of the true class.
void confusion_grid(const ser::ModelFigure& f) {
    const std::size_t n = f.confusion_classes.size();
    if (n == 0 || f.confusion.size() != n) return;
    ImGui::TextDisabled("Confusion (%s, pooled over folds): rows = true class, columns = predicted", f.protocol.c_str());
    const float cell = 92.0f, label_w = 90.0f;  // room for "138 (86%)"
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 o = ImGui::GetCursorScreenPos();
    for (std::size_t c = 0; c < n; ++c)
        dl->AddText(ImVec2(o.x + label_w + float(c) * cell + 4, o.y), IM_COL32(200, 200, 210, 255), f.confusion_classes[c].c_str());
    for (std::size_t r = 0; r < n; ++r) {
        int row_total = 0;
        for (int v : f.confusion[r]) row_total += v;
        const float y = o.y + 18.0f + float(r) * (cell * 0.5f);
        dl->AddText(ImVec2(o.x, y + 8), IM_COL32(200, 200, 210, 255), f.confusion_classes[r].c_str());
        for (std::size_t c = 0; c < n; ++c) {
            const float share = row_total > 0 ? float(f.confusion[r][c]) / float(row_total) : 0.0f;
            const ImVec2 p0(o.x + label_w + float(c) * cell, y), p1(p0.x + cell - 2, y + cell * 0.5f - 2);
            dl->AddRectFilled(p0, p1, r == c ? class_color(int(r), int(40 + 215 * share)) : IM_COL32(200, 80, 80, int(30 + 200 * share)));
            dl->AddText(ImVec2(p0.x + 6, p0.y + 8), IM_COL32(245, 245, 245, 255),
                        (std::to_string(f.confusion[r][c]) + fmt(" (%.0f%%)", share * 100.0)).c_str());
        }
    }
    ImGui::Dummy(ImVec2(label_w + float(n) * cell, 18.0f + float(n) * cell * 0.5f + 4));
}

void figure_rows(const ser::ModelFigure& f) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.protocol.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%.1f%%%s", f.accuracy * 100.0, f.accuracy_sd >= 0.0 ? fmt(" +- %.1f", f.accuracy_sd * 100.0).c_str() : "");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.uar >= 0.0 ? fmt("%.1f%%", f.uar * 100.0).c_str() : "-");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.macro_f1 >= 0.0 ? fmt("%.1f%%", f.macro_f1 * 100.0).c_str() : "-");
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", f.description.c_str());
    for (const auto& c : f.per_corpus) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("  %s (%d clips)", c.corpus.c_str(), c.n);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", c.accuracy >= 0.0 ? fmt("%.1f%%", c.accuracy * 100.0).c_str() : "-");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", c.uar >= 0.0 ? fmt("%.1f%%", c.uar * 100.0).c_str() : "-");
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", c.macro_f1 >= 0.0 ? fmt("%.1f%%", c.macro_f1 * 100.0).c_str() : "-");
        ImGui::TableNextColumn();
    }
}

// Speaker-independent and cross-corpus figures first (what a new voice meets), validation last.
std::vector<const ser::ModelFigure*> figures_in_reading_order(const ser::ModelCard& card) {
    std::vector<const ser::ModelFigure*> out;
    for (const char* key : {"speaker", "loco"})
        for (const auto& f : card.figures)
            if (f.protocol == key) out.push_back(&f);
    for (const auto& f : card.figures)
        if (f.protocol != "speaker" && f.protocol != "loco" && f.protocol != "validation") out.push_back(&f);
    for (const auto& f : card.figures)
        if (f.protocol == "validation") out.push_back(&f);
    return out;
}

void card_training_data(const ser::ModelCard& card) {
    section("Trained on");
    if (card.corpora.empty()) ImGui::TextDisabled("The model file does not say which corpora it saw.");
    for (const auto& c : card.corpora) {
        // Bullet + wrapped text: a licence with its citation is longer than the window is wide.
        ImGui::Bullet();
        ImGui::TextWrapped("%s: %d speakers, %d clips; licence: %s", c.name.c_str(), c.n_speakers, c.n_clips,
                           c.licence.empty() ? "not recorded in the model (see models/README.md)" : c.licence.c_str());
    }
    std::string per_class;
    for (const auto& kv : card.clips_per_class) per_class += (per_class.empty() ? "" : ", ") + kv.first + " " + std::to_string(kv.second);
    if (!per_class.empty()) ImGui::TextWrapped("Clips per class: %s", per_class.c_str());
    if (!card.training.empty()) ImGui::TextWrapped("Training: %s", card.training.c_str());
    if (!card.augmentation.empty()) ImGui::TextWrapped("Augmentation: %s", card.augmentation.c_str());
}

}  // namespace

void App::Impl::draw_header() {
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.4f, 1.0f), "ser");
    ImGui::SameLine();
    ImGui::TextUnformatted("speech emotion recognition, on your device");
    ImGui::SameLine(std::max(360.0f, ImGui::GetIO().DisplaySize.x - 560.0f));
    ImGui::TextUnformatted("Model");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(240.0f);
    const ModelEntry* me = model();
    if (ImGui::BeginCombo("##model", me ? me->name.c_str() : (models_done ? "(none)" : "loading..."))) {
        for (int i = 0; i < int(models.size()); ++i) model_menu_item(*this, i);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("About this model")) about_open = !about_open;
    remember_rect("about_button");
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", platform.name());
    me = model();
    if (me) {
        std::string cls;
        for (const auto& c : me->context->model().classes) cls += (cls.empty() ? "" : ", ") + c;
        ImGui::Text("Classes: %s", cls.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("| %s | %s", me->summary.c_str(),
                            me->accuracy.empty() ? "accuracy: not recorded in the model" : ("measured: " + me->accuracy).c_str());
    } else if (!models_done) {
        ImGui::TextDisabled("Loading models...");
    }
    ImGui::Separator();
}

void App::Impl::draw_input_panel(float width) {
    const bool recording = rec != Rec::Off;
    const bool can_record = ready() && !analysis.busy();
    ImGui::PushStyleColor(ImGuiCol_Button, recording ? ImVec4(0.75f, 0.15f, 0.15f, 1) : ImVec4(0.22f, 0.24f, 0.30f, 1));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, recording ? ImVec4(0.85f, 0.2f, 0.2f, 1) : ImVec4(0.30f, 0.33f, 0.42f, 1));
    if (!can_record && !recording) ImGui::BeginDisabled();
    const std::string idle_label = cal.collecting ? "Record " + calibration_take_name(*this) + "##rec" : "Record##rec";
    const char* label = rec == Rec::On ? "Stop##rec" : rec == Rec::Starting ? "Starting microphone...##rec" : idle_label.c_str();
    const ImVec2 bpos = ImGui::GetCursorScreenPos();
    if (ImGui::Button(label, ImVec2(-1.0f, 72.0f))) record_button_pressed();
    remember_rect("record_button");
    record_symbol(bpos, rec == Rec::On);
    if (!can_record && !recording) ImGui::EndDisabled();
    ImGui::PopStyleColor(2);
    if (rec == Rec::On && have_live) level_meter(live_view, capture_rate_hz);
    else ImGui::TextDisabled("The first click also starts the page's audio.");
    ImGui::Spacing();
    drop_zone(*this, width);
    ImGui::Spacing();
}

void App::Impl::draw_status() {
    if (analysis.busy()) {
        ImGui::Text("%s...", ser::analysis_stage_label(analysis.stage()));
        ImGui::ProgressBar(analysis.progress(), ImVec2(-1, 0));
    }
    if (!error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.35f, 0.08f, 0.08f, 1));
        ImGui::BeginChild("error", ImVec2(-1, 90), true);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImVec4(1, 0.8f, 0.8f, 1), "%s", error.c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton("Dismiss")) error.clear();
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }
    if (!notice.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", notice.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::Separator();
}

void App::Impl::draw_result_panel() {
    if (rec == Rec::On && rec_for_calibration) {
        ImGui::TextUnformatted("Read, in your everyday voice:");
        ImGui::TextWrapped("%s", calibration_prompt(*this).c_str());
        ImGui::TextDisabled("then press Stop.");
    } else if (rec == Rec::On && have_live) live_result(live_view, live_classes);
    else if (!source.empty()) clip_result(*this);
    else if (ready()) ImGui::TextWrapped("Record your voice or drop a file to see its emotion probabilities.");
}

void App::Impl::draw_live_views() {
    const double span_s = 6.0;
    const auto& take = take_samples();
    const ser::Envelope env = ser::recent_envelope(take.data(), take.size(), std::size_t(span_s * ser::kTargetRateHz), 800);
    double no_cursor = 0.0;
    PlotArea pw = plot_frame("live_wave", "Waveform (last 6 s)", 140.0f, 0.0, no_cursor, false);
    draw_envelope(pw, env, kWaveColor);
    draw_title(pw);
    ImGui::Spacing();
    PlotArea ps = plot_frame("live_spec", "Spectrogram (live, dBFS)", 260.0f, 0.0, no_cursor, false);
    draw_heatmap(live_spec, ps);
    draw_title(ps);
    const double nyquist_khz = 0.5 * ser::kTargetRateHz / 1000.0;
    for (int khz = 0; khz <= int(nyquist_khz); khz += 2) y_label(ps, float(khz / nyquist_khz), std::to_string(khz) + " kHz");
    if (!rec_for_calibration && !live_timeline.empty()) {
        double no_cursor_tl = 0.0;
        timeline_plot(live_classes, live_timeline, live_view.duration_s, no_cursor_tl, 150.0f);
    }
    ImGui::TextDisabled("Probabilities update every %.1f s from the last %.0f s of audio, smoothed over about 1 s.",
                        ser::kWindowHopS, ser::kWindowS);
}

void App::Impl::draw_clip_views() {
    const double dur = views.duration_s;
    const float h = std::max(90.0f, (ImGui::GetContentRegionAvail().y - 7 * 26.0f) / 7.5f);
    PlotArea pw = plot_frame("wave", "Waveform", h, dur, cursor_s);
    draw_envelope(pw, views.waveform, kWaveColor);
    if (views_ready) shade_outside(pw, views.used_start_s, views.used_end_s, dur);
    y_label(pw, 0.5f, "0");
    y_label(pw, 1.0f, "+1");
    y_label(pw, 0.0f, "-1");
    draw_cursor(pw, cursor_s, dur);
    const ser::ClipAnalysis& c = analysis.clip();
    if (has_result() && !c.timeline.empty()) timeline_plot(c.result.classes, c.timeline, dur, cursor_s, h);
    if (views_ready && views.has_frames()) frame_views(*this, h);
}

void App::Impl::draw_about() {
    const ModelEntry* me = model();
    if (!me) return;
    ImGui::SetNextWindowSize(ImVec2(720, 560), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("About this model", &about_open)) return ImGui::End();
    remember_rect("about_window");
    std::string cls;
    for (const auto& c : me->context->model().classes) cls += (cls.empty() ? "" : ", ") + c;
    ImGui::Text("%s: %s", me->name.c_str(), cls.c_str());
    ImGui::TextDisabled("%s", me->summary.c_str());
    card_training_data(me->card);
    section("Measured");
    const auto figures = figures_in_reading_order(me->card);
    if (figures.empty()) ImGui::TextDisabled("The model file records no figures.");
    if (!figures.empty() && ImGui::BeginTable("figures", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        for (const char* h : {"protocol", "accuracy", "UAR", "macro-F1", "how"}) ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (const auto* f : figures) figure_rows(*f);
        ImGui::EndTable();
    }
    for (const auto* f : figures)
        if (!f->confusion.empty()) {
            confusion_grid(*f);
            break;
        }
    ImGui::End();
}

void App::Impl::draw_placeholder() {
    ImGui::Dummy(ImVec2(0, 40));
    ImGui::TextDisabled("Waveform, spectrogram, mel spectrogram, MFCC, chroma, ZCR and RMS appear here");
    ImGui::TextDisabled("for a dropped or chosen file, and the live view while recording.");
    if (!ready()) {
        ImGui::Spacing();
        ImGui::Text(models_done ? "No usable model." : "Loading models...");
    }
}

}  // namespace ser_app
