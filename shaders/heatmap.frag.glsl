#version 300 es
// Heatmap colouring: one value in [0, 1] per texel (R8 texture: time along x, bins along y)
// mapped through a colormap. u_offset turns the texture into a ring buffer: the live
// spectrogram writes one column at a time at the head and draws from the oldest column.
precision highp float;
in vec2 v_uv;
out vec4 frag_color;
uniform sampler2D u_values;
uniform float u_offset;    // ring-buffer start, in texture widths (0 for a plain image)
uniform float u_fill;      // fraction of the width holding data (a ring that is not full yet)
uniform int u_colormap;    // 0 sequential (dark -> bright), 1 diverging (blue - white - red)

// Piecewise-linear ramp through five key colours, dark purple to pale yellow, chosen to rise
// monotonically in lightness so that louder always reads brighter.
vec3 sequential(float t) {
    const vec3 c0 = vec3(0.015, 0.010, 0.060);
    const vec3 c1 = vec3(0.280, 0.060, 0.450);
    const vec3 c2 = vec3(0.720, 0.190, 0.380);
    const vec3 c3 = vec3(0.980, 0.540, 0.120);
    const vec3 c4 = vec3(0.990, 0.960, 0.620);
    float s = clamp(t, 0.0, 1.0) * 4.0;
    if (s < 1.0) return mix(c0, c1, s);
    if (s < 2.0) return mix(c1, c2, s - 1.0);
    if (s < 3.0) return mix(c2, c3, s - 2.0);
    return mix(c3, c4, s - 3.0);
}

// Diverging map for signed quantities (MFCC): 0.5 is zero.
vec3 diverging(float t) {
    const vec3 lo = vec3(0.150, 0.300, 0.750);
    const vec3 mid = vec3(0.950, 0.950, 0.950);
    const vec3 hi = vec3(0.780, 0.150, 0.150);
    float s = clamp(t, 0.0, 1.0);
    return s < 0.5 ? mix(lo, mid, s * 2.0) : mix(mid, hi, (s - 0.5) * 2.0);
}

void main() {
    if (v_uv.x > u_fill) {
        frag_color = vec4(0.0, 0.0, 0.0, 1.0);
        return;
    }
    float u = fract(v_uv.x + u_offset);
    float value = texture(u_values, vec2(u, v_uv.y)).r;
    vec3 rgb = u_colormap == 1 ? diverging(value) : sequential(value);
    frag_color = vec4(rgb, 1.0);
}
