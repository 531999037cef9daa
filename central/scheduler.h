#pragma once
// The centre's daily job (issue 6): default ratings for finished cases nobody rated in time, and
// overdue handling deadlines escalated to the office. Both are idempotent (unique keys in the
// store), so the job may run at every start and every hour, on one centre or several, and a
// restart never gives a second default rating or a second escalation. `today` is a parameter.
#include <cstdint>
#include <vector>

#include "central_store.h"
#include "closed_loop.h"
#include "hcp/calendar.h"
#include "hcp/date.h"
#include "hcp/default_rating.h"
#include "hcp/result.h"

namespace hcp::central {

struct DailyCounts {
  int64_t defaults_given = 0;   // default ratings stored by this run
  int64_t overdue = 0;          // open cases past their deadline today
  int64_t escalated = 0;        // overdue deadlines escalated for the first time by this run
  std::vector<int> assumed_years;  // years counted Monday–Friday for want of calendar data
};

class Scheduler {
 public:
  Scheduler(CentralStore& store, ClosedLoop& loop, const WorkingCalendar& calendar, DefaultRatingRule rule)
      : store_(store), loop_(loop), calendar_(calendar), rule_(rule) {}

  // `now_ms` stamps the default ratings; `today` is the centre's day (centre_day.h).
  Result<DailyCounts> RunDaily(Date today, int64_t now_ms);

 private:
  CentralStore& store_;
  ClosedLoop& loop_;
  const WorkingCalendar& calendar_;
  DefaultRatingRule rule_;
};

// The id of a case's default rating: one per case and assess number, so a second run collides.
std::string DefaultRatingId(const std::string& case_id, int assess);

}  // namespace hcp::central
