#include "hcp/wire.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "hcp/utf8.h"

namespace hcp {
namespace {

const ReasonCatalogue& Catalogue() {
  static const ReasonCatalogue cat = ReasonCatalogue::Embedded().value();
  return cat;
}

std::vector<std::string> Ids(const Errors& errors) {
  std::vector<std::string> ids;
  for (const auto& e : errors) ids.push_back(e.id);
  return ids;
}

Errors Check(const char* text, std::optional<bool> online = std::nullopt) {
  auto body = ParseJson(text);
  if (!body) return body.errors();
  return CheckRating(*body, Catalogue(), {}, online);
}

TEST(ParseJson, RefusesInvalidUtf8BeforeParsing) {
  auto r = ParseJson("{\"comment\": \"\xC3\"}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].id, "request.invalid_utf8");
}

TEST(ParseJson, RefusesDeepNestingWithoutRecursing) {
  std::string deep(100000, '[');
  auto r = ParseJson(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].id, "request.too_deep");
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(ok).ok());
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(ParseJson("{\"comment\": \"" + std::string(100, '[') + "\\\"\"}").ok());
}

TEST(ParseJson, RefusesMalformedJson) {
  EXPECT_EQ(ParseJson("{\"satisfaction\": 5,}").errors()[0].id, "request.invalid_json");
  EXPECT_EQ(ParseJson("").errors()[0].id, "request.invalid_json");
}

TEST(CheckRating, AcceptsAWellFormedBadRating) {
  EXPECT_TRUE(Check(R"({"ticket": "t", "satisfaction": 1, "reasons": ["203"], "comment": "等了三天",
                        "public": true, "dimensions": {"efficiency": 2}, "client": {"ua": "widget"}})")
                  .empty());
}

TEST(CheckRating, UsesTheSameIdsAsValidation) {
  EXPECT_EQ(Ids(Check(R"({"satisfaction": 2})")), std::vector<std::string>{"rating.reason_required"});
  EXPECT_EQ(Ids(Check(R"({"satisfaction": 4.5})")), std::vector<std::string>{"rating.satisfaction_out_of_range"});
  EXPECT_EQ(Ids(Check(R"({"satisfaction": 99999999999})")), std::vector<std::string>{"rating.satisfaction_out_of_range"});
  EXPECT_EQ(Ids(Check(R"({"satisfaction": null})")), std::vector<std::string>{"rating.satisfaction_required"});
}

TEST(CheckRating, ReportsTypeErrorsOncePerField) {
  auto errors = Check(R"({"satisfaction": "5", "reasons": "203", "public": "yes", "satisfation": 5})");
  ASSERT_EQ(Ids(errors), (std::vector<std::string>{"request.field_type", "request.field_type", "request.field_type",
                                                   "request.unknown_field"}));
  std::set<std::string> fields;
  for (const auto& e : errors) fields.insert(e.field);
  EXPECT_EQ(fields, (std::set<std::string>{"satisfaction", "reasons", "public", "satisfation"}));
}

TEST(CheckRating, ReportsAnIndexedReasonOfTheWrongType) {
  auto errors = Check(R"({"satisfaction": 1, "reasons": ["203", 7]})");
  ASSERT_EQ(Ids(errors), std::vector<std::string>{"request.field_type"});
  EXPECT_EQ(errors[0].field, "reasons[1]");
}

TEST(CheckRating, RefusesANonObjectBody) {
  EXPECT_EQ(Ids(Check("[1]")), std::vector<std::string>{"request.not_object"});
}

TEST(ErrorsToJson, HasTheOneErrorShape) {
  auto j = ErrorsToJson({MakeError("rating.reason_required", "reasons")});
  ASSERT_TRUE(j["errors"].is_array());
  EXPECT_EQ(j["errors"][0]["id"], "rating.reason_required");
  EXPECT_EQ(j["errors"][0]["field"], "reasons");
  EXPECT_EQ(j["errors"][0]["message"], "差评请至少勾选一项理由或填写评价内容");
  EXPECT_EQ(j["errors"][0]["message_en"], "A bad rating needs at least one reason or a written comment");
}

TEST(Dump, NeverFailsOnInvalidUtf8) {
  Json j = {{"comment", std::string("x\xC3")}};
  EXPECT_EQ(Dump(j), "{\"comment\":\"x\xEF\xBF\xBD\"}");
}

TEST(EncodeRating, RoundTripsThroughDecode) {
  RatingSubmission r;
  r.ticket = "abc";
  r.satisfaction = 2;
  r.reasons = {"201", "212"};
  r.comment = "指南与实际不符";
  r.is_public = true;
  r.dimensions = {{"efficiency", 3}};
  r.client = "widget/0.1";
  auto back = DecodeRating(EncodeRating(r));
  ASSERT_TRUE(back.errors.empty());
  EXPECT_EQ(back.rating.ticket, r.ticket);
  EXPECT_EQ(back.rating.satisfaction, r.satisfaction);
  EXPECT_EQ(back.rating.reasons, r.reasons);
  EXPECT_EQ(back.rating.comment, r.comment);
  EXPECT_EQ(back.rating.is_public, r.is_public);
  EXPECT_EQ(back.rating.dimensions, r.dimensions);
  EXPECT_EQ(back.rating.client, r.client);
}

TEST(FormDefinition, OffersTheChannelsReasonsAndRoundTrips) {
  FormDefinition form;
  form.item = "330100-001";
  form.item_name = "个体工商户设立登记";
  form.unit = "11330100MB0000000X";
  form.unit_name = "杭州市市场监督管理局";
  form.channel = Channel::Qr;
  form.limits.comment_max = 300;
  Json j = FormToJson(form, Catalogue());
  EXPECT_EQ(j["channel"], "qr");
  EXPECT_EQ(j["online"], false);
  ASSERT_EQ(j["levels"].size(), 5u);
  EXPECT_EQ(j["levels"][0]["value"], 5);
  EXPECT_EQ(j["levels"][0]["zh"], "非常满意");
  EXPECT_EQ(j["levels"][4]["good"], false);
  EXPECT_EQ(j["limits"]["comment_max"], 300);
  for (const auto& r : j["reasons"]) EXPECT_NE(r["code"], "206") << "an online-only tag on a QR form";
  EXPECT_EQ(j["dimensions"].size(), 3u);

  auto back = FormFromJson(j);
  ASSERT_TRUE(back.ok()) << back.errors()[0].message_en;
  EXPECT_EQ(back->form.unit_name, form.unit_name);
  EXPECT_EQ(back->form.channel, Channel::Qr);
  EXPECT_EQ(back->form.limits.comment_max, 300);
  EXPECT_EQ(back->catalogue.version(), Catalogue().version());
  // The browser validates with the form's catalogue and gets the server's answer.
  RatingSubmission r;
  r.satisfaction = 1;
  r.reasons = {"210"};
  EXPECT_TRUE(ValidateRating(r, back->catalogue, back->form.limits, false).empty());
  r.reasons = {"206"};
  EXPECT_EQ(ValidateRating(r, back->catalogue, back->form.limits, false)[0].id, "rating.reason_unknown");
}

TEST(ErrorTable, EveryIdHasBothMessagesAndIsUnique) {
  std::set<std::string> seen;
  for (auto id : AllErrorIds()) {
    EXPECT_TRUE(seen.insert(std::string(id)).second) << id;
    Error e = MakeError(id, "", "X");
    EXPECT_NE(e.message, e.id) << id;
    EXPECT_NE(e.message_en, e.id) << id;
    EXPECT_EQ(e.message.find("{}"), std::string::npos) << id;
  }
}

TEST(Wire, AWrongTypedDimensionDoesNotHideAnotherDimensionsError) {
  auto body = ParseJson(R"({"satisfaction": 5, "dimensions": {"efficiency": "fast", "convenience": 9}})");
  ASSERT_TRUE(body.ok());
  const Errors errors = CheckRating(*body, ReasonCatalogue::Embedded().value(), RatingLimits{}, true);
  std::vector<std::string> fields;
  for (const auto& e : errors) fields.push_back(e.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "dimensions.efficiency"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "dimensions.convenience"), fields.end()) << "the out-of-range score is told too";
}

TEST(Wire, ALongClientDescriptionIsCutWithoutSplittingACharacter) {
  std::string client = "x";
  for (int i = 0; i < 100; ++i) client += "评";  // 1 + 300 bytes
  auto body = ParseJson(Json{{"satisfaction", 5}, {"client", client}}.dump());
  ASSERT_TRUE(body.ok());
  const DecodedRating decoded = DecodeRating(*body);
  EXPECT_LE(decoded.rating.client.size(), 200u);
  EXPECT_GE(decoded.rating.client.size(), 198u);
  EXPECT_TRUE(IsValidUtf8(decoded.rating.client));
}

}  // namespace
}  // namespace hcp
