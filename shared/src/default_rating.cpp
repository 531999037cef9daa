#include "hcp/default_rating.h"

#include <string>

namespace hcp {

Errors ValidateDefaultRatingRule(const DefaultRatingRule& rule) {
  if (rule.days < 1 || rule.days > WorkingCalendar::kMaxSpan) {
    return {MakeError("default_rating.config_invalid", "days", std::to_string(rule.days))};
  }
  return {};
}

Result<CalendarAnswer<Date>> DefaultRatingDue(Date finished, const DefaultRatingRule& rule,
                                              const WorkingCalendar& calendar) {
  if (Errors bad = ValidateDefaultRatingRule(rule); !bad.empty()) return bad;
  if (rule.count == DayCount::Natural) return CalendarAnswer<Date>{finished.AddDays(rule.days), {}};
  return calendar.AddWorkingDays(finished, rule.days);
}

Result<CalendarAnswer<bool>> DefaultRatingApplies(Date finished, Date today, bool rated,
                                                  const DefaultRatingRule& rule, const WorkingCalendar& calendar) {
  auto due = DefaultRatingDue(finished, rule, calendar);
  if (!due) return due.errors();
  // Assumed years are reported even for a rated case: the caller asked about this period.
  return CalendarAnswer<bool>{!rated && today > due->value, due->assumed_years};
}

}  // namespace hcp
