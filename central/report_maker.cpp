#include "report_maker.h"

#include <algorithm>

#include "hcp/period.h"
#include "hcp/report_render.h"
#include "rating_source.h"

namespace hcp::central {
namespace {

Date MonthsBefore(Date first_of_month, int months) {
  int index = first_of_month.year() * 12 + first_of_month.month() - 1 - months;
  return Date(index / 12, index % 12 + 1, 1);
}

}  // namespace

Result<PeriodReport> MakeReport(CentralStore& store, const ReportRequest& request, const WorkingCalendar& calendar,
                                const CaseLimits& limits) {
  if (Errors bad = ValidateReportOptions(request.options); !bad.empty()) return bad;
  ReportBuilder builder = request.kind == ReportKind::Monthly
                              ? ReportBuilder::Monthly(request.year, request.month, request.as_of, request.options)
                              : ReportBuilder::Annual(request.year, request.as_of, request.options);
  // Read from the start of the previous period, or further back when the repeat rule looks at
  // more months in a row than that (a month's rule with 3 months looks at the two before it).
  Date from = builder.previous().first;
  if (request.kind == ReportKind::Monthly)
    from = std::min(from, MonthsBefore(builder.period().first, std::max(1, request.options.repeat.consecutive_months - 1)));
  RecordFilter filter{Period{from, builder.period().last}, request.unit, request.area};
  auto read = ForEachRecord(store, filter, calendar, limits, [&](const RatingRecord& r) { builder.Add(r); });
  if (!read) return read.errors();
  return builder.Finish();
}

Date FirstWorkingDayOfMonth(Date today, const WorkingCalendar& calendar) {
  Date d(today.year(), today.month(), 1);
  while (!calendar.IsWorkingDay(d).value) d = d.AddDays(1);
  return d;
}

Result<bool> MakeMonthlyReportIfDue(CentralStore& store, Date today, const WorkingCalendar& calendar,
                                    const CaseLimits& limits, const ReportOptions& options, int64_t now_ms) {
  if (today < FirstWorkingDayOfMonth(today, calendar)) return false;
  return MakePreviousMonthsReport(store, today, calendar, limits, options, now_ms);
}

Result<bool> MakePreviousMonthsReport(CentralStore& store, Date today, const WorkingCalendar& calendar,
                                      const CaseLimits& limits, const ReportOptions& options, int64_t now_ms) {
  const Date previous = MonthsBefore(Date(today.year(), today.month(), 1), 1);
  const std::string period = MonthLabel(MonthPeriod(previous.year(), previous.month()));
  auto stored = store.FindReport("monthly", period);
  if (!stored) return stored.errors();
  if (*stored) return false;
  ReportRequest request;
  request.kind = ReportKind::Monthly;
  request.year = previous.year();
  request.month = previous.month();
  request.as_of = today;
  request.options = options;
  auto report = MakeReport(store, request, calendar, limits);
  if (!report) return report.errors();
  StoredReport row;
  row.kind = "monthly";
  row.period = period;
  row.as_of = today.ToString();
  row.html = RenderReportHtml(*report);
  row.csv = RenderReportCsv(*report);
  row.json = Dump(ReportToJson(*report), 2);
  row.created_at_ms = now_ms;
  return store.StoreReport(row);  // false: another centre stored it first; theirs stands
}

}  // namespace hcp::central
