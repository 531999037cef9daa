#pragma once
// A reporting period: whole days, both ends included. Reports are monthly (SR 第十四条: 按月通报)
// and annual (MoT 第十七条: 年度考核); public figures may use any range.
#include <string>
#include <string_view>

#include "hcp/date.h"
#include "hcp/result.h"

namespace hcp {

struct Period {
  Date first;
  Date last;  // inclusive

  bool Contains(Date d) const { return first <= d && d <= last; }
  friend bool operator==(const Period&, const Period&) = default;
};

Period MonthPeriod(int year, int month);  // unchecked: month 1..12
Period YearPeriod(int year);
// "YYYY-MM" (years 1900..2999), as `hcp sample --month` takes it; `period.invalid` otherwise.
Result<Period> ParseMonth(std::string_view text, std::string field = "month");
// The calendar month before the one that starts `p` (January → December of the year before).
Period PreviousMonth(const Period& p);
std::string MonthLabel(const Period& p);  // "2026-03"

}  // namespace hcp
