#pragma once
// The monthly and annual 通报 from the centre's store: streams the ratings of the period, of the
// period before (the change column) and of the months the repeat rule looks back on through the
// shared ReportBuilder (monthly_report.h), so memory grows with the number of units, halls and
// windows, not of ratings. Used by `hcp report` and by the centre's own monthly job.
#include <string>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/monthly_report.h"
#include "hcp/result.h"

namespace hcp::central {

struct ReportRequest {
  ReportKind kind = ReportKind::Monthly;
  int year = 0;
  int month = 0;  // 1..12 for a monthly report
  Date as_of;     // the day the report is made: what is overdue is judged on it
  std::string unit;  // empty: every unit
  std::string area;  // empty: every area
  ReportOptions options;
};

Result<PeriodReport> MakeReport(CentralStore& store, const ReportRequest& request, const WorkingCalendar& calendar,
                                const CaseLimits& limits);

// The first working day of the month of `today` (a year without calendar data counts Monday to
// Friday): the day the centre makes the previous month's report.
Date FirstWorkingDayOfMonth(Date today, const WorkingCalendar& calendar);

// The monthly report of the month before `today`'s month (all units, as of today), made and
// stored unless one is stored already; answers true when this call stored it. `hcp demo` calls
// it at start so the back office has a 通报 to show on any day of the month.
Result<bool> MakePreviousMonthsReport(CentralStore& store, Date today, const WorkingCalendar& calendar,
                                      const CaseLimits& limits, const ReportOptions& options, int64_t now_ms);

// The centre's monthly job: on or after the first working day of a month, the previous month's
// report (all units, as of today) is made and stored once; answers true when this call stored it.
// Idempotent: the store keeps one report per period, so restarts and several centres make no second.
Result<bool> MakeMonthlyReportIfDue(CentralStore& store, Date today, const WorkingCalendar& calendar,
                                    const CaseLimits& limits, const ReportOptions& options, int64_t now_ms);

}  // namespace hcp::central
