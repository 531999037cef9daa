#include "hcp/monthly_report.h"

#include <gtest/gtest.h>

#include "report_fixture.h"

namespace hcp {
namespace {

using testing::D;
using testing::ReportFixture;

ReportOptions Options() {
  ReportOptions o;
  o.min_sample = 5;
  return o;
}

const ReportRow* Find(const std::vector<ReportRow>& rows, const std::string& key) {
  for (const auto& r : rows)
    if (r.key == key) return &r;
  return nullptr;
}

TEST(MonthlyReport, TotalsForTheMonthAreCountedByHand) {
  const auto records = ReportFixture();
  const PeriodReport rep = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), Options());
  EXPECT_EQ(rep.period, (Period{D("2026-03-01"), D("2026-03-31")}));
  EXPECT_EQ(rep.previous, (Period{D("2026-02-01"), D("2026-02-28")}));
  const ReportRow& t = rep.total;
  EXPECT_EQ(t.tally.Total(), 19);
  EXPECT_EQ(t.tally.Excluded(), 1);  // r15, appeal upheld
  EXPECT_EQ(t.tally.Defaults(), 2);
  EXPECT_EQ(GoodCount(t.tally), 14);
  EXPECT_EQ(BadCount(t.tally), 5);
  EXPECT_EQ(GoodRate(t.tally), (Rate{14, 19}));
  EXPECT_EQ(GoodRateExcludingDefaults(t.tally), (Rate{12, 17}));
  EXPECT_EQ(t.cases.ValidBad(), 3);         // r6, r7, r20
  EXPECT_EQ(t.cases.Rectified(), 2);        // r6, r7
  EXPECT_EQ(t.cases.RectifiedOnTime(), 1);  // r6
  EXPECT_EQ(RectifiedLate(t.cases), 1);     // r7
  EXPECT_EQ(t.cases.Overdue(), 2);          // r8 (return visit), r20 (rectification)
  EXPECT_EQ(t.cases.ClosedInvalid(), 1);    // r14
  EXPECT_EQ(t.pending, 1);                  // r8
  EXPECT_EQ(RectificationRate(t.cases), (Rate{2, 3}));
  ASSERT_TRUE(t.previous.has_value());
  EXPECT_EQ(t.previous->Total(), 15);
  EXPECT_EQ(GoodCount(*t.previous), 13);
}

TEST(MonthlyReport, UnitsAreRankedByGoodRateWithPreviousMonth) {
  const auto records = ReportFixture();
  const PeriodReport rep = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), Options());
  ASSERT_EQ(rep.units.size(), 3u);
  EXPECT_EQ(rep.units[0].key, "U2");  // 5/6
  EXPECT_EQ(rep.units[1].key, "U3");  // 4/5
  EXPECT_EQ(rep.units[2].key, "U1");  // 5/8
  EXPECT_EQ(rep.units[0].rank, 1);
  EXPECT_EQ(rep.units[1].rank, 2);
  EXPECT_EQ(rep.units[2].rank, 3);
  const ReportRow& u1 = rep.units[2];
  EXPECT_EQ(u1.tally.Total(), 8);
  EXPECT_EQ(GoodRate(u1.tally), (Rate{5, 8}));
  EXPECT_EQ(GoodRateExcludingDefaults(u1.tally), (Rate{4, 7}));
  EXPECT_EQ(u1.cases.ValidBad(), 2);
  EXPECT_EQ(u1.cases.Overdue(), 1);
  EXPECT_EQ(u1.pending, 1);
  ASSERT_TRUE(u1.previous.has_value());
  EXPECT_EQ(GoodRate(*u1.previous), (Rate{5, 6}));
  const ReportRow& u2 = rep.units[0];
  EXPECT_EQ(u2.tally.Total(), 6);
  EXPECT_EQ(u2.tally.Excluded(), 0);  // upheld appeals are counted apart in the total only
  EXPECT_EQ(u2.cases.ClosedInvalid(), 1);
  EXPECT_EQ(u2.previous->Total(), 4);
}

TEST(MonthlyReport, HallsAndWindowsWithSmallSamplesAreNotRanked) {
  const auto records = ReportFixture();
  const PeriodReport rep = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), Options());
  ASSERT_EQ(rep.halls.size(), 1u);
  EXPECT_EQ(rep.halls[0].key, "H1");
  EXPECT_EQ(GoodRate(rep.halls[0].tally), (Rate{10, 14}));
  EXPECT_EQ(rep.halls[0].previous->Total(), 10);
  ASSERT_EQ(rep.windows.size(), 3u);
  EXPECT_EQ(rep.windows[0].key, "H1/W3");
  EXPECT_EQ(rep.windows[0].rank, 1);
  EXPECT_EQ(rep.windows[1].key, "H1/W1");  // 4 ratings < 5
  EXPECT_EQ(rep.windows[1].rank, 0);
  EXPECT_EQ(rep.windows[2].key, "H1/W2");
  EXPECT_EQ(rep.windows[2].rank, 0);
  EXPECT_EQ(rep.windows[2].name, "市民中心 2号窗口");
  EXPECT_FALSE(rep.windows[2].previous.has_value());  // no rating at W2 in February
}

TEST(MonthlyReport, HallsAreNamedByTheConfiguredNames) {
  ReportOptions o = Options();
  o.hall_names = {{"H1", "上饶市民之家"}, {"H9", "未用"}};
  const PeriodReport rep = BuildMonthlyReport(ReportFixture(), 2026, 3, D("2026-04-03"), o);
  ASSERT_EQ(rep.halls.size(), 1u);
  EXPECT_EQ(rep.halls[0].key, "H1");
  EXPECT_EQ(rep.halls[0].name, "上饶市民之家");
  const ReportRow* w2 = Find(rep.windows, "H1/W2");
  ASSERT_TRUE(w2);
  EXPECT_EQ(w2->name, "上饶市民之家 2号窗口");
}

TEST(MonthlyReport, RepeatBadRuleFlagsManyInAMonthAndConsecutiveMonths) {
  const auto records = ReportFixture();
  const PeriodReport rep = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), Options());
  const ReportRow* u1 = Find(rep.units, "U1");
  const ReportRow* u2 = Find(rep.units, "U2");
  const ReportRow* u3 = Find(rep.units, "U3");
  ASSERT_TRUE(u1 && u2 && u3);
  EXPECT_EQ(u1->repeat_bad_count, 3);
  EXPECT_TRUE(u1->repeat_in_month);
  EXPECT_EQ(u1->repeat_consecutive, 0);  // February yes, January no
  // U2's only bad ratings were found invalid or taken out on appeal.
  EXPECT_EQ(u2->repeat_bad_count, 0);
  EXPECT_FALSE(u2->RepeatBad());
  EXPECT_EQ(u3->repeat_bad_count, 1);
  EXPECT_FALSE(u3->repeat_in_month);
  EXPECT_EQ(u3->repeat_consecutive, 3);  // January, February, March
}

TEST(MonthlyReport, RepeatBadRuleIsConfigurable) {
  const auto records = ReportFixture();
  ReportOptions o = Options();
  o.repeat.min_in_month = 4;
  o.repeat.consecutive_months = 0;
  o.repeat.count_invalid = true;
  const PeriodReport rep = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), o);
  EXPECT_FALSE(Find(rep.units, "U1")->RepeatBad());
  EXPECT_FALSE(Find(rep.units, "U3")->RepeatBad());
  EXPECT_EQ(Find(rep.units, "U2")->repeat_bad_count, 1);  // r14 now counts; r15 never does
  o.repeat.consecutive_months = 2;
  const PeriodReport two = BuildMonthlyReport(records, 2026, 3, D("2026-04-03"), o);
  EXPECT_EQ(Find(two.units, "U1")->repeat_consecutive, 2);
}

TEST(MonthlyReport, OverdueDependsOnTheDayTheReportIsMade) {
  const auto records = ReportFixture();
  // On 2026-03-31 r20's deadline is still running and r8's has not come.
  const PeriodReport early = BuildMonthlyReport(records, 2026, 3, D("2026-03-31"), Options());
  EXPECT_EQ(early.total.cases.Overdue(), 0);
  const PeriodReport later = BuildMonthlyReport(records, 2026, 3, D("2026-04-01"), Options());
  EXPECT_EQ(later.total.cases.Overdue(), 1);  // r20 only: r8 is due to the end of 04-01
}

TEST(MonthlyReport, UnitRowsAddUpToTheTotal) {
  // Every counted rating has exactly one unit, so unit rows must sum to the total row; halls and
  // windows cover only ratings made in a hall.
  const auto records = ReportFixture();
  for (int month : {1, 2, 3}) {
    const PeriodReport rep = BuildMonthlyReport(records, 2026, month, D("2026-04-03"), Options());
    long ratings = 0, good = 0, valid = 0, rectified = 0, overdue = 0, pending = 0;
    for (const auto& u : rep.units) {
      ratings += u.tally.Total();
      good += GoodCount(u.tally);
      valid += u.cases.ValidBad();
      rectified += u.cases.Rectified();
      overdue += u.cases.Overdue();
      pending += u.pending;
    }
    EXPECT_EQ(ratings, rep.total.tally.Total()) << month;
    EXPECT_EQ(good, GoodCount(rep.total.tally)) << month;
    EXPECT_EQ(valid, rep.total.cases.ValidBad()) << month;
    EXPECT_EQ(rectified, rep.total.cases.Rectified()) << month;
    EXPECT_EQ(overdue, rep.total.cases.Overdue()) << month;
    EXPECT_EQ(pending, rep.total.pending) << month;
    long in_windows = 0;
    for (const auto& w : rep.windows) in_windows += w.tally.Total();
    long in_halls = 0;
    for (const auto& h : rep.halls) in_halls += h.tally.Total();
    EXPECT_EQ(in_windows, in_halls) << month;  // every hall rating in the fixture is at a window
  }
}

TEST(MonthlyReport, OptionsAreValidated) {
  EXPECT_TRUE(ValidateReportOptions({}).empty());
  ReportOptions o;
  o.repeat.consecutive_months = 1;
  o.min_sample = -1;
  const Errors e = ValidateReportOptions(o);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].id, "report.config_invalid");
  EXPECT_EQ(e[1].field, "repeat.consecutive_months");
}

TEST(AnnualReport, CountsTheYearPerUnitAndMonthsFlagged) {
  const auto records = ReportFixture();
  const PeriodReport rep = BuildAnnualReport(records, 2026, D("2026-04-03"), Options());
  EXPECT_EQ(rep.period, (Period{D("2026-01-01"), D("2026-12-31")}));
  EXPECT_EQ(rep.total.tally.Total(), 19 + 15 + 1);
  const ReportRow* u3 = Find(rep.units, "U3");
  ASSERT_TRUE(u3);
  EXPECT_EQ(u3->tally.Total(), 11);
  EXPECT_EQ(GoodRate(u3->tally), (Rate{8, 11}));
  EXPECT_EQ(u3->cases.ValidBad(), 3);
  EXPECT_EQ(u3->cases.Rectified(), 1);
  EXPECT_EQ(u3->repeat_bad_count, 3);
  EXPECT_EQ(u3->repeat_months, 1);  // March only: three months in a row first reached then
  const ReportRow* u1 = Find(rep.units, "U1");
  EXPECT_EQ(u1->repeat_months, 1);  // March: three bad ratings
  EXPECT_FALSE(u1->previous.has_value());  // nothing in 2025
}

TEST(RatingRecord, RectifiedOnTheDeadlineDayIsOnTime) {
  RatingRecord r;
  r.level = Level::VeryDissatisfied;
  r.outcome = BadOutcome::Valid;
  r.deadline = D("2026-03-20");
  r.rectified_on = D("2026-03-20");
  EXPECT_TRUE(CaseFactsOf(r, D("2026-04-03")).rectified_on_time);
  r.rectified_on = D("2026-03-21");
  EXPECT_FALSE(CaseFactsOf(r, D("2026-04-03")).rectified_on_time);
  EXPECT_TRUE(CaseFactsOf(r, D("2026-04-03")).rectified);
  // Good ratings have no case, whatever the record says.
  r.level = Level::Basic;
  EXPECT_FALSE(CaseFactsOf(r, D("2026-04-03")).valid_bad);
}

TEST(RatingRecord, CaseStateFillsTheSnapshot) {
  // A case replayed by the machine and read back as a record agrees with the hand-filled one.
  const auto& cal = testing::ShippedCalendar();
  std::vector<CaseEvent> events = {
      {D("2026-03-05"), CaseActor::System, CaseAction::Open, {}},
      {D("2026-03-06"), CaseActor::Unit, CaseAction::ReturnVisit, {{"method", "phone"}, {"outcome", "valid"}}},
      {D("2026-03-18"), CaseActor::Unit, CaseAction::Rectify, {{"result", "已整改"}}},
      {D("2026-03-19"), CaseActor::Unit, CaseAction::Confirm, {{"method", "phone"}}},
  };
  auto state = Replay(events, CaseLimits{}, cal);
  ASSERT_TRUE(state.ok()) << state.errors()[0].id << " " << state.errors()[0].field;
  RatingRecord r;
  r.level = Level::Dissatisfied;
  ApplyCaseState(r, *state);
  EXPECT_EQ(r.outcome, BadOutcome::Valid);
  EXPECT_EQ(r.rectified_on, D("2026-03-18"));
  EXPECT_EQ(r.closed_on, D("2026-03-19"));
  // Visit on Fri 03-06, 10 working days after: 03-20.
  EXPECT_EQ(r.deadline, D("2026-03-20"));
  const CaseFacts c = CaseFactsOf(r, D("2026-04-03"));
  EXPECT_TRUE(c.valid_bad && c.rectified && c.rectified_on_time && !c.overdue);
}

}  // namespace
}  // namespace hcp
