#include "hcp/public_figures.h"

#include <gtest/gtest.h>

#include "report_fixture.h"

namespace hcp {
namespace {

using testing::D;

PublicFigures March(long min_sample = 5) {
  static const auto records = testing::ReportFixture();
  PublicOptions o;
  o.min_sample = min_sample;
  return ComputePublicFigures(records, MonthPeriod(2026, 3), D("2026-04-03"), testing::ShippedCalendar(), o);
}

TEST(PublicFigures, HeadlineFiguresAreCountedByHand) {
  const PublicFigures f = March();
  EXPECT_EQ(f.tally.Total(), 19);
  EXPECT_EQ(BadCount(f.tally), 5);
  EXPECT_EQ(GoodRate(f.tally), (Rate{14, 19}));
  EXPECT_EQ(GoodRateExcludingDefaults(f.tally), (Rate{12, 17}));
  EXPECT_EQ(RectificationRate(f.cases), (Rate{2, 3}));
  EXPECT_EQ(OnTimeRate(f.cases), (Rate{1, 2}));
}

TEST(PublicFigures, MedianWorkingDaysToCloseCountsWorkingDaysAfterTheRating) {
  const PublicFigures f = March();
  // r6 03-05 → 03-19: 10; r14 03-12 → 03-27: 11; r7 03-10 → 03-31: 15. Median 11.
  EXPECT_EQ(f.closed_cases, 3);
  EXPECT_EQ(f.median_close_halves, 22);
  EXPECT_TRUE(f.assumed_years.empty());
}

TEST(PublicFigures, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  auto records = testing::ReportFixture();
  RatingRecord r = records[5];  // r6
  r.id = "extra";
  r.assessed_on = D("2026-03-02");
  r.closed_on = D("2026-03-30");  // 20 working days after Mon 03-02
  records.push_back(r);
  const PublicFigures f = ComputePublicFigures(records, MonthPeriod(2026, 3), D("2026-04-03"), testing::ShippedCalendar());
  // 10, 11, 15, 20 → (11 + 15) / 2 = 13.
  EXPECT_EQ(f.median_close_halves, 26);
  records.back().closed_on = D("2026-03-31");  // 21 working days
  records[6].closed_on = D("2026-04-01");      // r7: 16 working days after 03-10
  const PublicFigures g = ComputePublicFigures(records, MonthPeriod(2026, 3), D("2026-04-03"), testing::ShippedCalendar());
  EXPECT_EQ(g.median_close_halves, 27);  // (11 + 16) / 2 = 13.5
  EXPECT_EQ(FormatHalves(*g.median_close_halves), "13.5");
}

TEST(PublicFigures, HotItemsAreTheMostRatedByCitizens) {
  const PublicFigures f = March();
  ASSERT_EQ(f.hot_items.size(), 4u);
  EXPECT_EQ(f.hot_items[0].item, "T3");  // 5 (r13 default and r15 upheld appeal not counted)
  EXPECT_EQ(f.hot_items[0].ratings, 5);
  EXPECT_EQ(f.hot_items[1].item, "T4");  // 5, after T3 by item code
  EXPECT_EQ(f.hot_items[2].item, "T2");
  EXPECT_EQ(f.hot_items[2].ratings, 4);
  EXPECT_EQ(f.hot_items[3].item, "T1");
  EXPECT_EQ(f.hot_items[3].ratings, 3);
  PublicOptions o;
  o.hot_items = 2;
  o.hot_items_count_defaults = true;
  static const auto records = testing::ReportFixture();
  const PublicFigures g = ComputePublicFigures(records, MonthPeriod(2026, 3), D("2026-04-03"), testing::ShippedCalendar(), o);
  ASSERT_EQ(g.hot_items.size(), 2u);
  EXPECT_EQ(g.hot_items[0].item, "T3");
  EXPECT_EQ(g.hot_items[0].ratings, 6);
}

TEST(PublicFigures, RankingsShareRanksOnEqualRates) {
  std::vector<RankedGroup> g(4);
  auto fill = [](RankedGroup& x, const char* key, int good, int bad) {
    x.key = key;
    for (int i = 0; i < good; ++i) x.tally.Add({Level::Satisfied, false, false});
    for (int i = 0; i < bad; ++i) x.tally.Add({Level::Dissatisfied, false, false});
  };
  fill(g[0], "a", 9, 1);   // 90 %
  fill(g[1], "b", 18, 2);  // 90 %, more ratings: listed first
  fill(g[2], "c", 10, 0);  // 100 %
  fill(g[3], "d", 3, 0);   // too few
  RankGroups(g, 5);
  EXPECT_EQ(g[0].key, "c");
  EXPECT_EQ(g[0].rank, 1);
  EXPECT_EQ(g[1].key, "b");
  EXPECT_EQ(g[1].rank, 2);
  EXPECT_EQ(g[2].key, "a");
  EXPECT_EQ(g[2].rank, 2);
  EXPECT_EQ(g[3].key, "d");
  EXPECT_EQ(g[3].rank, 0);
}

TEST(PublicFigures, JsonSuppressesSmallSamples) {
  const Json j = PublicFiguresToJson(March());
  EXPECT_EQ(j["ratings"], 19);
  EXPECT_EQ(j["good_rate"]["display"], "73.7%");
  EXPECT_EQ(j["good_rate_excluding_defaults"]["display"], "70.6%");
  EXPECT_EQ(j["rectification_rate"]["display"], "样本不足");
  EXPECT_TRUE(j["rectification_rate"]["numerator"].is_null());
  EXPECT_EQ(j["median_display"], "样本不足");
  EXPECT_TRUE(j["median_working_days_to_close"].is_null());
  EXPECT_EQ(j["units"][0]["key"], "U2");
  EXPECT_EQ(j["units"][0]["rank"], 1);
  const Json k = PublicFiguresToJson(March(3));
  EXPECT_EQ(k["rectification_rate"]["display"], "66.7%");
  EXPECT_EQ(k["median_working_days_to_close"], "11");
  const Json d = PublicFiguresToJson(March(kDefaultMinSample));
  EXPECT_EQ(d["good_rate"]["display"], "73.7%");  // 19 ≥ 10
  EXPECT_EQ(d["units"][0]["good_rate"]["display"], "样本不足");  // 6 < 10
  EXPECT_TRUE(d["units"][0]["rank"].is_null());
}

TEST(PublishedBadRatings, OnlyPublicOnesMaskedNewestFirst) {
  const auto records = testing::ReportFixture();
  const auto list = PublishBadRatings(records, MonthPeriod(2026, 3), D("2026-04-03"));
  ASSERT_EQ(list.size(), 4u);  // r8 is not public; r15's appeal was upheld
  EXPECT_EQ(list[0].id, "r20");
  EXPECT_EQ(list[0].status, "overdue");
  EXPECT_EQ(list[0].evaluator, "李*");
  EXPECT_EQ(list[1].id, "r14");
  EXPECT_EQ(list[1].comment, "身份证33**************34办不了");
  EXPECT_EQ(list[1].evaluator, "欧阳**");
  EXPECT_EQ(list[1].status, "invalid");
  EXPECT_EQ(list[2].id, "r7");
  EXPECT_EQ(list[2].comment, "邮箱 z***@163.com，车牌浙A*****");
  EXPECT_EQ(list[2].evaluator, "杭州***有限公司");
  EXPECT_EQ(list[2].status, "rectified");
  EXPECT_EQ(list[3].id, "r6");
  EXPECT_EQ(list[3].comment, "办事员态度差，我的电话138****5678，请回电");
  EXPECT_EQ(list[3].evaluator, "张**");
  const Json j = PublishedBadRatingsToJson(list);
  EXPECT_EQ(j[2]["status_name"], "已整改");
  EXPECT_EQ(j[0]["satisfaction"], 2);
  EXPECT_EQ(Dump(j).find("13812345678"), std::string::npos);
  EXPECT_EQ(Dump(j).find("王小明"), std::string::npos);
}

}  // namespace
}  // namespace hcp
