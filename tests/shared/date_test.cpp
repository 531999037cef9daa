#include "hcp/date.h"

#include <gtest/gtest.h>

namespace hcp {
namespace {

TEST(Date, ParsesStrictIsoDates) {
  auto d = Date::Parse("2026-02-28");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 2);
  EXPECT_EQ(d->day(), 28);
  EXPECT_EQ(d->ToString(), "2026-02-28");
}

TEST(Date, RejectsImpossibleAndSloppyDates) {
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-1", "20260101", "2026/01/01",
                          "", "2026-01-01T00:00", "１９９９-01-01", "1899-12-31", "3000-01-01"}) {
    auto d = Date::Parse(bad, "finished_at");
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.errors()[0].id, "date.invalid");
    EXPECT_EQ(d.errors()[0].field, "finished_at");
  }
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());  // leap year
  EXPECT_FALSE(Date::Parse("2100-02-29").ok());  // century, not leap
  EXPECT_TRUE(Date::Parse("2000-02-29").ok());   // 400-year leap
}

TEST(Date, DayNumbersRoundTripAcrossCenturies) {
  EXPECT_EQ(Date(1970, 1, 1).DayNumber(), 0);
  EXPECT_EQ(Date(2026, 11, 23).DayNumber(), 20780);
  for (long n = -25567; n < 40000; n += 97) EXPECT_EQ(Date::FromDayNumber(n).DayNumber(), n);
}

TEST(Date, KnowsWeekdays) {
  EXPECT_EQ(Date(2026, 11, 23).weekday(), Weekday::Monday);
  EXPECT_EQ(Date(2026, 10, 10).weekday(), Weekday::Saturday);
  EXPECT_EQ(Date(1970, 1, 1).weekday(), Weekday::Thursday);
  EXPECT_TRUE(Date(2026, 9, 20).IsWeekend());
  EXPECT_FALSE(Date(2026, 9, 18).IsWeekend());
}

TEST(Date, AddsDaysOverMonthAndYearEnds) {
  EXPECT_EQ(Date(2025, 12, 31).AddDays(1).ToString(), "2026-01-01");
  EXPECT_EQ(Date(2024, 2, 28).AddDays(1).ToString(), "2024-02-29");
  EXPECT_EQ(Date(2026, 3, 1).AddDays(-1).ToString(), "2026-02-28");
  EXPECT_LT(Date(2026, 1, 31), Date(2026, 2, 1));
}

}  // namespace
}  // namespace hcp
