#pragma once
// The working-day calendar (DOMAIN.md §3). Data, one JSON file per year, citing its State
// Council notice: holidays and make-up working days (调休上班). "N 个工作日内" counts working days
// *after* the day of the event. A year without data falls back to Monday–Friday, and every answer
// says which years were guessed that way, so a caller can warn: never a silent guess.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/date.h"
#include "hcp/result.h"

namespace hcp {

struct CalendarYear {
  int year = 0;
  std::string notice;            // the notice the data comes from
  std::vector<Date> holidays;    // days off that would otherwise be working days (and weekend days off)
  std::vector<Date> workdays;    // make-up working days, always a Saturday or Sunday
};

// An answer plus the years it had to assume Monday–Friday for (empty when exact).
template <class T>
struct CalendarAnswer {
  T value{};
  std::vector<int> assumed_years;

  bool exact() const { return assumed_years.empty(); }
  // One `calendar.year_unknown` warning per assumed year.
  Errors Warnings() const {
    Errors out;
    for (int y : assumed_years) out.push_back(MakeError("calendar.year_unknown", "", std::to_string(y)));
    return out;
  }
};

class WorkingCalendar {
 public:
  static constexpr int kMaxSpan = 3660;  // working days; beyond is a caller's bug, not a deadline

  WorkingCalendar() = default;  // no year data: everything is a Monday–Friday fallback

  // Parses one year's file; `calendar.data_invalid` says what is wrong.
  static Result<CalendarYear> ParseYear(std::string_view json_text);
  // The years shipped with haochaping (shared/data/calendar), compiled in.
  static Result<WorkingCalendar> Embedded();

  // Adds or replaces a year (a newer notice wins).
  void Put(CalendarYear year);
  bool HasYear(int year) const { return years_.count(year) != 0; }
  std::vector<int> Years() const;
  const CalendarYear* Year(int year) const;

  CalendarAnswer<bool> IsWorkingDay(Date d) const;
  // The n-th working day after `from` (n > 0), or before it (n < 0); n == 0 gives `from`.
  // |n| > kMaxSpan is `calendar.range`.
  Result<CalendarAnswer<Date>> AddWorkingDays(Date from, int n) const;
  // Working days after `a` up to and including `b`; negative when b is before a.
  CalendarAnswer<int> WorkingDaysBetween(Date a, Date b) const;

 private:
  struct Exceptions {
    std::vector<long> off;   // sorted day numbers
    std::vector<long> work;  // sorted day numbers
  };
  bool Working(Date d, std::vector<int>& assumed) const;

  std::map<int, CalendarYear> years_;
  std::map<int, Exceptions> index_;
};

}  // namespace hcp
