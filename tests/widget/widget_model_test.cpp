// The widget's state model: what the citizen can choose and when the submit button is active,
// checked against the shared core's own ids (the same the edge answers with).
#include "widget_model.h"

#include <gtest/gtest.h>

#include "hcp/catalogue.h"
#include "hcp/wire.h"
#include "widget_glyphs.h"
#include "widget_text.h"

namespace hcp::widget {
namespace {

std::string FormJson(Channel channel = Channel::Pc, bool already_rated = false) {
  FormDefinition form;
  form.item = "330100-0001";
  form.item_name = "个体工商户设立登记";
  form.unit = "11330100MB0000000X";
  form.unit_name = "杭州市市场监督管理局";
  form.channel = channel;
  form.already_rated = already_rated;
  form.limits.max_reasons = 3;
  return Dump(FormToJson(form, ReasonCatalogue::Embedded().value()));
}

WidgetModel Model(Channel channel = Channel::Pc) {
  auto m = WidgetModel::FromFormJson(FormJson(channel));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.errors().front().id);
  return std::move(m).value();
}

TEST(WidgetModel, StartsEditingWithNothingChosenAndSaysToChooseALevel) {
  WidgetModel m = Model();
  EXPECT_EQ(m.phase(), Phase::Editing);
  EXPECT_FALSE(m.level());
  EXPECT_TRUE(m.OfferedReasons().empty());
  EXPECT_FALSE(m.CanSubmit());
  ASSERT_TRUE(m.WhyNot());
  EXPECT_EQ(m.WhyNot()->id, "rating.satisfaction_required");
  EXPECT_EQ(m.form().item_name, "个体工商户设立登记");
}

TEST(WidgetModel, GoodLevelCanBeSubmittedWithoutReasons) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::VerySatisfied);
  EXPECT_TRUE(m.CanSubmit());
  EXPECT_FALSE(m.WhyNot());
  EXPECT_FALSE(m.ReasonsRequired());
}

TEST(WidgetModel, BadLevelWithoutReasonIsBlockedWithTheServersId) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Dissatisfied);
  EXPECT_TRUE(m.ReasonsRequired());
  EXPECT_FALSE(m.CanSubmit());
  ASSERT_TRUE(m.WhyNot());
  EXPECT_EQ(m.WhyNot()->id, "rating.reason_required");
  EXPECT_EQ(m.WhyNot()->message, "差评请至少勾选一项理由或填写评价内容");
  m.ToggleReason("203");
  EXPECT_TRUE(m.CanSubmit());
}

TEST(WidgetModel, BadLevelWithOnlyACommentIsAllowedButABlankCommentIsNot) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::VeryDissatisfied);
  m.SetComment("   ");
  EXPECT_FALSE(m.CanSubmit());
  m.SetComment("等了很久");
  EXPECT_TRUE(m.CanSubmit());
}

TEST(WidgetModel, OffersOnlyTheReasonsOfTheLevelAndChannel) {
  WidgetModel web = Model(Channel::Pc);
  web.ChooseLevel(Level::Dissatisfied);
  std::vector<std::string> codes;
  for (const Reason* r : web.OfferedReasons()) codes.push_back(r->code);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "206"), codes.end());  // online only
  EXPECT_EQ(std::find(codes.begin(), codes.end(), "210"), codes.end());  // hall queue: offline only
  EXPECT_EQ(std::find(codes.begin(), codes.end(), "101"), codes.end());  // praise tag

  WidgetModel hall = Model(Channel::Tablet);
  hall.ChooseLevel(Level::Dissatisfied);
  codes.clear();
  for (const Reason* r : hall.OfferedReasons()) codes.push_back(r->code);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "210"), codes.end());
}

TEST(WidgetModel, ToggleIgnoresReasonsNotOfferedAndRespectsTheLimit) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Dissatisfied);
  m.ToggleReason("101");  // praise tag on a bad level
  m.ToggleReason("999");
  EXPECT_TRUE(m.reasons().empty());
  for (const char* c : {"201", "202", "203", "204"}) m.ToggleReason(c);  // limit is 3 in this form
  EXPECT_EQ(m.reasons(), (std::vector<std::string>{"201", "202", "203"}));
  m.ToggleReason("202");
  EXPECT_EQ(m.reasons(), (std::vector<std::string>{"201", "203"}));
}

TEST(WidgetModel, ChangingLevelDropsReasonsTheNewLevelDoesNotOffer) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Dissatisfied);
  m.ToggleReason("203");
  m.ChooseLevel(Level::VeryDissatisfied);
  EXPECT_TRUE(m.HasReason("203"));  // offered for both bad levels
  m.ChooseLevel(Level::Satisfied);
  EXPECT_TRUE(m.reasons().empty());
}

TEST(WidgetModel, CommentTooLongIsReportedWithTheLimit) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Satisfied);
  m.SetComment(std::string(501, 'a'));
  ASSERT_TRUE(m.WhyNot());
  EXPECT_EQ(m.WhyNot()->id, "rating.comment_too_long");
  EXPECT_EQ(m.WhyNot()->message_en, "Comment too long, at most 500 characters");
}

TEST(WidgetModel, SubmissionPassesTheServersCheck) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Dissatisfied);
  m.ToggleReason("203");
  m.SetComment("等了很久");
  m.SetPublic(true);
  const std::string body = m.SubmissionJson("hcp1.x.y", "widget/0.1");
  auto j = ParseJson(body);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["satisfaction"], 2);
  EXPECT_EQ((*j)["public"], true);
  EXPECT_EQ((*j)["ticket"], "hcp1.x.y");
  EXPECT_EQ((*j)["catalogue_version"], "hcp-2026.1");
  EXPECT_TRUE(CheckRating(*j, ReasonCatalogue::Embedded().value(), {}, true).empty());
}

TEST(WidgetModel, AnswersLeadToTheRightPhase) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::VerySatisfied);
  m.BeginSending();
  EXPECT_EQ(m.phase(), Phase::Sending);
  EXPECT_FALSE(m.CanSubmit());
  EXPECT_EQ(m.ApplyResponse(0, ""), Phase::Queued);
  EXPECT_EQ(m.server_messages().front().id, "server.unavailable");
  m.BeginSending();
  EXPECT_EQ(m.ApplyResponse(503, R"({"errors":[{"id":"server.storage_full","field":"","message":"满","message_en":"full"}]})"),
            Phase::Queued);
  m.BeginSending();
  EXPECT_EQ(m.ApplyResponse(201, R"({"id":"r-1","message":"评价已收到，感谢您的参与","message_en":"Your rating was received, thank you"})"),
            Phase::Done);
  EXPECT_EQ(m.rating_id(), "r-1");
  EXPECT_EQ(m.server_messages().front().message, "评价已收到，感谢您的参与");
  m.ChooseLevel(Level::Dissatisfied);  // finished: the choice is frozen
  EXPECT_EQ(m.level(), Level::VerySatisfied);
}

TEST(WidgetModel, ConflictIsAlreadyRatedAndUnprocessableGoesBackToEditing) {
  WidgetModel a = Model();
  a.ChooseLevel(Level::Satisfied);
  a.BeginSending();
  EXPECT_EQ(a.ApplyResponse(409, R"({"errors":[{"id":"rating.already_rated","field":"","message":"该办件已经评价过了，感谢您的参与","message_en":"x"}],"id":"r-9"})"),
            Phase::AlreadyRated);
  EXPECT_EQ(a.rating_id(), "r-9");

  WidgetModel b = Model();
  b.ChooseLevel(Level::Satisfied);
  b.BeginSending();
  EXPECT_EQ(b.ApplyResponse(422, R"({"errors":[{"id":"rating.catalogue_version_mismatch","field":"catalogue_version","message":"m","message_en":"e"}]})"),
            Phase::Editing);
  EXPECT_EQ(b.server_messages().front().id, "rating.catalogue_version_mismatch");

  WidgetModel c = Model();
  c.ChooseLevel(Level::Satisfied);
  c.BeginSending();
  EXPECT_EQ(c.ApplyResponse(410, R"({"errors":[{"id":"ticket.expired","field":"","message":"评价凭证已过期，评价期限已过","message_en":"e"}]})"),
            Phase::Failed);
  // A bare 502 from a proxy still gets words.
  WidgetModel d = Model();
  d.ChooseLevel(Level::Satisfied);
  d.BeginSending();
  EXPECT_EQ(d.ApplyResponse(502, "<html>Bad Gateway</html>"), Phase::Queued);
  EXPECT_FALSE(d.server_messages().front().message.empty());
}

TEST(WidgetModel, AFormAlreadyRatedOpensInThatPhase) {
  auto m = WidgetModel::FromFormJson(FormJson(Channel::Pc, true));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->phase(), Phase::AlreadyRated);
}

TEST(WidgetModel, ABrokenFormIsRefusedWithACoreId) {
  auto bad = WidgetModel::FromFormJson("{\"item\": 3}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors().front().id, "request.field_type");
  auto notjson = WidgetModel::FromFormJson("<html>");
  ASSERT_FALSE(notjson.ok());
  EXPECT_EQ(notjson.errors().front().id, "request.invalid_json");
}

TEST(WidgetModel, StateJsonCarriesWhatTheAccessibleFormMirrors) {
  WidgetModel m = Model();
  m.ChooseLevel(Level::Dissatisfied);
  auto j = ParseJson(m.StateJson());
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["level"], 2);
  EXPECT_EQ((*j)["can_submit"], false);
  EXPECT_EQ((*j)["why_not"]["id"], "rating.reason_required");
  EXPECT_EQ((*j)["reasons_required"], true);
  EXPECT_GT((*j)["offered"].size(), 3u);
  EXPECT_EQ((*j)["phase"], "editing");
}

// Contains every character of `text` (UTF-8 sequences compared whole).
bool Holds(const std::string& glyphs, const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    if (glyphs.find(text.substr(i, n)) == std::string::npos) return false;
    i += n;
  }
  return true;
}

// The web build bakes only GlyphsShown into its font atlas: a character the panel draws but that
// set misses would show as a box. What each state draws, per widget_ui.cpp's DrawWidget.
void ExpectShownCovers(const WidgetModel& m) {
  const std::string g = GlyphsShown(m, false);
  const Lang lang = m.lang();
  for (int i = 0; i <= static_cast<int>(Text::CharsLeft); ++i)
    EXPECT_TRUE(Holds(g, std::string(T(static_cast<Text>(i), lang)))) << "label " << i;
  for (Level l : kAllLevels) EXPECT_TRUE(Holds(g, std::string(LevelName(l, lang))));
  for (const Reason* r : m.OfferedReasons()) EXPECT_TRUE(Holds(g, r->Text(lang))) << r->code;
  if (auto why = m.WhyNot()) EXPECT_TRUE(Holds(g, why->Message(lang))) << why->id;
  for (const Error& e : m.server_messages()) EXPECT_TRUE(Holds(g, e.Message(lang))) << e.id;
  EXPECT_TRUE(Holds(g, "0123456789 / ?")) << "the counter and ImGui's fallback";
  std::string ascii;  // LoadFonts adds ImGui's default (Latin) range to any set
  for (char c = ' '; c <= '~'; ++c) ascii += c;
  EXPECT_TRUE(Holds(GlyphsFor(m) + ascii, g)) << "the shown set is part of the whole";
}

TEST(WidgetGlyphs, TheShownSetCoversWhatEachStateDrawsAndIsSmallerThanTheWhole) {
  WidgetModel m = Model();
  ExpectShownCovers(m);
  const std::string first = GlyphsShown(m, false);
  EXPECT_LT(first.size() * 3, GlyphsFor(m).size()) << "the first screen needs far fewer characters";
  EXPECT_FALSE(Holds(first, m.form().unit_name)) << "the web page draws item and unit in the DOM";
  EXPECT_TRUE(Holds(GlyphsShown(m, true), m.form().item_name + m.form().unit_name));
  for (Level l : kAllLevels) {
    m.ChooseLevel(l);
    ExpectShownCovers(m);
  }
  m.ChooseLevel(Level::Dissatisfied);
  m.SetComment(std::string(2000, 'x'));
  ExpectShownCovers(m);  // comment too long
  m.SetComment("");
  m.ToggleReason("203");
  m.SetLang(Lang::En);
  ExpectShownCovers(m);
  m.BeginSending();
  m.ApplyResponse(422, R"({"errors":[{"id":"rating.catalogue_version_mismatch","field":"","message":"评价理由目录已更新","message_en":"updated"}]})");
  ExpectShownCovers(m);
  m.SetLang(Lang::Zh);
  m.BeginSending();
  m.ApplyResponse(0, "");
  ExpectShownCovers(m);  // queued: the core's own words for no answer
  m.BeginSending();
  m.ApplyResponse(201, R"({"id":"r-1","message":"评价已收到，感谢您的参与","message_en":"thanks"})");
  ExpectShownCovers(m);
}

// The web build bakes the title size only when a screen draws with it (the outcome, the header):
// a frame drawing it from an atlas without it would show the body size.
TEST(WidgetGlyphs, TheTitleSizeIsNeededOnlyByTheHeaderAndTheOutcome) {
  WidgetModel m = Model();
  EXPECT_FALSE(NeedsTitleFont(m, false)) << "the first screen: one size";
  EXPECT_TRUE(NeedsTitleFont(m, true)) << "the kiosk's header";
  m.ChooseLevel(Level::Satisfied);
  m.BeginSending();
  EXPECT_FALSE(NeedsTitleFont(m, false)) << "sending still shows the form";
  m.ApplyResponse(0, "");
  EXPECT_TRUE(NeedsTitleFont(m, false)) << "queued";
  m.BeginSending();
  m.ApplyResponse(422, R"({"errors":[{"id":"rating.catalogue_version_mismatch","field":"","message":"m","message_en":"e"}]})");
  EXPECT_FALSE(NeedsTitleFont(m, false)) << "back to editing";
  m.BeginSending();
  m.ApplyResponse(201, R"({"id":"r-1","message":"评价已收到，感谢您的参与","message_en":"thanks"})");
  EXPECT_TRUE(NeedsTitleFont(m, false)) << "done";
  auto rated = WidgetModel::FromFormJson(FormJson(Channel::Pc, true));
  ASSERT_TRUE(rated.ok());
  EXPECT_TRUE(NeedsTitleFont(rated.value(), false)) << "already rated opens on the outcome";
}

TEST(WidgetText, EveryLabelExistsInBothLanguages) {
  for (int i = 0; i <= static_cast<int>(Text::CharsLeft); ++i) {
    EXPECT_FALSE(T(static_cast<Text>(i), Lang::Zh).empty()) << i;
    EXPECT_FALSE(T(static_cast<Text>(i), Lang::En).empty()) << i;
  }
  EXPECT_EQ(T(Text::Public, Lang::Zh), "公开我的评价");
}

}  // namespace
}  // namespace hcp::widget
