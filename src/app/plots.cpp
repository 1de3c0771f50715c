// The view primitives (see plots.h).
#include "plots.h"

#include <algorithm>
#include <cstdio>

namespace ser_app {

namespace {

constexpr float kAxisLeft = 58.0f;     // room for value labels
constexpr float kAxisBottom = 16.0f;   // room for time labels
const ImU32 kAxisColor = IM_COL32(160, 160, 170, 255);

double nice_step(double range, int max_ticks) {
    const double steps[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120};
    for (double s : steps)
        if (range / s <= max_ticks) return s;
    return range / max_ticks;
}

void time_axis_ticks(const PlotArea& pa, double duration_s) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const double step = nice_step(duration_s, std::max(2, int(pa.width() / 70.0f)));
    for (double t = 0.0; t <= duration_s + 1e-9; t += step) {
        const float x = pa.x_at(t, duration_s);
        dl->AddLine(ImVec2(x, pa.p1.y), ImVec2(x, pa.p1.y + 4), kAxisColor);
        char buf[32];
        std::snprintf(buf, sizeof buf, step < 1.0 ? "%.1f s" : "%.0f s", t);
        dl->AddText(ImVec2(x + 2, pa.p1.y + 1), kAxisColor, buf);
    }
}

}  // namespace

ImU32 class_color(int index, int alpha) {
    static const int rgb[8][3] = {{230, 80, 70},  {80, 170, 240}, {250, 200, 60},  {120, 200, 110},
                                  {190, 120, 230}, {240, 140, 40}, {90, 210, 200}, {220, 220, 220}};
    const int* c = rgb[index % 8];
    return IM_COL32(c[0], c[1], c[2], alpha);
}

float PlotArea::x_at(double t_s, double duration_s) const {
    if (duration_s <= 0.0) return p0.x;
    return p0.x + float(std::clamp(t_s / duration_s, 0.0, 1.0)) * width();
}

PlotArea plot_frame(const char* id, const char* title, float height, double duration_s, double& cursor_s,
                    bool time_axis) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, ImVec2(width, height + (time_axis ? kAxisBottom : 2.0f)));
    PlotArea pa;
    pa.p0 = ImVec2(origin.x + kAxisLeft, origin.y);
    pa.p1 = ImVec2(origin.x + width - 4.0f, origin.y + height);
    pa.title = title;
    ImGui::GetWindowDrawList()->AddRectFilled(pa.p0, pa.p1, IM_COL32(12, 12, 18, 255));
    if (time_axis && duration_s > 0.0) time_axis_ticks(pa, duration_s);
    if (ImGui::IsItemHovered() && duration_s > 0.0) {
        const float mx = ImGui::GetIO().MousePos.x;
        if (mx >= pa.p0.x && mx <= pa.p1.x) {
            pa.hovered = true;
            pa.hover_s = double(mx - pa.p0.x) / pa.width() * duration_s;
            if (ImGui::IsMouseDown(0)) cursor_s = pa.hover_s;
        }
    }
    return pa;
}

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
    const float x = pa.x_at(cursor_s, duration_s);
    ImGui::GetWindowDrawList()->AddLine(ImVec2(x, pa.p0.y), ImVec2(x, pa.p1.y), IM_COL32(255, 255, 255, 200), 1.5f);
}

void y_label(const PlotArea& pa, float frac, const std::string& text) {
    const float y = pa.p1.y - frac * pa.height();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(pa.p0.x - 4, y), ImVec2(pa.p0.x, y), kAxisColor);
    const ImVec2 sz = ImGui::CalcTextSize(text.c_str());
    dl->AddText(ImVec2(pa.p0.x - 6 - sz.x, y - sz.y * 0.5f), kAxisColor, text.c_str());
}

void draw_heatmap(Heatmap& h, const PlotArea& pa, double t0_s, double t1_s, double duration_s) {
    void* tex = h.texture();
    if (!tex) return;
    const float x0 = duration_s > 0.0 ? pa.x_at(t0_s, duration_s) : pa.p0.x;
    const float x1 = duration_s > 0.0 ? pa.x_at(t1_s, duration_s) : pa.p1.x;
    // Texture row 0 is the lowest bin: flip v so that it is drawn at the bottom.
    ImGui::GetWindowDrawList()->AddImage(tex, ImVec2(x0, pa.p0.y), ImVec2(x1, pa.p1.y), ImVec2(0, 1), ImVec2(1, 0));
}

void shade_outside(const PlotArea& pa, double t0_s, double t1_s, double duration_s) {
    if (duration_s <= 0.0 || t1_s <= t0_s) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 shade = IM_COL32(0, 0, 0, 150);
    const float x0 = pa.x_at(t0_s, duration_s), x1 = pa.x_at(t1_s, duration_s);
    if (x0 > pa.p0.x) dl->AddRectFilled(pa.p0, ImVec2(x0, pa.p1.y), shade);
    if (x1 < pa.p1.x) dl->AddRectFilled(ImVec2(x1, pa.p0.y), pa.p1, shade);
}

void draw_curve(const PlotArea& pa, const std::vector<float>& values, float vmax, ImU32 color, double t0_s,
                double t1_s, double duration_s) {
    if (values.empty() || vmax <= 0.0f) return;
    const float x0 = pa.x_at(t0_s, duration_s), x1 = pa.x_at(t1_s, duration_s);
    const std::vector<float> v = ser::pool_max(values.data(), values.size(), std::size_t(std::max(1.0f, x1 - x0)));
    std::vector<ImVec2> pts(v.size());
    const float step = v.size() > 1 ? (x1 - x0) / float(v.size() - 1) : 0.0f;
    for (std::size_t i = 0; i < v.size(); ++i)
        pts[i] = ImVec2(x0 + float(i) * step, pa.p1.y - std::min(v[i] / vmax, 1.0f) * pa.height());
    ImGui::GetWindowDrawList()->AddPolyline(pts.data(), int(pts.size()), color, 0, 1.5f);
}

void draw_envelope(const PlotArea& pa, const ser::Envelope& e, ImU32 color) {
    if (e.size() == 0) return;
    const ser::Envelope px = ser::pool_envelope(e, std::size_t(std::max(1.0f, pa.width())));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float mid = 0.5f * (pa.p0.y + pa.p1.y), half = 0.5f * pa.height();
    const float dx = pa.width() / float(px.size());
    for (std::size_t x = 0; x < px.size(); ++x) {
        const float xx = pa.p0.x + (float(x) + 0.5f) * dx;
        dl->AddLine(ImVec2(xx, mid - std::clamp(px.hi[x], -1.0f, 1.0f) * half),
                    ImVec2(xx, mid - std::clamp(px.lo[x], -1.0f, 1.0f) * half + 1.0f), color);
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

}  // namespace ser_app
