#include "widget_glyphs.h"

#include "hcp/level.h"
#include "widget_text.h"

namespace hcp::widget {

namespace {
constexpr std::string_view kPunctuation = "：，。…（）";
}

std::string GlyphsFor(const WidgetModel& m) {
  std::string s;
  for (int i = 0; i <= static_cast<int>(Text::CharsLeft); ++i)
    for (Lang l : {Lang::Zh, Lang::En}) s += T(static_cast<Text>(i), l);
  for (Level l : kAllLevels) s += std::string(LevelName(l, Lang::Zh)) + std::string(LevelName(l, Lang::En));
  for (const Reason& r : m.catalogue().reasons()) s += r.zh + r.en;
  for (std::string_view id : AllErrorIds()) {
    Error e = MakeError(id);
    s += e.message + e.message_en;
  }
  s += m.form().item_name + m.form().unit_name;
  s += kPunctuation;
  return s;
}

std::string GlyphsShown(const WidgetModel& m, bool header) {
  const Lang lang = m.lang();
  std::string s;
  for (char c = ' '; c <= '~'; ++c) s += c;
  s += kPunctuation;
  for (int i = 0; i <= static_cast<int>(Text::CharsLeft); ++i) s += T(static_cast<Text>(i), lang);
  for (Level l : kAllLevels) s += LevelName(l, lang);
  for (const Reason* r : m.OfferedReasons()) s += r->Text(lang);
  if (auto why = m.WhyNot()) s += why->Message(lang);
  for (const Error& e : m.server_messages()) s += e.Message(lang);
  if (header) s += m.form().item_name + m.form().unit_name;
  return s;
}

bool ShowsOutcome(const WidgetModel& m) { return m.phase() != Phase::Editing && m.phase() != Phase::Sending; }

bool NeedsTitleFont(const WidgetModel& m, bool header) { return header || ShowsOutcome(m); }

}  // namespace hcp::widget
