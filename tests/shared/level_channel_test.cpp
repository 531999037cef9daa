#include <gtest/gtest.h>

#include "hcp/channel.h"
#include "hcp/level.h"

namespace hcp {
namespace {

TEST(Level, GoodAndBadSplitFollowsMoTArticle9) {
  EXPECT_TRUE(IsGood(Level::VerySatisfied));
  EXPECT_TRUE(IsGood(Level::Satisfied));
  EXPECT_TRUE(IsGood(Level::Basic));
  EXPECT_TRUE(IsBad(Level::Dissatisfied));
  EXPECT_TRUE(IsBad(Level::VeryDissatisfied));
}

TEST(Level, ConvertsToBothCodeDirectionsExplicitly) {
  EXPECT_EQ(ToCode(Level::VerySatisfied, CodeDirection::Deployed), 5);
  EXPECT_EQ(ToCode(Level::VerySatisfied, CodeDirection::Gbt39046), 1);
  EXPECT_EQ(ToCode(Level::VeryDissatisfied, CodeDirection::Gbt39046), 5);
  EXPECT_EQ(ToCode(Level::Basic, CodeDirection::Gbt39046), 3);
  EXPECT_EQ(*FromCode(1, CodeDirection::Gbt39046), Level::VerySatisfied);
  EXPECT_EQ(*FromCode(1, CodeDirection::Deployed), Level::VeryDissatisfied);
  EXPECT_EQ(*FromCode(4, CodeDirection::Gbt39046), Level::Dissatisfied);
  for (Level l : kAllLevels)
    for (auto dir : {CodeDirection::Deployed, CodeDirection::Gbt39046}) EXPECT_EQ(*FromCode(ToCode(l, dir), dir), l);
}

TEST(Level, RejectsCodesOutsideOneToFive) {
  for (int bad : {0, 6, -1}) {
    auto r = FromCode(bad, CodeDirection::Deployed);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.errors()[0].id, "level.code_out_of_range");
  }
  EXPECT_EQ(ParseCodeDirection("upward").errors()[0].id, "level.direction_unknown");
  EXPECT_EQ(*ParseCodeDirection("gbt39046"), CodeDirection::Gbt39046);
}

TEST(Level, HasChineseAndEnglishNames) {
  EXPECT_EQ(LevelName(Level::VerySatisfied, Lang::Zh), "非常满意");
  EXPECT_EQ(LevelName(Level::Basic, Lang::Zh), "基本满意");
  EXPECT_EQ(LevelName(Level::VeryDissatisfied, Lang::Zh), "非常不满意");
  EXPECT_EQ(LevelName(Level::Dissatisfied, Lang::En), "Dissatisfied");
}

TEST(Channel, RoundTripsWireNames) {
  for (Channel c : kAllChannels) EXPECT_EQ(*ParseChannel(ChannelKey(c)), c);
  EXPECT_EQ(ParseChannel("wechat").errors()[0].id, "channel.unknown");
}

TEST(Channel, SplitsOnlineFromOffline) {
  EXPECT_TRUE(IsOnline(Channel::Pc));
  EXPECT_TRUE(IsOnline(Channel::Mobile));
  EXPECT_FALSE(IsOnline(Channel::Qr));
  EXPECT_FALSE(IsOnline(Channel::Tablet));
  EXPECT_FALSE(IsOnline(Channel::Terminal));
  EXPECT_FALSE(IsOnline(Channel::Phone));
}

TEST(ChannelCodeTable, ZhejiangAndGbtPresetsDifferOnSixAndSeven) {
  auto zj = ChannelCodeTable::Zhejiang();
  auto gb = ChannelCodeTable::Gbt39046();
  EXPECT_EQ(*zj.Code(Channel::Pc), 1);
  EXPECT_EQ(*zj.Code(Channel::Terminal), 5);
  EXPECT_EQ(*zj.Code(Channel::Sms), 6);
  EXPECT_EQ(*zj.Code(Channel::SystemDefault), 7);
  EXPECT_EQ(*gb.Code(Channel::Phone), 6);
  EXPECT_EQ(*gb.Code(Channel::Sms), 7);
  EXPECT_EQ(zj.Code(Channel::Phone).errors()[0].id, "channel.code_unmapped");
  EXPECT_EQ(*zj.FromCode(7), Channel::SystemDefault);
  EXPECT_EQ(*gb.FromCode(7), Channel::Sms);
}

TEST(ChannelCodeTable, LoadsACustomTableFromConfiguration) {
  auto t = ChannelCodeTable::FromConfig(R"({"pc": 1, "mobile": 2, "phone": 8, "default": 9})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t->Code(Channel::Phone), 8);
  EXPECT_EQ(*t->Code(Channel::SystemDefault), 9);
  EXPECT_FALSE(t->Code(Channel::Qr).ok());
  EXPECT_EQ(ChannelCodeTable::FromConfig(R"({"pc": 1, "mobile": 1})").errors()[0].id, "channel.table_invalid");
  EXPECT_EQ(ChannelCodeTable::FromConfig(R"({"fax": 1})").errors()[0].id, "channel.table_invalid");
  EXPECT_EQ(ChannelCodeTable::FromConfig("henan").errors()[0].id, "channel.table_invalid");
  EXPECT_EQ(*ChannelCodeTable::FromConfig("gbt39046")->Code(Channel::Sms), 7);
}

TEST(EvaluatorKind, UsesUserPropCodes) {
  EXPECT_EQ(EvaluatorKindCode(*ParseEvaluatorKind("person")), 1);
  EXPECT_EQ(EvaluatorKindCode(*ParseEvaluatorKind("org")), 2);
  EXPECT_EQ(ParseEvaluatorKind("company").errors()[0].id, "evaluator.kind_unknown");
}

}  // namespace
}  // namespace hcp
