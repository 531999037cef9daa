#include "hcp/calendar.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "hcp/embedded_data.h"

namespace hcp {
namespace {

using nlohmann::json;

Error DataError(std::string_view what) { return MakeError("calendar.data_invalid", "", what); }

Result<Date> ParseDay(const json& v, int year, std::string_view what) {
  if (!v.is_string()) return DataError(std::string(what) + " must be a YYYY-MM-DD string");
  auto d = Date::Parse(v.get<std::string>());
  if (!d) return DataError(std::string(what) + " is not a date: " + v.get<std::string>());
  if (d->year() != year) return DataError(std::string(what) + " is outside the year: " + d->ToString());
  return d;
}

bool Contains(const std::vector<long>& sorted, long n) {
  return std::binary_search(sorted.begin(), sorted.end(), n);
}

}  // namespace

Result<CalendarYear> WorkingCalendar::ParseYear(std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return DataError("not a JSON object");
  CalendarYear out;
  if (!doc.contains("year") || !doc["year"].is_number_integer()) return DataError("\"year\" must be a number");
  out.year = doc["year"].get<int>();
  if (out.year < 1900 || out.year > 2999) return DataError("\"year\" out of range");
  // Every year's data must say where it comes from: a calendar nobody can check is a guess.
  if (!doc.contains("notice") || !doc["notice"].is_string() || doc["notice"].get<std::string>().empty())
    return DataError("\"notice\" must cite the State Council notice");
  out.notice = doc["notice"].get<std::string>();

  if (!doc.contains("holidays") || !doc["holidays"].is_array()) return DataError("\"holidays\" must be a list");
  for (const auto& h : doc["holidays"]) {
    if (!h.is_object() || !h.contains("from") || !h.contains("to")) return DataError("a holiday needs \"from\" and \"to\"");
    auto from = ParseDay(h["from"], out.year, "holiday \"from\"");
    if (!from) return from.errors();
    auto to = ParseDay(h["to"], out.year, "holiday \"to\"");
    if (!to) return to.errors();
    if (*to < *from) return DataError("holiday ends before it starts: " + from->ToString());
    for (long n = from->DayNumber(); n <= to->DayNumber(); ++n) out.holidays.push_back(Date::FromDayNumber(n));
  }
  if (!doc.contains("workdays") || !doc["workdays"].is_array()) return DataError("\"workdays\" must be a list");
  for (const auto& w : doc["workdays"]) {
    auto d = ParseDay(w, out.year, "make-up working day");
    if (!d) return d.errors();
    if (!d->IsWeekend()) return DataError("make-up working day is not a Saturday or Sunday: " + d->ToString());
    out.workdays.push_back(*d);
  }
  for (const auto& w : out.workdays) {
    if (std::find(out.holidays.begin(), out.holidays.end(), w) != out.holidays.end())
      return DataError("a day is both holiday and make-up working day: " + w.ToString());
  }
  return out;
}

Result<WorkingCalendar> WorkingCalendar::Embedded() {
  WorkingCalendar cal;
  for (const auto& f : EmbeddedFiles()) {
    if (!f.name.starts_with("calendar/")) continue;
    auto year = ParseYear(f.text);
    if (!year) return year.errors();
    cal.Put(std::move(year).value());
  }
  return cal;
}

void WorkingCalendar::Put(CalendarYear year) {
  Exceptions ex;
  for (const auto& d : year.holidays) ex.off.push_back(d.DayNumber());
  for (const auto& d : year.workdays) ex.work.push_back(d.DayNumber());
  std::sort(ex.off.begin(), ex.off.end());
  std::sort(ex.work.begin(), ex.work.end());
  index_[year.year] = std::move(ex);
  years_[year.year] = std::move(year);
}

std::vector<int> WorkingCalendar::Years() const {
  std::vector<int> out;
  for (const auto& [y, _] : years_) out.push_back(y);
  return out;
}

const CalendarYear* WorkingCalendar::Year(int year) const {
  auto it = years_.find(year);
  return it == years_.end() ? nullptr : &it->second;
}

bool WorkingCalendar::Working(Date d, std::vector<int>& assumed) const {
  auto it = index_.find(d.year());
  if (it == index_.end()) {
    if (std::find(assumed.begin(), assumed.end(), d.year()) == assumed.end()) assumed.push_back(d.year());
    return !d.IsWeekend();
  }
  const long n = d.DayNumber();
  if (Contains(it->second.work, n)) return true;
  if (Contains(it->second.off, n)) return false;
  return !d.IsWeekend();
}

CalendarAnswer<bool> WorkingCalendar::IsWorkingDay(Date d) const {
  CalendarAnswer<bool> a;
  a.value = Working(d, a.assumed_years);
  return a;
}

Result<CalendarAnswer<Date>> WorkingCalendar::AddWorkingDays(Date from, int n) const {
  if (std::abs(n) > kMaxSpan) return MakeError("calendar.range", "n", std::to_string(n));
  CalendarAnswer<Date> a;
  const int step = n >= 0 ? 1 : -1;
  Date d = from;
  for (int left = std::abs(n); left > 0;) {
    d = d.AddDays(step);
    if (Working(d, a.assumed_years)) --left;
  }
  a.value = d;
  return a;
}

CalendarAnswer<int> WorkingCalendar::WorkingDaysBetween(Date a, Date b) const {
  CalendarAnswer<int> out;
  const bool forward = a <= b;
  const long lo = (forward ? a : b).DayNumber(), hi = (forward ? b : a).DayNumber();
  int count = 0;
  for (long n = lo + 1; n <= hi; ++n) count += Working(Date::FromDayNumber(n), out.assumed_years) ? 1 : 0;
  out.value = forward ? count : -count;
  return out;
}

}  // namespace hcp
