#include "hcp/date.h"

#include <cstdio>

namespace hcp {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool Date::IsValid(int year, int month, int day) {
  return year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Result<Date> Date::Parse(std::string_view text, std::string field) {
  auto digits = [&](size_t from, size_t count, int& out) {
    out = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, y) && digits(5, 2, m) &&
      digits(8, 2, d) && IsValid(y, m, d)) {
    return Date(y, m, d);
  }
  return MakeError("date.invalid", std::move(field), text.substr(0, 40));
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the whole proleptic calendar.
long Date::DayNumber() const {
  const int y = year_ - (month_ <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (month_ + (month_ > 2 ? -3 : 9)) + 2) / 5 + day_ - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date Date::FromDayNumber(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return Date(static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0)), m, d);
}

Weekday Date::weekday() const {
  // 1970-01-01 was a Thursday.
  const long n = DayNumber();
  const long mon0 = ((n + 3) % 7 + 7) % 7;  // 0 = Monday
  return static_cast<Weekday>(mon0 + 1);
}

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
  return buf;
}

}  // namespace hcp
