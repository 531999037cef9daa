#include "hcp/monthly_report.h"

#include <map>

#include "hcp/public_figures.h"

namespace hcp {
namespace {

using Rows = std::map<std::string, ReportRow>;

ReportRow& RowFor(Rows& rows, const std::string& key, const std::string& name) {
  ReportRow& row = rows[key];
  if (row.key.empty()) {
    row.key = key;
    row.name = name;
  }
  return row;
}

void Count(ReportRow& row, const RatingRecord& r, Date as_of) {
  row.tally.Add(RatingFactsOf(r));
  const CaseFacts c = CaseFactsOf(r, as_of);
  row.cases.Add(c);
  if (!c.excluded && IsBad(r.level) && r.outcome == BadOutcome::Pending) ++row.pending;
}

void CountPrevious(Rows& rows, const std::string& key, const std::string& name, const RatingRecord& r) {
  ReportRow& row = RowFor(rows, key, name);
  if (!row.previous) row.previous = Tally();
  row.previous->Add(RatingFactsOf(r));
}

bool CountsAsRepeatBad(const RatingRecord& r, const RepeatBadRule& rule) {
  return IsBad(r.level) && !r.appeal_upheld && (rule.count_invalid || r.outcome != BadOutcome::Invalid);
}

// Counted bad ratings per unit per month index (year·12 + month − 1).
using BadByMonth = std::map<std::string, std::map<int, long>>;
int MonthIndex(Date d) { return d.year() * 12 + d.month() - 1; }

struct RepeatVerdict {
  long count = 0;
  bool in_month = false;
  int consecutive = 0;
};

RepeatVerdict Judge(const std::map<int, long>& months, int month_index, const RepeatBadRule& rule) {
  RepeatVerdict v;
  auto at = [&](int m) {
    auto it = months.find(m);
    return it == months.end() ? 0L : it->second;
  };
  v.count = at(month_index);
  v.in_month = rule.min_in_month > 0 && v.count >= rule.min_in_month;
  if (rule.consecutive_months > 1) {
    int run = 0;
    while (run < rule.consecutive_months && at(month_index - run) > 0) ++run;
    if (run == rule.consecutive_months) v.consecutive = run;
  }
  return v;
}

std::vector<ReportRow> Ranked(Rows& rows, long min_sample) {
  // Ranking is RankGroups' rule, applied to report rows through a key → rank map.
  std::vector<RankedGroup> groups;
  for (const auto& [k, row] : rows) groups.push_back({row.key, row.name, row.tally, row.cases, 0});
  RankGroups(groups, min_sample);
  std::vector<ReportRow> out;
  for (const auto& g : groups) {
    ReportRow& row = rows[g.key];
    row.rank = g.rank;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

struct ReportBuilder::State {
  PeriodReport rep;
  Rows halls, units, windows;
  BadByMonth bad;
};

ReportBuilder::ReportBuilder(ReportKind kind, const Period& period, const Period& previous, Date as_of,
                             const ReportOptions& options)
    : state_(std::make_unique<State>()) {
  PeriodReport& rep = state_->rep;
  rep.kind = kind;
  rep.period = period;
  rep.previous = previous;
  rep.as_of = as_of;
  rep.options = options;
  rep.total.key = "total";
  rep.total.name = "合计";
}
ReportBuilder::ReportBuilder(ReportBuilder&&) noexcept = default;
ReportBuilder& ReportBuilder::operator=(ReportBuilder&&) noexcept = default;
ReportBuilder::~ReportBuilder() = default;

ReportBuilder ReportBuilder::Monthly(int year, int month, Date as_of, const ReportOptions& options) {
  const Period p = MonthPeriod(year, month);
  return ReportBuilder(ReportKind::Monthly, p, PreviousMonth(p), as_of, options);
}

ReportBuilder ReportBuilder::Annual(int year, Date as_of, const ReportOptions& options) {
  return ReportBuilder(ReportKind::Annual, YearPeriod(year), YearPeriod(year - 1), as_of, options);
}

void ReportBuilder::Add(const RatingRecord& r) {
  State& st = *state_;
  PeriodReport& rep = st.rep;
  if (CountsAsRepeatBad(r, rep.options.repeat)) ++st.bad[r.unit][MonthIndex(r.assessed_on)];
  const std::string window_key = r.hall + "/" + r.window;
  const auto named = rep.options.hall_names.find(r.hall);
  const std::string& hall_name = named == rep.options.hall_names.end() ? r.hall_name : named->second;
  const std::string window_name = hall_name + " " + r.window_name;
  if (rep.period.Contains(r.assessed_on)) {
    Count(rep.total, r, rep.as_of);
    if (r.appeal_upheld) return;  // counted apart in the total, in no group
    Count(RowFor(st.units, r.unit, r.unit_name), r, rep.as_of);
    if (!r.hall.empty()) Count(RowFor(st.halls, r.hall, hall_name), r, rep.as_of);
    if (!r.window.empty()) Count(RowFor(st.windows, window_key, window_name), r, rep.as_of);
  } else if (rep.previous.Contains(r.assessed_on)) {
    if (!rep.total.previous) rep.total.previous = Tally();
    rep.total.previous->Add(RatingFactsOf(r));
    if (r.appeal_upheld) return;
    // A group with ratings only last period still gets a row: its drop to zero is news.
    CountPrevious(st.units, r.unit, r.unit_name, r);
    if (!r.hall.empty()) CountPrevious(st.halls, r.hall, hall_name, r);
    if (!r.window.empty()) CountPrevious(st.windows, window_key, window_name, r);
  }
}

const Period& ReportBuilder::period() const { return state_->rep.period; }
const Period& ReportBuilder::previous() const { return state_->rep.previous; }

PeriodReport ReportBuilder::Finish() {
  State& st = *state_;
  PeriodReport& rep = st.rep;
  const ReportOptions& options = rep.options;
  for (auto& [key, row] : st.units) {
    auto it = st.bad.find(key);
    if (it == st.bad.end()) continue;
    if (rep.kind == ReportKind::Monthly) {
      const RepeatVerdict v = Judge(it->second, MonthIndex(rep.period.first), options.repeat);
      row.repeat_bad_count = v.count;
      row.repeat_in_month = v.in_month;
      row.repeat_consecutive = v.consecutive;
    } else {
      for (int m = MonthIndex(rep.period.first); m <= MonthIndex(rep.period.last); ++m) {
        const RepeatVerdict v = Judge(it->second, m, options.repeat);
        row.repeat_bad_count += v.count;
        row.repeat_months += v.in_month || v.consecutive > 0;
      }
    }
  }
  rep.halls = Ranked(st.halls, options.min_sample);
  rep.units = Ranked(st.units, options.min_sample);
  rep.windows = Ranked(st.windows, options.min_sample);
  return std::move(rep);
}


Errors ValidateReportOptions(const ReportOptions& o) {
  Errors e;
  if (o.min_sample < 0) e.push_back(MakeError("report.config_invalid", "min_sample", "min_sample < 0"));
  if (o.repeat.min_in_month < 0)
    e.push_back(MakeError("report.config_invalid", "repeat.min_in_month", "min_in_month < 0"));
  if (o.repeat.consecutive_months < 0 || o.repeat.consecutive_months == 1 || o.repeat.consecutive_months > 12)
    e.push_back(MakeError("report.config_invalid", "repeat.consecutive_months", "consecutive_months: 0 or 2..12"));
  return e;
}

long RectifiedLate(const CaseTally& t) { return t.Rectified() - t.RectifiedOnTime(); }

PeriodReport BuildMonthlyReport(std::span<const RatingRecord> records, int year, int month, Date as_of,
                                const ReportOptions& options) {
  ReportBuilder b = ReportBuilder::Monthly(year, month, as_of, options);
  for (const RatingRecord& r : records) b.Add(r);
  return b.Finish();
}

PeriodReport BuildAnnualReport(std::span<const RatingRecord> records, int year, Date as_of,
                               const ReportOptions& options) {
  ReportBuilder b = ReportBuilder::Annual(year, as_of, options);
  for (const RatingRecord& r : records) b.Add(r);
  return b.Finish();
}

}  // namespace hcp
