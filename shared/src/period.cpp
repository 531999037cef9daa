#include "hcp/period.h"

namespace hcp {

Period MonthPeriod(int year, int month) {
  const Date first(year, month, 1);
  const Date next = month == 12 ? Date(year + 1, 1, 1) : Date(year, month + 1, 1);
  return {first, next.AddDays(-1)};
}

Period YearPeriod(int year) { return {Date(year, 1, 1), Date(year, 12, 31)}; }

Result<Period> ParseMonth(std::string_view text, std::string field) {
  auto digits = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() == 7 && text[4] == '-') {
    const int year = digits(0, 4), month = digits(5, 2);
    if (year >= 1900 && year <= 2999 && month >= 1 && month <= 12) return MonthPeriod(year, month);
  }
  return MakeError("period.invalid", std::move(field), text.substr(0, 20));
}

Period PreviousMonth(const Period& p) {
  const Date d = p.first.AddDays(-1);
  return MonthPeriod(d.year(), d.month());
}

std::string MonthLabel(const Period& p) { return p.first.ToString().substr(0, 7); }

}  // namespace hcp
