#version 300 es
// Full-target quad for the heatmap pass: two triangles from gl_VertexID, no vertex buffer.
// uv.x runs over time (left to right), uv.y over frequency/coefficient (bottom to top).
out vec2 v_uv;
void main() {
    vec2 corners[6] = vec2[6](vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
                              vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0));
    v_uv = corners[gl_VertexID];
    gl_Position = vec4(v_uv * 2.0 - 1.0, 0.0, 1.0);
}
