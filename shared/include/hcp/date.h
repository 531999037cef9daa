#pragma once
// A civil calendar date (proleptic Gregorian), no time zone. The core never reads a clock:
// "today" is always a parameter.
#include <compare>
#include <string>
#include <string_view>

#include "hcp/result.h"

namespace hcp {

enum class Weekday { Monday = 1, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };

class Date {
 public:
  constexpr Date() = default;
  // Unchecked: use Parse or IsValid for untrusted input.
  constexpr Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}

  // Strict "YYYY-MM-DD" (years 1900..2999); anything else is `date.invalid` on `field`.
  static Result<Date> Parse(std::string_view text, std::string field = "date");
  static bool IsValid(int year, int month, int day);
  static Date FromDayNumber(long days);  // days since 1970-01-01

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  long DayNumber() const;  // days since 1970-01-01
  Weekday weekday() const;
  bool IsWeekend() const { return weekday() >= Weekday::Saturday; }
  Date AddDays(long n) const { return FromDayNumber(DayNumber() + n); }
  std::string ToString() const;  // "YYYY-MM-DD"

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

}  // namespace hcp
