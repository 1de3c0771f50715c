// The shared SDL2 + GLES 3.0 + ImGui set-up and frame body (see gfx.h).
#include "gfx.h"

#include <GLES3/gl3.h>

#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"

namespace ser_app {

namespace {

bool fail(std::string* error, const std::string& what) {
    if (error) *error = "app: " + what + ": " + SDL_GetError();
    return false;
}

}  // namespace

bool gfx_open(const GfxOptions& o, Gfx& gfx, std::string* error) {
    if (SDL_Init(o.sdl_init_flags) != 0) return fail(error, "SDL_Init failed");
    // WebGL2 = OpenGL ES 3.0: the heatmap shaders are GLSL ES 3.00.
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, 0);
    gfx.window = SDL_CreateWindow(o.title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, o.width, o.height,
                                  o.window_flags);
    if (!gfx.window) return fail(error, "SDL_CreateWindow failed");
    gfx.gl = SDL_GL_CreateContext(gfx.window);
    if (!gfx.gl) return fail(error, "no OpenGL ES 3.0 / WebGL2 context");
    SDL_GL_MakeCurrent(gfx.window, gfx.gl);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::StyleColorsDark();
    ImGui::GetStyle().FrameRounding = 4.0f;
    ImGui_ImplSDL2_InitForOpenGL(gfx.window, gfx.gl);
    ImGui_ImplOpenGL3_Init("#version 300 es");
    return true;
}

void gfx_event(const SDL_Event& event) { ImGui_ImplSDL2_ProcessEvent(&event); }

void gfx_frame(Gfx& gfx, App& app) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    app.frame();
    ImGui::Render();
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(gfx.window, &w, &h);
    glViewport(0, 0, w, h);
    glClearColor(0.06f, 0.06f, 0.08f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void gfx_close(Gfx& gfx) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    if (gfx.gl) SDL_GL_DeleteContext(gfx.gl);
    if (gfx.window) SDL_DestroyWindow(gfx.window);
    SDL_Quit();
    gfx = Gfx{};
}

}  // namespace ser_app
