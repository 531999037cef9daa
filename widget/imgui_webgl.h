#pragma once
// The web build's renderer for Dear ImGui's draw lists, on WebGL2 (platform_web.cpp). It replaces
// ImGui 1.86's OpenGL3 backend in the browser only (the kiosk keeps ImGui's backend) so that the
// first frame waits less on SwiftShader, Chromium's software WebGL without
// KHR_parallel_shader_compile (docs/performance.md, "Widget"):
//   - the shaders' compile and link are issued by WebGlStart, right after the context exists, and
//     nothing about them is asked until the first frame: the GPU process compiles while the page
//     bakes the atlas and lays the panel out (ImGui's backend compiles, then waits for the status,
//     links, waits again, all inside the first frame);
//   - attribute locations are bound before the link, not looked up;
//   - the widget owns its context, so the state is set once, never read back and restored (ImGui's
//     backend does ~20 glGet calls every frame, each a round trip to the GPU process);
//   - the font atlas is uploaded as one byte per pixel (R8), not RGBA.
#include "imgui.h"

namespace hcp::widget {

// Issues the program's compile and link and sets the fixed state (blending, scissor, the vertex
// layout) on the current context. Asks the GPU process nothing.
void WebGlStart();

// Uploads ImGui's font atlas (built) as the font texture and hands its id to ImGui.
void WebGlUploadFonts();

// Clears to white and draws `draw_data` on a framebuffer of fb_w × fb_h pixels. The first call
// checks the link (the only wait on the compile); false if the program cannot draw (then it logs
// why once and draws nothing).
bool WebGlRender(const ImDrawData* draw_data, int fb_w, int fb_h);

}  // namespace hcp::widget
