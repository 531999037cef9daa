#pragma once
// The default rating (MoT 第九条; SR 第八条): a finished case nobody rated within 5 working days
// after it was finished counts as 基本满意, flagged as a system default. Guangdong counted 7
// natural days instead, so the period is configuration.
#include "hcp/calendar.h"
#include "hcp/date.h"
#include "hcp/level.h"
#include "hcp/result.h"

namespace hcp {

inline constexpr Level kDefaultRatingLevel = Level::Basic;  // 基本满意, satisfaction 3

enum class DayCount { Working, Natural };

struct DefaultRatingRule {
  int days = 5;
  DayCount count = DayCount::Working;
};

// `default_rating.config_invalid` unless 1 <= days <= WorkingCalendar::kMaxSpan.
Errors ValidateDefaultRatingRule(const DefaultRatingRule& rule);

// The last day the citizen can still rate: `days` (working) days after `finished`.
Result<CalendarAnswer<Date>> DefaultRatingDue(Date finished, const DefaultRatingRule& rule,
                                              const WorkingCalendar& calendar);

// True when the case is unrated and its rating period has fully passed (today is after the due day).
Result<CalendarAnswer<bool>> DefaultRatingApplies(Date finished, Date today, bool rated,
                                                  const DefaultRatingRule& rule, const WorkingCalendar& calendar);

}  // namespace hcp
