#include "hcp/public_aggregate.h"

#include <gtest/gtest.h>

#include <tuple>

#include "report_fixture.h"

namespace hcp {
namespace {

using testing::D;

// The records summed into cells the way the centre's tables sum them (one cell per unit, hall,
// window and item; the close-days histogram), written independently of the code under test.
struct Aggregated {
  std::vector<AggregateCell> cells;
  std::map<int, long> close_days;
};
Aggregated Aggregate(const std::vector<RatingRecord>& records, const Period& period) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, AggregateCell> cells;
  Aggregated out;
  for (const RatingRecord& r : records) {
    if (!period.Contains(r.assessed_on)) continue;
    AggregateCell& c = cells[{r.unit, r.hall, r.window, r.item}];
    c.unit = r.unit;
    c.unit_name = r.unit_name;
    c.hall = r.hall;
    c.hall_name = r.hall_name;
    c.window = r.window;
    c.window_name = r.window_name;
    c.item = r.item;
    c.item_name = r.item_name;
    c.tally.Add(RatingFactsOf(r));
    CaseFacts f = CaseFactsOf(r, D("2999-12-31"));
    f.overdue = false;
    c.cases.Add(f);
    if (!r.appeal_upheld && IsBad(r.level) && r.outcome != BadOutcome::None && r.closed_on)
      ++out.close_days[testing::ShippedCalendar().WorkingDaysBetween(r.assessed_on, *r.closed_on).value];
  }
  for (auto& [k, c] : cells) out.cells.push_back(c);
  return out;
}

Json FromRecords(const std::vector<RatingRecord>& records, const Period& p, long min_sample) {
  PublicOptions o;
  o.min_sample = min_sample;
  return PublicFiguresToJson(ComputePublicFigures(records, p, D("2026-04-03"), testing::ShippedCalendar(), o));
}

Json FromCells(const std::vector<RatingRecord>& records, const Period& p, long min_sample) {
  PublicOptions o;
  o.min_sample = min_sample;
  const Aggregated a = Aggregate(records, p);
  return PublicFiguresToJson(PublicFiguresFromAggregates(a.cells, a.close_days, p, D("2026-04-03"), o));
}

TEST(PublicAggregate, SameFiguresAsFromTheRecords) {
  const auto records = testing::ReportFixture();
  for (long min_sample : {0L, 1L, 3L, 5L, 10L}) {
    for (const Period& p : {MonthPeriod(2026, 3), MonthPeriod(2026, 2), YearPeriod(2026), Period{D("2026-03-05"), D("2026-03-12")}}) {
      SCOPED_TRACE(p.first.ToString() + " " + std::to_string(min_sample));
      EXPECT_EQ(Dump(FromCells(records, p, min_sample), 1), Dump(FromRecords(records, p, min_sample), 1));
    }
  }
}

TEST(PublicAggregate, MarchHeadlineAsCountedByHand) {
  const Json j = FromCells(testing::ReportFixture(), MonthPeriod(2026, 3), 5);
  EXPECT_EQ(j["ratings"], 19);
  EXPECT_EQ(j["good_rate"]["display"], "73.7%");
  EXPECT_EQ(j["good_rate_excluding_defaults"]["display"], "70.6%");
  EXPECT_EQ(j["rectification_rate"]["display"], "样本不足");
  EXPECT_EQ(j["median_working_days_to_close"], nullptr);  // 3 closed < 5
  EXPECT_EQ(FromCells(testing::ReportFixture(), MonthPeriod(2026, 3), 3)["median_working_days_to_close"], "11");
}

TEST(PublicAggregate, MedianOfAHistogram) {
  EXPECT_EQ(MedianHalves({}), std::nullopt);
  EXPECT_EQ(MedianHalves({{7, 1}}), 14);
  EXPECT_EQ(MedianHalves({{3, 1}, {4, 1}}), 7);           // 3.5
  EXPECT_EQ(MedianHalves({{2, 2}, {9, 1}}), 4);           // 2 2 9
  EXPECT_EQ(MedianHalves({{1, 5}, {4, 0}, {8, 5}}), 9);   // 1×5, 8×5: (1 + 8) / 2
}

}  // namespace
}  // namespace hcp
