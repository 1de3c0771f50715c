// ImGui drawing primitives of the views: a plot frame with a time axis and cursor, heatmaps over a
// time span, curves, waveform envelopes and probability bars. Draw only: the values come from the core.
#pragma once
#include <string>
#include <vector>

#include "heatmap.h"
#include "imgui.h"
#include "ser/classify/views.h"

namespace ser_app {

// Class colours (up to 8 classes, then repeated): distinct hues, readable on a dark background.
ImU32 class_color(int index, int alpha = 255);

// A plot's data rectangle and what the mouse does over it.
struct PlotArea {
    ImVec2 p0, p1;
    const char* title = "";
    bool hovered = false;
    double hover_s = 0.0;
    float width() const { return p1.x - p0.x; }
    float height() const { return p1.y - p0.y; }
    // The x of a time on the axis 0..duration_s.
    float x_at(double t_s, double duration_s) const;
};

// Title, data rectangle and (with duration_s > 0 and time_axis) a time axis; a click moves cursor_s.
PlotArea plot_frame(const char* id, const char* title, float height, double duration_s, double& cursor_s,
                    bool time_axis = true);
void draw_title(const PlotArea& pa);
// The title and the cursor line.
void draw_cursor(const PlotArea& pa, double cursor_s, double duration_s);
// A tick and label at a height fraction (0 = bottom).
void y_label(const PlotArea& pa, float frac, const std::string& text);
// The heatmap between t0_s and t1_s of the axis 0..duration_s (the whole width when duration_s <= 0).
void draw_heatmap(Heatmap& h, const PlotArea& pa, double t0_s = 0.0, double t1_s = 0.0, double duration_s = 0.0);
// Shades what lies outside [t0_s, t1_s): the part of the clip the model did not use.
void shade_outside(const PlotArea& pa, double t0_s, double t1_s, double duration_s);
// values scaled by vmax (0 at the bottom), between t0_s and t1_s of the axis.
void draw_curve(const PlotArea& pa, const std::vector<float>& values, float vmax, ImU32 color, double t0_s,
                double t1_s, double duration_s);
// A min/max envelope in [-1, 1] over the full width.
void draw_envelope(const PlotArea& pa, const ser::Envelope& e, ImU32 color);
void probability_bars(const std::vector<std::string>& classes, const std::vector<float>& p, int top);

}  // namespace ser_app
