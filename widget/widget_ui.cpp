#include "widget_ui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hcp/level.h"
#include "widget_text.h"

namespace hcp::widget {

namespace {

// Palette: 政务 blue for action, a traffic-light ramp for the five levels, quiet greys for chrome.
constexpr ImU32 Rgb(unsigned rgb, unsigned a = 255) {
  return IM_COL32((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, a);
}
constexpr ImU32 kBlue = Rgb(0x1B5FAA);
constexpr ImU32 kBlueDark = Rgb(0x154C8A);
constexpr ImU32 kBlueTint = Rgb(0xE8F0FA);
constexpr ImU32 kText = Rgb(0x1F2933);
constexpr ImU32 kMuted = Rgb(0x5F6B7A);
constexpr ImU32 kBorder = Rgb(0xCBD2D9);
constexpr ImU32 kSurface = Rgb(0xFFFFFF);
constexpr ImU32 kDisabled = Rgb(0xB8C2CC);
constexpr ImU32 kError = Rgb(0xC0392B);
constexpr ImU32 kErrorTint = Rgb(0xFDEDEC);
constexpr ImU32 kOk = Rgb(0x2E8B57);
constexpr ImU32 kOkTint = Rgb(0xEAF6EF);
constexpr ImU32 kWarnTint = Rgb(0xFFF6E0);
constexpr ImU32 kWarn = Rgb(0x9A6700);

ImU32 LevelColor(Level l) {
  switch (l) {
    case Level::VerySatisfied: return Rgb(0x2E8B57);
    case Level::Satisfied: return Rgb(0x5E9E32);
    case Level::Basic: return Rgb(0xC99400);
    case Level::Dissatisfied: return Rgb(0xE06C2C);
    case Level::VeryDissatisfied: return Rgb(0xC0392B);
  }
  return kMuted;
}

void FocusRing(ImDrawList* dl, ImVec2 a, ImVec2 b, float rounding) {
  dl->AddRect(ImVec2(a.x - 3, a.y - 3), ImVec2(b.x + 3, b.y + 3), Rgb(0x2B7DE9), rounding + 3, 0, 2.5f);
}

// A face: the mouth's curve goes from a frown (1) to a broad smile (5); drawn, so no emoji font.
void DrawFace(ImDrawList* dl, ImVec2 c, float r, Level level, bool selected) {
  const ImU32 color = LevelColor(level);
  const ImU32 fill = selected ? color : kSurface;
  const ImU32 ink = selected ? kSurface : color;
  dl->AddCircleFilled(c, r, fill, 40);
  dl->AddCircle(c, r, color, 40, selected ? 2.5f : 2.0f);
  const float eye_dy = r * 0.22f, eye_dx = r * 0.33f, eye_r = r * 0.09f + 0.8f;
  dl->AddCircleFilled(ImVec2(c.x - eye_dx, c.y - eye_dy), eye_r, ink, 12);
  dl->AddCircleFilled(ImVec2(c.x + eye_dx, c.y - eye_dy), eye_r, ink, 12);
  const int v = static_cast<int>(level);      // 1..5
  const float curve = (v - 3) * 0.12f * r;    // >0 smile, <0 frown
  const float my = c.y + r * 0.32f - curve * 0.5f;
  const float mw = r * 0.45f;
  ImVec2 p0(c.x - mw, my), p3(c.x + mw, my);
  ImVec2 p1(c.x - mw * 0.4f, my + curve * 1.6f), p2(c.x + mw * 0.4f, my + curve * 1.6f);
  dl->AddBezierCubic(p0, p1, p2, p3, ink, std::max(2.0f, r * 0.08f), 16);
}

void DrawCheck(ImDrawList* dl, ImVec2 p, float s, ImU32 col, float thickness) {
  dl->PathLineTo(ImVec2(p.x, p.y + s * 0.5f));
  dl->PathLineTo(ImVec2(p.x + s * 0.38f, p.y + s * 0.88f));
  dl->PathLineTo(ImVec2(p.x + s, p.y + s * 0.1f));
  dl->PathStroke(col, 0, thickness);
}

// Wrapped text in a colour, at the cursor, within the content width.
void Para(const std::string& text, ImU32 col) {
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

// A notice box: a tinted band with a coloured left edge, wrapped text inside.
void Notice(const std::string& text, ImU32 col, ImU32 tint) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float w = ImGui::GetContentRegionAvail().x;
  const float pad = 10;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - 2 * pad - 4);
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const ImVec2 b(a.x + w, a.y + size.y + 2 * pad);
  dl->AddRectFilled(a, b, tint, 4);
  dl->AddRectFilled(a, ImVec2(a.x + 4, b.y), col, 4, ImDrawFlags_RoundCornersLeft);
  dl->AddText(nullptr, 0, ImVec2(a.x + pad + 4, a.y + pad), col, text.c_str(), nullptr, w - 2 * pad - 4);
  ImGui::Dummy(ImVec2(w, b.y - a.y));
}

std::string Msg(const Error& e, Lang lang) { return e.Message(lang); }

void Record(UiResult& out, std::string key) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  out.targets.emplace_back(std::move(key), ImVec4(a.x, a.y, b.x - a.x, b.y - a.y));
}

bool LevelButton(Level level, bool selected, bool focused, ImVec2 size, bool vertical, Lang lang) {
  ImGui::PushID(static_cast<int>(level));
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton("level", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 b(a.x + size.x, a.y + size.y);
  const ImU32 col = LevelColor(level);
  dl->AddRectFilled(a, b, selected ? Rgb(0xF4F7FB) : (hovered ? Rgb(0xF7F9FB) : kSurface), 8);
  dl->AddRect(a, b, selected ? col : (hovered ? Rgb(0x9AA5B1) : kBorder), 8, 0, selected ? 2.5f : 1.0f);
  const std::string label(LevelName(level, lang));
  if (vertical) {
    const float r = std::min(size.y * 0.34f, 18.0f);
    DrawFace(dl, ImVec2(a.x + 14 + r, a.y + size.y * 0.5f), r, level, selected);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    dl->AddText(ImVec2(a.x + 28 + 2 * r, a.y + (size.y - ts.y) * 0.5f), selected ? col : kText, label.c_str());
    if (selected) DrawCheck(dl, ImVec2(b.x - 30, a.y + size.y * 0.5f - 8), 16, col, 3);
  } else {
    const float r = std::min(size.x * 0.26f, 22.0f);
    DrawFace(dl, ImVec2(a.x + size.x * 0.5f, a.y + 12 + r), r, level, selected);
    const float wrap = size.x - 8;
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str(), nullptr, false, wrap);
    const float ty = a.y + 12 + 2 * r + 8;
    // Centre each line: CalcTextSize wraps the same way AddText does.
    const char* s = label.c_str();
    const char* end = s + label.size();
    float y = ty;
    ImFont* font = ImGui::GetFont();
    while (s < end) {
      const char* line_end = font->CalcWordWrapPositionA(1.0f, s, end, wrap);
      if (line_end == s) line_end = s + 1;
      const ImVec2 ls = ImGui::CalcTextSize(s, line_end);
      dl->AddText(ImVec2(a.x + (size.x - ls.x) * 0.5f, y), selected ? col : kText, s, line_end);
      y += ImGui::GetTextLineHeight();
      s = line_end;
      while (s < end && *s == ' ') ++s;
    }
    (void)ts;
  }
  if (focused) FocusRing(dl, a, b, 8);
  ImGui::PopID();
  return pressed;
}

bool Chip(const char* id, const std::string& text, bool on, bool focused, float min_h, float max_w) {
  ImGui::PushID(id);
  const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, max_w - 44);
  const ImVec2 size(std::min(ts.x + 44, max_w), std::max(min_h, ts.y + 16));
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton("chip", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 b(a.x + size.x, a.y + size.y);
  dl->AddRectFilled(a, b, on ? kBlueTint : (hovered ? Rgb(0xF5F7FA) : kSurface), size.y * 0.5f);
  dl->AddRect(a, b, on ? kBlue : kBorder, size.y * 0.5f, 0, on ? 2.0f : 1.0f);
  // A box with a tick, so the state is not told by colour alone.
  const ImVec2 box(a.x + 12, a.y + size.y * 0.5f - 8);
  dl->AddRect(box, ImVec2(box.x + 16, box.y + 16), on ? kBlue : Rgb(0x9AA5B1), 3, 0, 1.5f);
  if (on) {
    dl->AddRectFilled(box, ImVec2(box.x + 16, box.y + 16), kBlue, 3);
    DrawCheck(dl, ImVec2(box.x + 3, box.y + 3), 10, kSurface, 2.2f);
  }
  dl->AddText(nullptr, 0, ImVec2(a.x + 34, a.y + (size.y - ts.y) * 0.5f), on ? kBlueDark : kText, text.c_str(), nullptr,
              max_w - 44);
  if (focused) FocusRing(dl, a, b, size.y * 0.5f);
  ImGui::PopID();
  return pressed;
}

bool Switch(const std::string& label, bool on, bool focused, float min_h) {
  ImGui::PushID("public");
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const ImVec2 size(std::min(w, ts.x + 76), std::max(min_h, ts.y + 12));
  const bool pressed = ImGui::InvisibleButton("switch", size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float th = 26, tw = 46;
  const ImVec2 ta(a.x, a.y + (size.y - th) * 0.5f), tb(ta.x + tw, ta.y + th);
  dl->AddRectFilled(ta, tb, on ? kBlue : Rgb(0xAEB8C2), th * 0.5f);
  const float kx = on ? tb.x - th * 0.5f : ta.x + th * 0.5f;
  dl->AddCircleFilled(ImVec2(kx, ta.y + th * 0.5f), th * 0.5f - 3, kSurface, 24);
  dl->AddText(ImVec2(tb.x + 12, a.y + (size.y - ts.y) * 0.5f), kText, label.c_str());
  if (focused) FocusRing(dl, a, ImVec2(a.x + size.x, a.y + size.y), 6);
  ImGui::PopID();
  return pressed;
}

bool PrimaryButton(const std::string& label, bool enabled, bool focused, float h) {
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton("submit", ImVec2(w, h));
  const bool hovered = ImGui::IsItemHovered();
  const bool held = ImGui::IsItemActive();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 b(a.x + w, a.y + h);
  const ImU32 fill = !enabled ? kDisabled : (held || hovered ? kBlueDark : kBlue);
  dl->AddRectFilled(a, b, fill, 6);
  const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
  dl->AddText(ImVec2(a.x + (w - ts.x) * 0.5f, a.y + (h - ts.y) * 0.5f), kSurface, label.c_str());
  if (focused) FocusRing(dl, a, b, 6);
  return pressed && enabled;
}

void SectionTitle(const std::string& text, const std::string& suffix, ImU32 suffix_col) {
  ImGui::PushStyleColor(ImGuiCol_Text, kText);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  if (!suffix.empty()) {
    ImGui::SameLine(0, 2);
    ImGui::PushStyleColor(ImGuiCol_Text, suffix_col);
    ImGui::TextUnformatted(suffix.c_str());
    ImGui::PopStyleColor();
  }
}

void DrawHeader(const WidgetModel& m, Lang lang, const UiFonts& fonts) {
  ImGui::PushFont(fonts.title);
  Para(m.form().item_name, kText);
  ImGui::PopFont();
  Para(std::string(T(Text::UnitLabel, lang)) + "：" + m.form().unit_name, kMuted);
  ImGui::Spacing();
}

// The finished states: a big mark and the edge's own words.
void DrawOutcome(const WidgetModel& m, Lang lang, const UiFonts& fonts) {
  const bool done = m.phase() == Phase::Done;
  const bool queued = m.phase() == Phase::Queued;
  const bool failed = m.phase() == Phase::Failed;
  const ImU32 col = done ? kOk : (queued ? kWarn : (failed ? kError : kBlue));
  const float w = ImGui::GetContentRegionAvail().x;
  const float r = 30;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 c(p.x + w * 0.5f, p.y + r + 8);
  dl->AddCircleFilled(c, r, done ? kOkTint : (queued ? kWarnTint : (failed ? kErrorTint : kBlueTint)), 48);
  dl->AddCircle(c, r, col, 48, 3);
  if (done || m.phase() == Phase::AlreadyRated) {
    DrawCheck(dl, ImVec2(c.x - r * 0.45f, c.y - r * 0.4f), r * 0.9f, col, 4);
  } else if (queued) {  // a clock: it will be sent
    dl->AddLine(c, ImVec2(c.x, c.y - r * 0.55f), col, 3.5f);
    dl->AddLine(c, ImVec2(c.x + r * 0.4f, c.y + r * 0.1f), col, 3.5f);
  } else {  // an exclamation mark
    dl->AddLine(ImVec2(c.x, c.y - r * 0.5f), ImVec2(c.x, c.y + r * 0.15f), col, 4);
    dl->AddCircleFilled(ImVec2(c.x, c.y + r * 0.42f), 3, col);
  }
  ImGui::Dummy(ImVec2(w, 2 * r + 20));
  const std::string heading(done ? T(Text::Done, lang)
                                 : queued ? T(Text::Sending, lang)
                                          : failed ? T(Text::Failed, lang) : T(Text::AlreadyRated, lang));
  ImGui::PushFont(fonts.title);
  const ImVec2 hs = ImGui::CalcTextSize(heading.c_str());
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (w - hs.x) * 0.5f));
  Para(heading, col);
  ImGui::PopFont();
  ImGui::Spacing();
  if (queued) Notice(std::string(T(Text::Queued, lang)), kWarn, kWarnTint);
  for (const Error& e : m.server_messages()) {
    if (queued) break;  // the transport detail is not the citizen's concern
    const std::string text = Msg(e, lang);
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, w);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (w - ts.x) * 0.5f));
    Para(text, kText);
  }
}

}  // namespace

UiFonts LoadFonts(const void* font_data, int font_size, float pixel_ratio, const std::string& glyphs, int font_no,
                  bool title) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  static ImVector<ImWchar> ranges;  // must outlive the atlas build
  ranges.clear();
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  builder.AddText(glyphs.c_str());
  builder.BuildRanges(&ranges);
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;
  cfg.FontNo = font_no;
  cfg.OversampleH = 1;  // rasterised at the device's pixel ratio already: no oversampling needed
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  void* data = const_cast<void*>(font_data);
  UiFonts f;
  // ImGui sizes a font by ascent-to-descent height; Noto CJK's is 1.448 em, so an em of 15.5 px
  // (the page's body text) needs 22.5 "pixels".
  constexpr float kCjkLineToEm = 1.448f;
  f.body = io.Fonts->AddFontFromMemoryTTF(data, font_size, 15.5f * kCjkLineToEm * pixel_ratio, &cfg, ranges.Data);
  if (title) f.title = io.Fonts->AddFontFromMemoryTTF(data, font_size, 18.0f * kCjkLineToEm * pixel_ratio, &cfg, ranges.Data);
  io.FontGlobalScale = 1.0f / pixel_ratio;
  io.Fonts->Build();
  return f;
}

void ApplyStyle() {
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsLight(&s);
  s.WindowPadding = ImVec2(16, 14);
  s.WindowRounding = 0;
  s.WindowBorderSize = 0;
  s.FramePadding = ImVec2(10, 8);
  s.FrameRounding = 6;
  s.FrameBorderSize = 1;
  s.ItemSpacing = ImVec2(8, 10);
  s.ItemInnerSpacing = ImVec2(8, 6);
  s.ScrollbarSize = 10;
  s.AntiAliasedFill = true;
  s.AntiAliasedLines = true;
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(kSurface);
  c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(kText);
  c[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(kSurface);
  c[ImGuiCol_Border] = ImGui::ColorConvertU32ToFloat4(kBorder);
  c[ImGuiCol_TextSelectedBg] = ImGui::ColorConvertU32ToFloat4(Rgb(0x1B5FAA, 70));
}

UiResult DrawWidget(WidgetModel& m, const UiOptions& o, const UiFonts& fonts) {
  UiResult out;
  const Lang lang = m.lang();
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("hcp-widget", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav);
  ImGui::PushFont(fonts.body);
  const float width = ImGui::GetContentRegionAvail().x;

  if (o.draw_header) DrawHeader(m, lang, fonts);  // with fonts.title too

  // Language switch, top right, a real target (not a 10-pixel link).
  {
    const std::string label(T(Text::SwitchLang, lang));
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    const ImVec2 size(ts.x + 20, std::max(32.0f, ts.y + 10));
    const ImVec2 start = ImGui::GetCursorPos();
    ImGui::SetCursorPosX(start.x + width - size.x);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton("lang", size)) {
      m.SetLang(lang == Lang::Zh ? Lang::En : Lang::Zh);
      out.lang_toggled = out.changed = true;
    }
    Record(out, "lang");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 b(a.x + size.x, a.y + size.y);
    dl->AddRect(a, b, kBorder, 4);
    dl->AddText(ImVec2(a.x + 10, a.y + (size.y - ts.y) * 0.5f), kBlue, label.c_str());
    if (o.focus_key == "lang") FocusRing(dl, a, b, 4);
    ImGui::SetCursorPos(start);
    // The question, left of the switch (the page's own heading names the panel).
    ImGui::SetCursorPos(ImVec2(start.x, start.y + (size.y - ImGui::GetTextLineHeight()) * 0.5f));
    ImGui::PushTextWrapPos(start.x + width - size.x - 8);
    ImGui::PushStyleColor(ImGuiCol_Text, kText);
    ImGui::TextUnformatted(std::string(T(Text::ChooseLevel, lang)).c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), start.y + size.y) + 4);
  }


  if (ShowsOutcome(m)) {  // with fonts.title: NeedsTitleFont (widget_glyphs.h) says so too
    DrawOutcome(m, lang, fonts);
  } else {
    const bool editing = m.phase() == Phase::Editing;
    // Five levels: a row on a wide panel, a list on a phone (labels stay on one line, targets large).
    const bool vertical = width < 430;
    const float gap = 8;
    int i = 0;
    for (Level l : kAllLevels) {
      const bool sel = m.level() == l;
      const bool foc = o.focus_key == "level:" + std::to_string(static_cast<int>(l));
      ImVec2 size = vertical ? ImVec2(width, std::max(o.min_touch, 48.0f))
                             : ImVec2((width - 4 * gap) / 5, 44 + 16 + ImGui::GetTextLineHeight() * (width < 560 ? 2 : 1) + 8);
      if (!vertical && i > 0) ImGui::SameLine(0, gap);
      if (LevelButton(l, sel, foc, size, vertical, lang) && editing) {
        m.ChooseLevel(l);
        out.changed = true;
      }
      Record(out, "level:" + std::to_string(static_cast<int>(l)));
      if (vertical) ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 4);
      ++i;
    }
    ImGui::Spacing();

    const auto offered = m.OfferedReasons();
    if (!offered.empty()) {
      const bool required = m.ReasonsRequired();
      SectionTitle(std::string(T(Text::Reasons, lang)),
                   std::string(required ? T(Text::ReasonsRequired, lang) : T(Text::ReasonsOptional, lang)),
                   required ? kError : kMuted);
      const float x0 = ImGui::GetCursorPosX();
      float x = x0;
      for (const Reason* r : offered) {
        const std::string text = r->Text(lang);
        const float chip_w = std::min(ImGui::CalcTextSize(text.c_str()).x + 44, width);
        if (x > x0 && x + chip_w > x0 + width) {
          x = x0;
        } else if (x > x0) {
          ImGui::SameLine(0, 0);
          ImGui::SetCursorPosX(x);
        }
        if (Chip(r->code.c_str(), text, m.HasReason(r->code), o.focus_key == "reason:" + r->code, 40, width) && editing) {
          m.ToggleReason(r->code);
          out.changed = true;
        }
        Record(out, "reason:" + r->code);
        x += chip_w + 8;
      }
      ImGui::Spacing();
    }

    SectionTitle(std::string(T(Text::Comment, lang)), "", kMuted);
    {
      const float h = 88;
      const ImVec2 a = ImGui::GetCursorScreenPos();
#ifndef HCP_WIDGET_DOM_TEXT_ONLY  // the web build types in a DOM <textarea>: no ImGui text editor in its wasm
      if (o.inline_comment_editor) {
        std::string buf = m.comment();
        buf.resize(std::max<size_t>(buf.size() + 1, 2048));
        ImGui::PushStyleColor(ImGuiCol_FrameBg, kSurface);
        if (ImGui::InputTextMultiline("##comment", buf.data(), buf.size(), ImVec2(width, h))) {
          m.SetComment(std::string(buf.c_str()));
          out.changed = true;
        }
        ImGui::PopStyleColor();
      } else
#endif
      {
        // The DOM <textarea> sits on this slot (IME, paste, spell check, screen readers).
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRect(a, ImVec2(a.x + width, a.y + h), o.focus_key == "comment" ? kBlue : kBorder, 6, 0,
                    o.focus_key == "comment" ? 2.0f : 1.0f);
        ImGui::Dummy(ImVec2(width, h));
        out.comment_slot = ImVec4(a.x, a.y, width, h);
        Record(out, "comment");
      }
      int count = 0;  // code points, as the server counts them
      for (unsigned char ch : m.comment()) count += (ch & 0xC0) != 0x80;
      char counter[48];
      std::snprintf(counter, sizeof counter, "%d / %d %s", count, m.form().limits.comment_max,
                    std::string(T(Text::CharsLeft, lang)).c_str());
      const ImVec2 cs = ImGui::CalcTextSize(counter);
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + width - cs.x);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 6);
      Para(counter, count > m.form().limits.comment_max ? kError : kMuted);
    }

    if (Switch(std::string(T(Text::Public, lang)), m.is_public(), o.focus_key == "public", o.min_touch) && editing) {
      m.SetPublic(!m.is_public());
      out.changed = true;
    }
    Record(out, "public");
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 6);
    Para(std::string(T(Text::PublicHint, lang)), kMuted);
    ImGui::Spacing();

    const bool can = m.CanSubmit();
    const std::string label(editing ? T(Text::Submit, lang) : T(Text::Sending, lang));
    if (PrimaryButton(label, can, o.focus_key == "submit", std::max(o.min_touch, 48.0f))) out.submit = true;
    Record(out, "submit");
    // Say why the button is not active yet, in the core's words (the same the edge would answer).
    if (editing) {
      if (auto why = m.WhyNot()) {
        const std::string text = why->id == "rating.satisfaction_required" ? std::string(T(Text::ChooseFirst, lang))
                                                                           : why->Message(lang);
        Para(text, why->id == "rating.satisfaction_required" ? kMuted : kError);
      }
    }
    for (const Error& e : m.server_messages()) Notice(e.Message(lang), kError, kErrorTint);
  }

  out.content_height = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::PopFont();
  ImGui::End();
  return out;
}

}  // namespace hcp::widget
