// GPU heatmaps (see heatmap.h): R8 value texture -> colormap shader -> RGBA texture via an FBO.
// Platform layer: the only app file besides platform_*.cpp that touches OpenGL ES 3 / WebGL2.
#include "heatmap.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdio>

namespace ser_app {

namespace {

GLuint g_program = 0;
GLuint g_vao = 0;
GLint g_loc_values = -1, g_loc_offset = -1, g_loc_fill = -1, g_loc_colormap = -1;
GLint g_max_texture = 4096;

GLuint compile(GLenum type, const char* source) {
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &source, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024];
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        std::fprintf(stderr, "heatmap: shader does not compile: %s\n", log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

}  // namespace

bool heatmap_init(const char* vertex_source, const char* fragment_source) {
    GLuint vs = compile(GL_VERTEX_SHADER, vertex_source);
    GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_source);
    if (!vs || !fs) return false;
    g_program = glCreateProgram();
    glAttachShader(g_program, vs);
    glAttachShader(g_program, fs);
    glLinkProgram(g_program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(g_program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024];
        glGetProgramInfoLog(g_program, sizeof log, nullptr, log);
        std::fprintf(stderr, "heatmap: shaders do not link: %s\n", log);
        return false;
    }
    g_loc_values = glGetUniformLocation(g_program, "u_values");
    g_loc_offset = glGetUniformLocation(g_program, "u_offset");
    g_loc_fill = glGetUniformLocation(g_program, "u_fill");
    g_loc_colormap = glGetUniformLocation(g_program, "u_colormap");
    glGenVertexArrays(1, &g_vao);
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &g_max_texture);
    return true;
}

Heatmap::~Heatmap() { clear(); }

void Heatmap::clear() {
    if (data_tex_) glDeleteTextures(1, &data_tex_);
    if (color_tex_) glDeleteTextures(1, &color_tex_);
    if (fbo_) glDeleteFramebuffers(1, &fbo_);
    data_tex_ = color_tex_ = fbo_ = 0;
    width_ = height_ = out_w_ = out_h_ = head_ = filled_ = 0;
    ring_ = dirty_ = false;
}

void Heatmap::allocate(int width, int height) {
    if (width != width_ || height != height_ || !data_tex_) {
        clear();
        width_ = width;
        height_ = height;
        glGenTextures(1, &data_tex_);
        glBindTexture(GL_TEXTURE_2D, data_tex_);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        // The coloured copy: at most 2048 x 512 texels, enough for any panel on screen.
        out_w_ = std::min({width, 2048, int(g_max_texture)});
        out_h_ = std::min({height, 512, int(g_max_texture)});
        glGenTextures(1, &color_tex_);
        glBindTexture(GL_TEXTURE_2D, color_tex_);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, out_w_, out_h_, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glGenFramebuffers(1, &fbo_);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_tex_, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }
}

void Heatmap::set_image(const std::vector<std::uint8_t>& values, int width, int height, Colormap map) {
    if (width <= 0 || height <= 0 || values.size() < std::size_t(width) * height) {
        clear();
        return;
    }
    // Wider than the GPU allows: keep every k-th column (the caller already pools to <= 2048).
    width = std::min(width, int(g_max_texture));
    allocate(width, height);
    glBindTexture(GL_TEXTURE_2D, data_tex_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RED, GL_UNSIGNED_BYTE, values.data());
    ring_ = false;
    map_ = map;
    dirty_ = true;
}

void Heatmap::ring_reset(int width, int height, Colormap map) {
    allocate(width, height);
    std::vector<std::uint8_t> zeros(std::size_t(width) * height, 0);
    glBindTexture(GL_TEXTURE_2D, data_tex_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RED, GL_UNSIGNED_BYTE, zeros.data());
    ring_ = true;
    head_ = filled_ = 0;
    map_ = map;
    dirty_ = true;
}

void Heatmap::ring_push_column(const std::uint8_t* column) {
    if (!ring_ || !data_tex_) return;
    glBindTexture(GL_TEXTURE_2D, data_tex_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexSubImage2D(GL_TEXTURE_2D, 0, head_, 0, 1, height_, GL_RED, GL_UNSIGNED_BYTE, column);
    head_ = (head_ + 1) % width_;
    filled_ = std::min(filled_ + 1, width_);
    dirty_ = true;
}

void* Heatmap::texture() {
    if (!color_tex_) return nullptr;
    if (dirty_ && g_program) {
        GLint last_fbo = 0;
        glGetIntegerv(GL_FRAMEBUFFER_BINDING, &last_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
        glViewport(0, 0, out_w_, out_h_);
        glDisable(GL_BLEND);
        glDisable(GL_SCISSOR_TEST);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_CULL_FACE);
        glUseProgram(g_program);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, data_tex_);
        glUniform1i(g_loc_values, 0);
        // A full ring starts at its oldest column (the head); a filling one at column 0.
        const float offset = ring_ && filled_ == width_ ? float(head_) / float(width_) : 0.0f;
        glUniform1f(g_loc_offset, offset);
        glUniform1f(g_loc_fill, 1.0f);
        glUniform1i(g_loc_colormap, int(map_));
        glBindVertexArray(g_vao);
        glDrawArrays(GL_TRIANGLES, 0, 6);
        glBindVertexArray(0);
        glBindFramebuffer(GL_FRAMEBUFFER, GLuint(last_fbo));
        dirty_ = false;
    }
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(color_tex_));
}

}  // namespace ser_app
