#include "hcp/default_rating.h"

#include <gtest/gtest.h>

#include <string_view>

namespace hcp {
namespace {

// The State Council's 2026 notice, as the tests' own copy.
constexpr std::string_view k2026 = R"({
  "year": 2026, "notice": "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）",
  "holidays": [
    {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"},
    {"name": "春节", "from": "2026-02-15", "to": "2026-02-23"},
    {"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"},
    {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05"},
    {"name": "端午节", "from": "2026-06-19", "to": "2026-06-21"},
    {"name": "中秋节", "from": "2026-09-25", "to": "2026-09-27"},
    {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07"}],
  "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]})";

const WorkingCalendar& Cal() {
  static const WorkingCalendar cal = [] {
    WorkingCalendar c;
    auto year = WorkingCalendar::ParseYear(k2026);
    EXPECT_TRUE(year.ok());
    if (year) c.Put(year.value());
    return c;
  }();
  return cal;
}

Date D(std::string_view text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d ? *d : Date();
}

bool Applies(std::string_view finished, std::string_view today, bool rated = false, DefaultRatingRule rule = {}) {
  auto r = DefaultRatingApplies(D(finished), D(today), rated, rule, Cal());
  EXPECT_TRUE(r.ok());
  return r.ok() && r->value;
}

TEST(DefaultRating, IsBasicallySatisfiedWhichIsCodeThree) {
  EXPECT_EQ(kDefaultRatingLevel, Level::Basic);
  EXPECT_EQ(static_cast<int>(kDefaultRatingLevel), 3);
  EXPECT_EQ(DefaultRatingRule{}.days, 5);
  EXPECT_EQ(DefaultRatingRule{}.count, DayCount::Working);
}

TEST(DefaultRating, DueFiveWorkingDaysAfterFinishingSkippingNationalDayAndCountingTheMakeUpSaturday) {
  auto due = DefaultRatingDue(D("2026-09-30"), {}, Cal());
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->value, D("2026-10-13"));  // Oct 8, 9, 10 (调休上班), 12, 13
  EXPECT_TRUE(due->exact());
}

TEST(DefaultRating, CaseFinishedOnAHolidayCountsFromTheFirstWorkingDayAfter) {
  auto due = DefaultRatingDue(D("2026-02-15"), {}, Cal());
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->value, D("2026-02-28"));  // Feb 24–27 and the make-up Saturday Feb 28
}

TEST(DefaultRating, AppliesOnlyOnceTheWholeDueDayHasPassed) {
  EXPECT_FALSE(Applies("2026-09-30", "2026-10-12"));
  EXPECT_FALSE(Applies("2026-09-30", "2026-10-13"));
  EXPECT_TRUE(Applies("2026-09-30", "2026-10-14"));
}

TEST(DefaultRating, NeverAppliesToARatedCase) {
  EXPECT_FALSE(Applies("2026-09-30", "2026-12-31", /*rated=*/true));
}

TEST(DefaultRating, NaturalDayRuleCountsCalendarDays) {
  const DefaultRatingRule guangdong{7, DayCount::Natural};
  auto due = DefaultRatingDue(D("2026-09-30"), guangdong, Cal());
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->value, D("2026-10-07"));
  EXPECT_FALSE(Applies("2026-09-30", "2026-10-07", false, guangdong));
  EXPECT_TRUE(Applies("2026-09-30", "2026-10-08", false, guangdong));
}

TEST(DefaultRating, YearWithoutCalendarDataIsReportedAsAssumed) {
  auto r = DefaultRatingApplies(D("2027-03-01"), D("2027-03-09"), false, {}, Cal());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->value);  // Mon Mar 1 + 5 → Mon Mar 8
  EXPECT_EQ(r->assumed_years, (std::vector<int>{2027}));
}

TEST(DefaultRating, NonPositiveOrHugePeriodIsAConfigurationError) {
  for (int days : {0, -5, WorkingCalendar::kMaxSpan + 1}) {
    auto r = DefaultRatingApplies(D("2026-09-30"), D("2026-10-14"), false, {days, DayCount::Working}, Cal());
    ASSERT_FALSE(r.ok()) << days;
    EXPECT_EQ(r.errors()[0].id, "default_rating.config_invalid");
    EXPECT_EQ(r.errors()[0].field, "days");
  }
  EXPECT_TRUE(ValidateDefaultRatingRule({}).empty());
}

}  // namespace
}  // namespace hcp
