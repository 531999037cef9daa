// The browser platform layer: one module instance per widget, bound to that widget's own canvas
// through html5.h. Emscripten 3.1.6's GLFW listens on `window` (swallowing Backspace and Tab for
// the whole host page, and feeding every instance every key), ignores IME and touch and has no
// HiDPI; so no GLFW here: pointer events of our canvas only, keys never (typed text lives in a DOM
// <textarea> owned by hcp-widget.js), frames only when something changed.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <deque>
#include <string>

#include "imgui.h"
#include "imgui_webgl.h"
#include "widget_model.h"
#include "widget_ui.h"

using namespace hcp;
using namespace hcp::widget;

namespace {

// Dear ImGui 1.86 reads mouse state once per frame: a tap (down and up between two frames) would be
// lost. Events are queued and applied one button change per frame.
struct PointerEvent {
  float x, y;
  int down;  // -1 move only, 0 up, 1 down
};

struct Instance {
  std::string selector;  // "#hcpw-canvas-3"
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  WidgetModel model;
  UiFonts fonts;
  UiOptions options;
  std::string font;      // font bytes (the atlas points into them)
  std::string baked;     // the characters in the font atlas (UTF-8; widget_glyphs.h)
  ImFontGlyphRangesBuilder baked_set;
  bool title = false;    // the atlas has the title size too (NeedsTitleFont: an outcome screen)
  bool painted = false;  // a frame showed the whole panel (the canvas has the panel's height)
  float css_w = 360, css_h = 600, dpr = 1;
  bool visible = true;
  bool frame_pending = false;
  int settle = 0;        // frames still to draw after a change (hover, press states)
  std::deque<PointerEvent> queue;
  // Touch: a drag scrolls the page, so it must not press what it started on.
  int touch_id = -1;
  float touch_x0 = 0, touch_y0 = 0;
  bool touch_dragged = false;
  double last_time = 0;
  long frames = 0;
  std::string last_state;
  ImVec4 last_slot{-1, -1, -1, -1};
  float last_height = -1;
  std::string out;       // storage for strings returned to JS
  std::vector<std::pair<std::string, ImVec4>> targets;  // last frame's controls
};

Instance* g = nullptr;

// Milestones for bench/widget_size (performance.mark, like the loader's own).
void Mark(const char* name) {
  EM_ASM({ if (self.performance && performance.mark) performance.mark(UTF8ToString($0)); }, name);
}

void RequestFrame();

// The canvas can no longer draw: its WebGL2 context was lost (a phone reclaiming GPU memory, a
// driver reset) or the drawing program did not link. Nothing is drawn from now on, and the page
// shows the accessible form as the widget on the same model (the loader's hcpOnCanvasLost), so
// what the citizen chose or typed stays. A blank canvas would leave them with nothing to rate.
void CanvasLost(const char* why) {
  if (!g || g->gl <= 0) return;
  g->gl = 0;
  EM_ASM({ Module.hcpOnCanvasLost && Module.hcpOnCanvasLost(UTF8ToString($0)); }, why);
}

EM_BOOL OnContextLost(int, const void*, void*) {
  CanvasLost("the WebGL2 context was lost");
  return EM_FALSE;
}

// The font atlas holds what the present state draws (GlyphsShown), not every character the panel
// may ever draw (~530 characters at two sizes, rasterised on the CPU before the first frame: ~0.1 s
// on this 2-core machine under load, docs/performance.md), and the title size only once a screen
// uses it (the outcome, after submitting). A state that draws characters or a size the atlas lacks
// (a level's reasons, a message, the other language, the outcome) bakes it again with them added.
void BakeFont(Instance& w) {
  w.title = w.title || NeedsTitleFont(w.model, w.options.draw_header);
  w.fonts = LoadFonts(w.font.data(), static_cast<int>(w.font.size()), w.dpr, w.baked, 0, w.title);
  WebGlUploadFonts();
}

// Adds what the present state shows to `baked`; true if the atlas lacks any of it.
bool GrowGlyphs(Instance& w) {
  const std::string shown = GlyphsShown(w.model, w.options.draw_header);
  ImFontGlyphRangesBuilder now;
  now.AddText(shown.c_str());
  bool grew = false;
  for (int i = 0; i < now.UsedChars.Size && !grew; ++i) grew = (now.UsedChars[i] & ~w.baked_set.UsedChars[i]) != 0;
  if (!grew) return false;
  w.baked_set.AddText(shown.c_str());
  w.baked += shown;
  return true;
}

bool AtlasLacks(Instance& w) {
  const bool grew = GrowGlyphs(w);
  return grew || (!w.title && NeedsTitleFont(w.model, w.options.draw_header));
}

EM_BOOL OnFrame(double time, void*) {
  Instance& w = *g;
  w.frame_pending = false;
  if (!w.visible || w.gl <= 0) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  io.DeltaTime = w.last_time > 0 ? std::max(0.001f, static_cast<float>((time - w.last_time) / 1000.0)) : 1.0f / 60;
  w.last_time = time;
  // Apply queued pointer events up to and including one button change.
  while (!w.queue.empty()) {
    PointerEvent e = w.queue.front();
    w.queue.pop_front();
    io.MousePos = ImVec2(e.x, e.y);
    if (e.down >= 0 && (e.down == 1) != io.MouseDown[0]) {
      io.MouseDown[0] = e.down == 1;
      break;
    }
  }
  io.DisplaySize = ImVec2(w.css_w, w.css_h);
  io.DisplayFramebufferScale = ImVec2(w.dpr, w.dpr);
  if (AtlasLacks(w)) BakeFont(w);
  ImGui::NewFrame();
  UiResult r = DrawWidget(w.model, w.options, w.fonts);
  ImGui::Render();
  // A press in this frame made it draw characters (a level's reasons) or a size the atlas lacks: it
  // is not shown (it has boxes where they go); the atlas grows and the next frame draws them.
  const bool stale = AtlasLacks(w);
  if (stale) {
    BakeFont(w);
  } else {
    emscripten_webgl_make_context_current(w.gl);
    if (!WebGlRender(ImGui::GetDrawData(), static_cast<int>(std::lround(w.css_w * w.dpr)),
                     static_cast<int>(std::lround(w.css_h * w.dpr)))) {
      CanvasLost("the WebGL2 drawing program does not link");
      return EM_FALSE;
    }
    ++w.frames;
    if (w.frames == 1) Mark("hcp-widget-frame");
  }
  // Drawn at the panel's own height (before the layout callback below may resize the canvas).
  const bool whole = !stale && std::fabs(w.css_h - std::ceil(r.content_height)) < 1;

  w.targets = std::move(r.targets);
  if (r.submit) {
    EM_ASM({ Module.hcpOnSubmit && Module.hcpOnSubmit(); });
  }
  const std::string state = w.model.StateJson();
  if (state != w.last_state) {
    w.last_state = state;
    EM_ASM({ Module.hcpOnState && Module.hcpOnState(UTF8ToString($0)); }, state.c_str());
  }
  const ImVec4 s = r.comment_slot;
  const float h = std::ceil(r.content_height);
  if (s.x != w.last_slot.x || s.y != w.last_slot.y || s.z != w.last_slot.z || s.w != w.last_slot.w ||
      h != w.last_height) {
    w.last_slot = s;
    w.last_height = h;
    EM_ASM({ Module.hcpOnLayout && Module.hcpOnLayout($0, $1, $2, $3, $4); }, s.x, s.y, s.z, s.w, h);
  }
  if (!w.painted && whole) {
    w.painted = true;
    Mark("hcp-widget-painted");
  }
  if (r.changed) w.settle = 3;
  if (!w.queue.empty() || w.settle > 0 || stale) {
    if (w.settle > 0) --w.settle;
    RequestFrame();
  }
  return EM_FALSE;
}

void RequestFrame() {
  if (!g || g->gl <= 0 || g->frame_pending || !g->visible) return;  // no canvas: nothing to draw
  g->frame_pending = true;
  emscripten_request_animation_frame(OnFrame, nullptr);
}

void Changed() {
  if (!g) return;
  g->settle = 3;
  RequestFrame();
}

void Push(float x, float y, int down) {
  g->queue.push_back({x, y, down});
  g->settle = 3;
  RequestFrame();
}

EM_BOOL OnMouse(int type, const EmscriptenMouseEvent* e, void*) {
  const float x = static_cast<float>(e->targetX), y = static_cast<float>(e->targetY);
  switch (type) {
    case EMSCRIPTEN_EVENT_MOUSEDOWN:
      if (e->button != 0) return EM_FALSE;
      Push(x, y, -1);
      Push(x, y, 1);
      return EM_FALSE;  // keep the browser's own focus handling of the page
    case EMSCRIPTEN_EVENT_MOUSEUP:
      if (e->button != 0) return EM_FALSE;
      Push(x, y, 0);
      return EM_FALSE;
    case EMSCRIPTEN_EVENT_MOUSEMOVE: Push(x, y, -1); return EM_FALSE;
    case EMSCRIPTEN_EVENT_MOUSELEAVE: Push(-FLT_MAX, -FLT_MAX, 0); return EM_FALSE;  // a press that leaves is no click
  }
  return EM_FALSE;
}

EM_BOOL OnTouch(int type, const EmscriptenTouchEvent* e, void*) {
  Instance& w = *g;
  const EmscriptenTouchPoint* t = nullptr;
  for (int i = 0; i < e->numTouches; ++i)
    if (e->touches[i].isChanged && (w.touch_id < 0 || e->touches[i].identifier == w.touch_id)) t = &e->touches[i];
  if (!t) return EM_FALSE;
  const float x = static_cast<float>(t->targetX), y = static_cast<float>(t->targetY);
  switch (type) {
    case EMSCRIPTEN_EVENT_TOUCHSTART:
      if (w.touch_id >= 0) return EM_FALSE;
      w.touch_id = t->identifier;
      w.touch_x0 = x, w.touch_y0 = y;
      w.touch_dragged = false;
      Push(x, y, -1);
      Push(x, y, 1);
      return EM_FALSE;  // never block the page's scrolling
    case EMSCRIPTEN_EVENT_TOUCHMOVE:
      if (std::hypot(x - w.touch_x0, y - w.touch_y0) > 10) w.touch_dragged = true;
      return EM_FALSE;
    case EMSCRIPTEN_EVENT_TOUCHEND:
    case EMSCRIPTEN_EVENT_TOUCHCANCEL:
      w.touch_id = -1;
      if (w.touch_dragged || type == EMSCRIPTEN_EVENT_TOUCHCANCEL) {
        Push(-FLT_MAX, -FLT_MAX, -1);  // released away from every target: no click
        Push(-FLT_MAX, -FLT_MAX, 0);
      } else {
        Push(x, y, 0);
        Push(-FLT_MAX, -FLT_MAX, -1);  // a finger leaves no hover behind
      }
      // A tap was handled here: suppress the mouse events the browser would emulate after it,
      // which would press the same target twice. (A drag was a scroll: nothing to suppress.)
      return w.touch_dragged ? EM_FALSE : EM_TRUE;
  }
  return EM_FALSE;
}

const char* Out(std::string s) {
  g->out = std::move(s);
  return g->out.c_str();
}

}  // namespace

extern "C" {

// Creates the widget's model from the form (GET /api/v1/form). Returns "" or the error JSON (core
// ids). Without a canvas the model still validates: the accessible form alone then is the widget.
EMSCRIPTEN_KEEPALIVE const char* hcpw_create(const char* form_json, int lang_en) {
  auto model = WidgetModel::FromFormJson(form_json, lang_en ? Lang::En : Lang::Zh);
  static std::string err;
  if (!model) {
    err = Dump(ErrorsToJson(model.errors()));
    return err.c_str();
  }
  g = new Instance{};
  g->model = std::move(model).value();
  return "";
}

// Draws the model on `selector`'s canvas (WebGL2). Returns "" or why it cannot.
EMSCRIPTEN_KEEPALIVE const char* hcpw_attach(const char* selector, const char* font, int font_len, float css_w,
                                             float dpr) {
  if (!g) return "no model";
  g->selector = selector;
  g->font.assign(font, static_cast<size_t>(font_len));
  g->css_w = css_w;
  g->dpr = dpr > 0 ? dpr : 1;
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = EM_FALSE;
  attrs.antialias = EM_FALSE;  // ImGui anti-aliases its own shapes
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  g->gl = emscripten_webgl_create_context(selector, &attrs);
  if (g->gl <= 0) return "webgl2 unavailable";
  emscripten_webgl_make_context_current(g->gl);
  Mark("hcp-widget-context");
  // The shaders' compile and link are issued now and asked about only at the first frame: the GPU
  // process compiles while this thread bakes the atlas and lays the panel out (imgui_webgl.h).
  WebGlStart();

  // The context first: after getContext returns, the GPU process goes on setting it up while this
  // thread bakes the atlas and lays the panel out. (Laying out before the context, so its drawing
  // buffer is made once at the panel's size, measured no better: docs/performance.md.)
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing persisted: NO_FILESYSTEM, and nothing to remember
  io.LogFilename = nullptr;
  ApplyStyle();
  GrowGlyphs(*g);
  BakeFont(*g);
  Mark("hcp-widget-atlas");
  io.DisplaySize = ImVec2(g->css_w, g->css_h);
  io.DisplayFramebufferScale = ImVec2(g->dpr, g->dpr);
  ImGui::NewFrame();
  const UiResult r = DrawWidget(g->model, g->options, g->fonts);
  ImGui::EndFrame();
  // One frame laid out but not drawn: the page learns the panel's height now, so the first drawn
  // frame already has the canvas at its size (no frame at a guessed height followed by another).
  // The comment slot waits for that drawn frame (w = 0 here), when the DOM form is in step.
  Mark("hcp-widget-layout");
  EM_ASM({ Module.hcpOnLayout && Module.hcpOnLayout(0, 0, 0, 0, $0); }, std::ceil(r.content_height));

  emscripten_set_mousedown_callback(selector, nullptr, EM_FALSE, OnMouse);
  emscripten_set_mouseup_callback(selector, nullptr, EM_FALSE, OnMouse);
  emscripten_set_mousemove_callback(selector, nullptr, EM_FALSE, OnMouse);
  emscripten_set_mouseleave_callback(selector, nullptr, EM_FALSE, OnMouse);
  emscripten_set_touchstart_callback(selector, nullptr, EM_FALSE, OnTouch);
  emscripten_set_touchmove_callback(selector, nullptr, EM_FALSE, OnTouch);
  emscripten_set_touchend_callback(selector, nullptr, EM_FALSE, OnTouch);
  emscripten_set_touchcancel_callback(selector, nullptr, EM_FALSE, OnTouch);
  emscripten_set_webglcontextlost_callback(selector, nullptr, EM_FALSE, OnContextLost);
  RequestFrame();
  return "";
}

// The container's size changed (ResizeObserver) or the page zoomed (devicePixelRatio).
EMSCRIPTEN_KEEPALIVE void hcpw_resize(float css_w, float css_h, float dpr) {
  if (!g || g->gl <= 0) return;
  const bool new_density = dpr > 0 && std::fabs(dpr - g->dpr) > 0.01f;
  if (!new_density && css_w == g->css_w && css_h == g->css_h) return;  // e.g. ResizeObserver's first call
  if (new_density) {  // re-rasterise the font for the new density
    g->dpr = dpr;
    BakeFont(*g);
  }
  g->css_w = css_w;
  g->css_h = css_h;
  RequestFrame();  // a new size needs one frame; hover and press states need no settling
}

EMSCRIPTEN_KEEPALIVE void hcpw_set_visible(int visible) {
  if (!g) return;
  g->visible = visible != 0;
  if (g->visible) Changed();
}

EMSCRIPTEN_KEEPALIVE void hcpw_choose_level(int level) {
  if (g && level >= 1 && level <= 5) g->model.ChooseLevel(static_cast<Level>(level));
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_toggle_reason(const char* code) {
  if (g) g->model.ToggleReason(code);
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_set_comment(const char* text) {
  if (g) g->model.SetComment(text);
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_set_public(int on) {
  if (g) g->model.SetPublic(on != 0);
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_set_lang(int en) {
  if (g) g->model.SetLang(en ? Lang::En : Lang::Zh);
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_focus(const char* key) {
  if (g) g->options.focus_key = key;
  Changed();
}
EMSCRIPTEN_KEEPALIVE const char* hcpw_state() { return g ? Out(g->model.StateJson()) : ""; }
EMSCRIPTEN_KEEPALIVE const char* hcpw_submission(const char* ticket, const char* client) {
  return g ? Out(g->model.SubmissionJson(ticket, client)) : "";
}
EMSCRIPTEN_KEEPALIVE void hcpw_begin_sending() {
  if (g) g->model.BeginSending();
  Changed();
}
EMSCRIPTEN_KEEPALIVE void hcpw_mark_queued() {
  if (g) g->model.MarkQueued();
  Changed();
}
EMSCRIPTEN_KEEPALIVE const char* hcpw_apply_response(int status, const char* body) {
  if (!g) return "";
  Phase p = g->model.ApplyResponse(status, body);
  Changed();
  return PhaseKey(p).data();
}
// Where a control ("level:5", "reason:203", "submit", …) was drawn last, as "x y w h" in CSS
// pixels of the canvas, or "": what a test clicks or taps.
EMSCRIPTEN_KEEPALIVE const char* hcpw_target(const char* key) {
  if (!g) return "";
  for (const auto& [k, v] : g->targets) {
    if (k != key) continue;
    char buf[96];
    std::snprintf(buf, sizeof buf, "%g %g %g %g", v.x, v.y, v.z, v.w);
    return Out(buf);
  }
  return "";
}

// Frames drawn so far: lets a test prove that an idle widget draws nothing.
EMSCRIPTEN_KEEPALIVE double hcpw_frames() { return g ? static_cast<double>(g->frames) : 0; }

}  // extern "C"

int main() { return 0; }  // the page's script drives everything through hcpw_*
