#include "imgui_webgl.h"

#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace hcp::widget {

namespace {

// ImGui's "300 es" shaders, except that the atlas is one channel (alpha) and the projection is a
// scale and an offset (ImGui's panels are never rotated).
constexpr const char* kVertex = R"(#version 300 es
precision highp float;
in vec2 Position;
in vec2 UV;
in vec4 Color;
uniform vec4 Frame;  // xy: scale to clip space, zw: offset
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  gl_Position = vec4(Position * Frame.xy + Frame.zw, 0.0, 1.0);
}
)";

constexpr const char* kFragment = R"(#version 300 es
precision mediump float;
uniform sampler2D Texture;  // unit 0, the default: never set
in vec2 Frag_UV;
in vec4 Frag_Color;
layout (location = 0) out vec4 Out_Color;
void main() {
  Out_Color = vec4(Frag_Color.rgb, Frag_Color.a * texture(Texture, Frag_UV).r);
}
)";

enum : GLuint { kPosition = 0, kUV = 1, kColor = 2 };

struct State {
  GLuint program = 0, vertex = 0, fragment = 0;
  GLuint vao = 0, vbo = 0, ibo = 0, font = 0;
  GLint frame = -1;    // the uniform's location, known after the first frame's check
  bool checked = false, usable = false;
};
State s;

GLuint Shader(GLenum type, const char* source) {
  const GLuint sh = glCreateShader(type);
  glShaderSource(sh, 1, &source, nullptr);
  glCompileShader(sh);
  return sh;
}

void LogShader(GLuint sh, const char* what) {
  GLint ok = GL_FALSE;
  glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
  if (ok) return;
  char log[512] = "";
  glGetShaderInfoLog(sh, sizeof log, nullptr, log);
  std::fprintf(stderr, "hcp-widget: the %s shader does not compile: %s\n", what, log);
}

// The only question asked about the program, at the first frame: by then the compile and link
// have had the atlas and the layout's time to run.
bool Check() {
  s.checked = true;
  GLint linked = GL_FALSE;
  glGetProgramiv(s.program, GL_LINK_STATUS, &linked);
  if (!linked) {
    LogShader(s.vertex, "vertex");
    LogShader(s.fragment, "fragment");
    char log[512] = "";
    glGetProgramInfoLog(s.program, sizeof log, nullptr, log);
    std::fprintf(stderr, "hcp-widget: the drawing program does not link: %s\n", log);
  } else {
    s.frame = glGetUniformLocation(s.program, "Frame");
  }
  glDeleteShader(s.vertex);  // kept until now only for the log
  glDeleteShader(s.fragment);
  s.usable = linked == GL_TRUE;
  return s.usable;
}

}  // namespace

void WebGlStart() {
  s = State{};
  s.vertex = Shader(GL_VERTEX_SHADER, kVertex);
  s.fragment = Shader(GL_FRAGMENT_SHADER, kFragment);
  s.program = glCreateProgram();
  glAttachShader(s.program, s.vertex);
  glAttachShader(s.program, s.fragment);
  glBindAttribLocation(s.program, kPosition, "Position");
  glBindAttribLocation(s.program, kUV, "UV");
  glBindAttribLocation(s.program, kColor, "Color");
  glLinkProgram(s.program);

  // The vertex layout lives in the vertex array (with the index buffer); bound for good.
  glGenVertexArrays(1, &s.vao);
  glBindVertexArray(s.vao);
  glGenBuffers(1, &s.vbo);
  glGenBuffers(1, &s.ibo);
  glBindBuffer(GL_ARRAY_BUFFER, s.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, s.ibo);
  glEnableVertexAttribArray(kPosition);
  glEnableVertexAttribArray(kUV);
  glEnableVertexAttribArray(kColor);
  const auto at = [](size_t offset) { return reinterpret_cast<const void*>(offset); };
  glVertexAttribPointer(kPosition, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(kUV, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, col)));

  // ImGui's blending (alpha kept in the output); no depth, stencil or culling (WebGL's defaults).
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glClearColor(1, 1, 1, 1);
  glActiveTexture(GL_TEXTURE0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
}

void WebGlUploadFonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (!s.font) {
    glGenTextures(1, &s.font);
    glBindTexture(GL_TEXTURE_2D, s.font);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  } else {
    glBindTexture(GL_TEXTURE_2D, s.font);
  }
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.font)));
}

bool WebGlRender(const ImDrawData* d, int fb_w, int fb_h) {
  if (!s.checked) {
    if (!Check()) return false;
    glUseProgram(s.program);
  }
  if (!s.usable) return false;
  glViewport(0, 0, fb_w, fb_h);
  glDisable(GL_SCISSOR_TEST);  // a clear obeys the scissor: the whole buffer first
  glClear(GL_COLOR_BUFFER_BIT);
  if (fb_w <= 0 || fb_h <= 0 || d->DisplaySize.x <= 0 || d->DisplaySize.y <= 0) return true;
  glEnable(GL_SCISSOR_TEST);
  const ImVec2 pos = d->DisplayPos, size = d->DisplaySize, scale = d->FramebufferScale;
  glUniform4f(s.frame, 2 / size.x, -2 / size.y, -1 - 2 * pos.x / size.x, 1 + 2 * pos.y / size.y);
  GLuint bound = s.font;
  glBindTexture(GL_TEXTURE_2D, bound);
  for (int n = 0; n < d->CmdListsCount; ++n) {
    const ImDrawList* list = d->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, list->VtxBuffer.Size * static_cast<GLsizeiptr>(sizeof(ImDrawVert)),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, list->IdxBuffer.Size * static_cast<GLsizeiptr>(sizeof(ImDrawIdx)),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {  // the widget adds none; ImGui's reset request needs nothing here
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      // The clip rectangle in framebuffer pixels, y from the bottom.
      const float x0 = (cmd.ClipRect.x - pos.x) * scale.x, y0 = (cmd.ClipRect.y - pos.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - pos.x) * scale.x, y1 = (cmd.ClipRect.w - pos.y) * scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor(static_cast<int>(x0), static_cast<int>(fb_h - y1), static_cast<int>(x1 - x0), static_cast<int>(y1 - y0));
      const GLuint tex = static_cast<GLuint>(reinterpret_cast<intptr_t>(cmd.GetTexID()));
      if (tex != bound) glBindTexture(GL_TEXTURE_2D, bound = tex);
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(cmd.IdxOffset * sizeof(ImDrawIdx)));
    }
  }
  return true;
}

}  // namespace hcp::widget
