#pragma once
// The monthly 通报 by hall, unit and window (SR 第十四条: 按月通报; MoT 第十六、十七条) and the annual
// figures per unit that feed the year's assessment (年度考核). Pure: the caller passes the rating
// records (the period, the one before it for the change column, and for the repeat rule the
// months before that), and `as_of`, the day the report is made, which decides what is overdue.
// Exact definitions: docs/reports.md.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hcp/figure_format.h"
#include "hcp/period.h"
#include "hcp/rating_record.h"
#include "hcp/statistics.h"

namespace hcp {

// 反复被差评 (MoT 第十七条) is not defined by the rules; ours, configurable: a unit is flagged in a
// month when it has at least `min_in_month` counted bad ratings that month, or at least one counted
// bad rating in each of `consecutive_months` calendar months ending with that month. Either test
// is off at 0. Counted: not taken out by an upheld appeal, and, unless `count_invalid`, not
// claimed invalid (无效差评).
struct RepeatBadRule {
  int min_in_month = 3;
  int consecutive_months = 3;
  bool count_invalid = false;
};

struct ReportOptions {
  long min_sample = kDefaultMinSample;
  RepeatBadRule repeat;
  // Names for hall codes (the centre's config `public.hall_names`, the names the public page
  // shows); a hall without one keeps the record's hall_name.
  std::map<std::string, std::string> hall_names;
};

// `report.config_invalid` for a negative sample size, a consecutive_months of 1 (that is
// min_in_month 1) or above 12, or a negative min_in_month.
Errors ValidateReportOptions(const ReportOptions& options);

struct ReportRow {
  std::string key;
  std::string name;
  Tally tally;       // ratings made in the period
  CaseTally cases;   // their cases as they stand on `as_of`
  long pending = 0;  // bad ratings not yet verified by the return visit
  int rank = 0;      // by 好评率 as in RankGroups; 0 = not ranked (样本不足)
  std::optional<Tally> previous;  // the same group in the previous period, when it had any rating
  // Units only.
  long repeat_bad_count = 0;  // bad ratings the repeat rule counts, this period
  bool repeat_in_month = false;
  int repeat_consecutive = 0;  // months in a row with a counted bad rating, ending this month (capped at the rule's)
  int repeat_months = 0;       // annual report: months of the year in which the unit was flagged

  bool RepeatBad() const { return repeat_in_month || repeat_consecutive > 0; }
};

long RectifiedLate(const CaseTally& t);  // 逾期整改: rectified after the deadline

enum class ReportKind { Monthly, Annual };

struct PeriodReport {
  ReportKind kind = ReportKind::Monthly;
  Period period;
  Period previous;
  Date as_of;
  ReportOptions options;
  ReportRow total;  // key "total"
  std::vector<ReportRow> halls;
  std::vector<ReportRow> units;
  std::vector<ReportRow> windows;  // keyed "hall/window"
};

// The same report fed one record at a time, so a store can stream a year of ratings through it
// without holding them (memory grows with the groups, not the ratings): Add every record of the
// period, of the previous period and, for the repeat rule, of the months before; then Finish once.
// BuildMonthlyReport and BuildAnnualReport are this over a span. Records outside those periods
// only feed the repeat rule.
class ReportBuilder {
 public:
  static ReportBuilder Monthly(int year, int month, Date as_of, const ReportOptions& options = {});
  static ReportBuilder Annual(int year, Date as_of, const ReportOptions& options = {});
  ReportBuilder(ReportBuilder&&) noexcept;
  ReportBuilder& operator=(ReportBuilder&&) noexcept;
  ~ReportBuilder();

  void Add(const RatingRecord& r);
  PeriodReport Finish();
  const Period& period() const;
  const Period& previous() const;

 private:
  struct State;
  ReportBuilder(ReportKind kind, const Period& period, const Period& previous, Date as_of, const ReportOptions& options);
  std::unique_ptr<State> state_;
};

PeriodReport BuildMonthlyReport(std::span<const RatingRecord> records, int year, int month, Date as_of,
                                const ReportOptions& options = {});
PeriodReport BuildAnnualReport(std::span<const RatingRecord> records, int year, Date as_of,
                               const ReportOptions& options = {});

}  // namespace hcp
