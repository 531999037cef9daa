#include "hcp/catalogue.h"

#include <gtest/gtest.h>

namespace hcp {
namespace {

TEST(ReasonCatalogue, DefaultShipsTagsForEveryLevelOnBothKindsOfChannel) {
  auto cat = ReasonCatalogue::Embedded();
  ASSERT_TRUE(cat.ok()) << cat.errors()[0].message_en;
  EXPECT_FALSE(cat->version().empty());
  for (Level l : kAllLevels) {
    EXPECT_FALSE(cat->For(l, true).empty()) << static_cast<int>(l);
    EXPECT_FALSE(cat->For(l, false).empty()) << static_cast<int>(l);
  }
  const Reason* slow = cat->Find("203");
  ASSERT_NE(slow, nullptr);
  EXPECT_EQ(slow->zh, "办理时间长或超时办结");
  EXPECT_TRUE(slow->Fits(Level::VeryDissatisfied));
  EXPECT_FALSE(slow->Fits(Level::Satisfied));
  EXPECT_EQ(cat->DimensionsFor(true).size(), 4u);   // 办事效率, 办事指南精确度, 办事便捷度, 平台操作性
  EXPECT_EQ(cat->DimensionsFor(false).size(), 3u);  // 服务效率, 服务水平, 服务态度
}

TEST(ReasonCatalogue, FiltersByChannelKind) {
  auto cat = ReasonCatalogue::Embedded();
  auto has = [](const std::vector<const Reason*>& list, const char* code) {
    for (auto* r : list)
      if (r->code == code) return true;
    return false;
  };
  EXPECT_TRUE(has(cat->For(Level::Dissatisfied, false), "210"));   // 排队等候时间长: only in the hall
  EXPECT_FALSE(has(cat->For(Level::Dissatisfied, true), "210"));
  EXPECT_TRUE(has(cat->For(Level::Dissatisfied, true), "206"));    // 平台操作复杂: only online
  EXPECT_FALSE(has(cat->For(Level::Dissatisfied, false), "206"));
}

TEST(ReasonCatalogue, LoadsAnotherVersion) {
  auto cat = ReasonCatalogue::Parse(R"({"version": "zj-2020", "reasons": [
      {"code": "001", "zh": "态度差", "en": "Rude", "levels": [1]}]})");
  ASSERT_TRUE(cat.ok());
  EXPECT_EQ(cat->version(), "zj-2020");
  EXPECT_TRUE(cat->Find("001")->online);
  EXPECT_TRUE(cat->Find("001")->offline);
  EXPECT_TRUE(cat->dimensions().empty());
}

TEST(ReasonCatalogue, SaysWhatIsWrongWithABadFile) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {"{", "not a JSON object"},
      {R"({"reasons": []})", "version"},
      {R"({"version": "v", "reasons": [{"code": "12", "zh": "a", "en": "a", "levels": [1]}]})", "3-digit"},
      {R"({"version": "v", "reasons": [{"code": "120", "zh": "a", "levels": [1]}]})", "\"en\""},
      {R"({"version": "v", "reasons": [{"code": "120", "zh": "a", "en": "a", "levels": [6]}]})", "levels"},
      {R"({"version": "v", "reasons": [{"code": "120", "zh": "a", "en": "a", "levels": []}]})", "levels"},
      {R"({"version": "v", "reasons": [{"code": "120", "zh": "a", "en": "a", "levels": [1]},
                                       {"code": "120", "zh": "b", "en": "b", "levels": [2]}]})", "twice"},
      {R"({"version": "v", "reasons": [{"code": "120", "zh": "a", "en": "a", "levels": [1], "online": "yes"}]})", "true or false"},
  };
  for (const auto& c : cases) {
    auto r = ReasonCatalogue::Parse(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.errors()[0].id, "catalogue.invalid");
    EXPECT_NE(r.errors()[0].message_en.find(c.says), std::string::npos) << r.errors()[0].message_en;
  }
}

}  // namespace
}  // namespace hcp
