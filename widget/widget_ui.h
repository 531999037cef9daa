#pragma once
// The rating panel drawn with Dear ImGui: the same code in the browser (WebGL2) and on the hall's
// evaluator device (hcp-kiosk, OpenGL 3). It reads and changes a WidgetModel and reports what the
// platform must do (send, relayout the comment box, resize); it does no I/O itself.
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "widget_glyphs.h"
#include "widget_model.h"

namespace hcp::widget {

struct UiFonts {
  ImFont* body = nullptr;
  ImFont* title = nullptr;  // null when not baked (the web's editing screen: NeedsTitleFont)
};

struct UiOptions {
  bool draw_header = false;         // the web page draws item and unit in the DOM (any character)
  bool inline_comment_editor = false;  // kiosk: an ImGui text box; web: a DOM <textarea> over a slot
  std::string focus_key;            // DOM focus mirrored as a ring: "level:4", "reason:203", "public", "submit", "lang"
  float min_touch = 44;             // smallest target edge in points (WCAG 2.5.5)
};

struct UiResult {
  bool submit = false;        // the citizen pressed an active submit button
  bool lang_toggled = false;
  bool changed = false;       // the model changed this frame
  ImVec4 comment_slot{0, 0, 0, 0};  // x, y, w, h of the comment box, in points; w = 0 when hidden
  float content_height = 0;   // points the panel needs, for the container to follow
  // Where each control was drawn (same keys as focus_key): for the platform's tests and tools.
  std::vector<std::pair<std::string, ImVec4>> targets;
};

// Loads the font (TTF/OTF bytes, not copied: must outlive the atlas) at the sizes the panel uses,
// rasterised at `pixel_ratio` for sharp text; `font_no` picks a face inside a .ttc collection.
// `glyphs` lists every character to bake (UTF-8): the labels, the catalogue, the names on the form.
// `title`: also the larger title size (the header and the outcome screen); without it the atlas
// holds one size, half the rasterising before the first frame.
UiFonts LoadFonts(const void* font_data, int font_size, float pixel_ratio, const std::string& glyphs, int font_no = 0,
                  bool title = true);

// A calm, product look (white panel, 政务 blue, large targets) instead of ImGui's debug theme.
void ApplyStyle();

UiResult DrawWidget(WidgetModel& m, const UiOptions& options, const UiFonts& fonts);

}  // namespace hcp::widget
