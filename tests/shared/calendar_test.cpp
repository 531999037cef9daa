#include "hcp/calendar.h"

#include <gtest/gtest.h>

#include "test_calendars.h"

namespace hcp {
namespace {

using testing::D;
using testing::ShippedCalendar;

TEST(WorkingCalendar, ShipsTheYearsWithTheirNotices) {
  const auto& cal = ShippedCalendar();
  for (int y : {2024, 2025, 2026}) {
    ASSERT_TRUE(cal.HasYear(y)) << y;
    EXPECT_NE(cal.Year(y)->notice.find("国务院办公厅"), std::string::npos) << y;
  }
}

TEST(WorkingCalendar, AddWorkingDaysSkipsNationalDayHoliday) {
  // Pushed on the last working day before 国庆: Oct 1-7 off, Oct 8 and 9 are the two days.
  auto r = ShippedCalendar().AddWorkingDays(D("2026-09-30"), 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value.ToString(), "2026-10-09");
  EXPECT_TRUE(r->exact());
}

TEST(WorkingCalendar, AddWorkingDaysCountsMakeUpSaturday) {
  // Oct 9 (Fri) + 1 working day is Sat Oct 10, a make-up working day in 2026.
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2026-10-09"), 1)->value.ToString(), "2026-10-10");
  // 2025: Sep 26 (Fri) + 1 is Sun Sep 28, a make-up working day.
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2025-09-26"), 1)->value.ToString(), "2025-09-28");
}

TEST(WorkingCalendar, AddWorkingDaysSpansSpringFestival) {
  // 2026: Feb 14 (Sat) is a make-up day, Feb 15-23 off, Feb 28 (Sat) make-up.
  const auto& cal = ShippedCalendar();
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 1)->value.ToString(), "2026-02-14");
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 2)->value.ToString(), "2026-02-24");
  EXPECT_EQ(cal.AddWorkingDays(D("2026-02-13"), 10)->value.ToString(), "2026-03-05");
  // 2025: Jan 28 - Feb 4 off, Jan 26 (Sun) and Feb 8 (Sat) worked.
  EXPECT_EQ(cal.AddWorkingDays(D("2025-01-24"), 1)->value.ToString(), "2025-01-26");
  EXPECT_EQ(cal.AddWorkingDays(D("2025-01-26"), 2)->value.ToString(), "2025-02-05");
  EXPECT_EQ(cal.AddWorkingDays(D("2025-02-07"), 1)->value.ToString(), "2025-02-08");
}

TEST(WorkingCalendar, DeadlineStartingOnAHolidayCountsFromTheNextWorkingDay) {
  // A to-do pushed during the Labour Day holiday: the 2 days are May 6 and 7.
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2026-05-02"), 2)->value.ToString(), "2026-05-07");
  // Pushed on a Sunday before a normal week.
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2026-11-22"), 2)->value.ToString(), "2026-11-24");
}

TEST(WorkingCalendar, CrossesTheYearBoundary) {
  // 2025-12-31 (Wed) + 1: Jan 1-3 2026 off, Jan 4 (Sun) is a make-up working day.
  const auto& cal = ShippedCalendar();
  EXPECT_EQ(cal.AddWorkingDays(D("2025-12-31"), 1)->value.ToString(), "2026-01-04");
  EXPECT_EQ(cal.AddWorkingDays(D("2025-12-31"), 2)->value.ToString(), "2026-01-05");
  EXPECT_EQ(cal.WorkingDaysBetween(D("2025-12-30"), D("2026-01-05")).value, 3);  // 31, Jan 4, Jan 5
  // 2024-12-31 + 1: Jan 1 2025 off.
  EXPECT_EQ(cal.AddWorkingDays(D("2024-12-31"), 1)->value.ToString(), "2025-01-02");
}

TEST(WorkingCalendar, IsWorkingDayKnowsHolidaysMakeUpDaysAndWeekends) {
  const auto& cal = ShippedCalendar();
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-10-01")).value);  // 国庆
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-06-19")).value);  // 端午, a Friday
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-10-10")).value);   // make-up Saturday
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-09-20")).value);   // make-up Sunday
  EXPECT_FALSE(cal.IsWorkingDay(D("2026-11-21")).value);  // ordinary Saturday
  EXPECT_TRUE(cal.IsWorkingDay(D("2026-11-23")).value);   // ordinary Monday
  EXPECT_FALSE(cal.IsWorkingDay(D("2025-10-08")).value);  // 2025's 8-day 国庆/中秋
  EXPECT_TRUE(cal.IsWorkingDay(D("2025-10-11")).value);
  EXPECT_TRUE(cal.IsWorkingDay(D("2024-02-18")).value);   // 2024 make-up Sunday
}

TEST(WorkingCalendar, WorkingDaysBetweenCountsAfterTheFirstDayThroughTheLast) {
  const auto& cal = ShippedCalendar();
  EXPECT_EQ(cal.WorkingDaysBetween(D("2026-09-30"), D("2026-10-09")).value, 2);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2026-11-23"), D("2026-11-23")).value, 0);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2026-11-20"), D("2026-11-23")).value, 1);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2026-10-09"), D("2026-09-30")).value, -2);
  // Consistent with AddWorkingDays everywhere in a year.
  for (Date d = D("2026-01-01"); d < D("2027-01-01"); d = d.AddDays(1)) {
    auto due = cal.AddWorkingDays(d, 10);
    ASSERT_TRUE(due.ok());
    EXPECT_EQ(cal.WorkingDaysBetween(d, due->value).value, 10) << d.ToString();
  }
}

TEST(WorkingCalendar, CountsBackwards) {
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2026-10-09"), -2)->value.ToString(), "2026-09-30");
  EXPECT_EQ(ShippedCalendar().AddWorkingDays(D("2026-10-09"), 0)->value.ToString(), "2026-10-09");
}

TEST(WorkingCalendar, YearWithoutDataFallsBackToWeekdaysAndSaysSo) {
  const auto& cal = ShippedCalendar();
  auto r = cal.AddWorkingDays(D("2027-09-30"), 2);  // Thursday
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value.ToString(), "2027-10-04");  // Mon–Fri only: no 国庆 known for 2027
  ASSERT_FALSE(r->exact());
  EXPECT_EQ(r->assumed_years, std::vector<int>{2027});
  ASSERT_EQ(r->Warnings().size(), 1u);
  EXPECT_EQ(r->Warnings()[0].id, "calendar.year_unknown");
  EXPECT_NE(r->Warnings()[0].message.find("2027"), std::string::npos);
  auto w = cal.IsWorkingDay(D("2023-10-02"));
  EXPECT_TRUE(w.value);
  EXPECT_FALSE(w.exact());
  // A span that only touches known years stays exact.
  EXPECT_TRUE(cal.WorkingDaysBetween(D("2024-01-01"), D("2026-12-31")).exact());
  EXPECT_FALSE(cal.WorkingDaysBetween(D("2026-12-01"), D("2027-01-05")).exact());
}

TEST(WorkingCalendar, RefusesAbsurdSpans) {
  auto r = ShippedCalendar().AddWorkingDays(D("2026-01-01"), WorkingCalendar::kMaxSpan + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors()[0].id, "calendar.range");
}

TEST(WorkingCalendar, ALoadedYearReplacesTheShippedOne) {
  WorkingCalendar cal = ShippedCalendar();
  auto y = WorkingCalendar::ParseYear(
      R"({"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
          "holidays": [{"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"}],
          "workdays": ["2027-09-26"]})");
  ASSERT_TRUE(y.ok()) << y.errors()[0].message_en;
  cal.Put(std::move(y).value());
  auto r = cal.AddWorkingDays(D("2027-09-30"), 2);
  EXPECT_TRUE(r->exact());
  EXPECT_EQ(r->value.ToString(), "2027-10-11");
  EXPECT_TRUE(cal.IsWorkingDay(D("2027-09-26")).value);
}

TEST(WorkingCalendar, RejectsBadYearData) {
  struct Case {
    const char* json;
    const char* says;
  } cases[] = {
      {"[]", "not a JSON object"},
      {R"({"year": 2027, "holidays": [], "workdays": []})", "notice"},
      {R"({"year": 2027, "notice": "n", "holidays": [{"from": "2026-10-01", "to": "2026-10-02"}], "workdays": []})", "outside the year"},
      {R"({"year": 2027, "notice": "n", "holidays": [], "workdays": ["2027-09-28"]})", "not a Saturday or Sunday"},
      {R"({"year": 2027, "notice": "n", "holidays": [{"from": "2027-10-05", "to": "2027-10-01"}], "workdays": []})", "ends before"},
      {R"({"year": 2027, "notice": "n", "holidays": [{"from": "2027-10-02", "to": "2027-10-03"}], "workdays": ["2027-10-02"]})", "both"},
      {R"({"year": 2027, "notice": "n", "holidays": [{"from": "2027-02-30", "to": "2027-03-01"}], "workdays": []})", "not a date"},
  };
  for (const auto& c : cases) {
    auto r = WorkingCalendar::ParseYear(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.errors()[0].id, "calendar.data_invalid");
    EXPECT_NE(r.errors()[0].message_en.find(c.says), std::string::npos) << r.errors()[0].message_en;
  }
}

TEST(WorkingCalendar, ShippedYearsMatchTheNoticesDayCounts) {
  // Working days per year, counted from the notices: a check that no holiday range was mistyped.
  const auto& cal = ShippedCalendar();
  EXPECT_EQ(cal.WorkingDaysBetween(D("2023-12-31"), D("2024-12-31")).value, 251);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2024-12-31"), D("2025-12-31")).value, 248);
  EXPECT_EQ(cal.WorkingDaysBetween(D("2025-12-31"), D("2026-12-31")).value, 248);
}

}  // namespace
}  // namespace hcp
