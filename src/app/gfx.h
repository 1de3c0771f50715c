// The SDL2 window, the OpenGL ES 3.0 (WebGL2) context and Dear ImGui's set-up, and the body of one
// frame: shared by platform_web.cpp and platform_native.cpp, which keep only what differs (as ImGui's examples do).
#pragma once
#include <SDL.h>

#include <string>

#include "app.h"

namespace ser_app {

struct GfxOptions {
    const char* title = "ser";
    int width = 1280;
    int height = 800;
    Uint32 sdl_init_flags = SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS;
    Uint32 window_flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE;
};

struct Gfx {
    SDL_Window* window = nullptr;
    SDL_GLContext gl = nullptr;
};

// SDL, a window with a GLES 3.0 context (no depth, stencil or multisampling: ImGui draws in 2D),
// ImGui with the dark style and no .ini file. false with *error set when any step fails.
bool gfx_open(const GfxOptions& options, Gfx& gfx, std::string* error);
// Hands one event to ImGui.
void gfx_event(const SDL_Event& event);
// One frame: ImGui frame, app.frame(), render into the drawable (the caller swaps when it must).
void gfx_frame(Gfx& gfx, App& app);
// ImGui, the context, the window and SDL, in reverse order (after the App, which owns textures).
void gfx_close(Gfx& gfx);

}  // namespace ser_app
