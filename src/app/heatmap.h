// GPU heatmap: values in [0, 1] uploaded as a one-channel texture and coloured by the
// colormap fragment shader (shaders/heatmap.frag.glsl) into an RGBA texture that ImGui draws.
#pragma once
#include <cstdint>
#include <vector>

namespace ser_app {

enum class Colormap { Sequential = 0, Diverging = 1 };

// Compiles the heatmap shaders (GLSL ES 3.0 text). Call once with a current GL context;
// returns false (and logs) when the shaders do not compile.
bool heatmap_init(const char* vertex_source, const char* fragment_source);

// One heatmap. Either a whole image (set_image) or a ring buffer of columns (ring_reset +
// ring_push_column) whose oldest column is drawn at the left. Not copyable (owns GL objects).
class Heatmap {
public:
    Heatmap() = default;
    ~Heatmap();
    Heatmap(const Heatmap&) = delete;
    Heatmap& operator=(const Heatmap&) = delete;

    // values: width * height bytes, row 0 = lowest bin, values[y * width + x].
    void set_image(const std::vector<std::uint8_t>& values, int width, int height, Colormap map);
    void ring_reset(int width, int height, Colormap map);
    void ring_push_column(const std::uint8_t* column);  // height bytes
    void clear();
    bool empty() const { return width_ == 0; }
    int width() const { return width_; }
    int height() const { return height_; }
    // The coloured texture for ImGui::Image (renders first when the data changed).
    void* texture();

private:
    unsigned data_tex_ = 0, color_tex_ = 0, fbo_ = 0;
    int width_ = 0, height_ = 0, out_w_ = 0, out_h_ = 0;
    int head_ = 0, filled_ = 0;
    bool ring_ = false, dirty_ = false;
    Colormap map_ = Colormap::Sequential;
    void allocate(int width, int height);
};

}  // namespace ser_app
