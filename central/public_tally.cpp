#include "public_tally.h"

#include <algorithm>
#include <cstring>

#include "centre_day.h"
#include "hall_window.h"
#include "hcp/level.h"
#include "hcp/rating_record.h"
#include "hcp/wire.h"

namespace hcp::central {
namespace {

std::string Text(const Json& j, const char* key) {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return {};
}

int LevelIndex(int satisfaction) { return satisfaction >= 1 && satisfaction <= 5 ? satisfaction - 1 : -1; }

}  // namespace

RatingPlace PlaceOf(const RelayedRating& r) {
  RatingPlace p;
  p.day = CentreDay(r.received_at_ms).ToString();
  p.unit = r.unit;
  p.unit_name = r.unit_name;
  std::string window_claim;
  if (r.parsed) {  // read by the caller already (ingest)
    p.area = r.parsed->area;
    p.item = r.parsed->item;
    p.item_name = r.parsed->item_name;
    window_claim = r.parsed->window;
    p.is_public = r.parsed->is_public;
  } else {
    auto claims = ParseJson(r.claims_json);
    const Json c = claims ? *claims : Json::object();
    p.area = Text(c, "area");
    p.item = Text(c, "item");
    p.item_name = Text(c, "item_name");
    window_claim = Text(c, "window");
    if (p.unit.empty()) p.unit = Text(c, "unit");
    if (p.unit_name.empty()) p.unit_name = Text(c, "unit_name");
    auto rating = ParseJson(r.rating_json);
    if (rating && rating->is_object() && rating->contains("public") && (*rating)["public"].is_boolean())
      p.is_public = (*rating)["public"].get<bool>();
  }
  SplitHallWindow(window_claim, p.hall, p.window);
  return p;
}

bool TallyDelta::Empty() const {
  for (int64_t x : v)
    if (x != 0) return false;
  return true;
}

void TallyDelta::Add(const TallyDelta& o) {
  for (int i = 0; i < kTallyColumns; ++i) v[i] += o.v[i];
}

TallyDelta RatingDelta(int satisfaction, bool is_default) {
  TallyDelta d;
  const int i = LevelIndex(satisfaction);
  if (i < 0) return d;
  d.v[i] = 1;
  if (is_default) d.v[5 + i] = 1;
  return d;
}

TallyDelta CaseDelta(int satisfaction, const CaseFigures& before, const CaseFigures& after) {
  TallyDelta d;
  auto counts = [](const CaseFigures& f, int64_t sign, TallyDelta& out) {
    if (f.upheld) return;
    out.v[11] += sign * f.valid_bad;
    out.v[12] += sign * f.rectified;
    out.v[13] += sign * f.rectified_on_time;
    out.v[14] += sign * f.closed_invalid;
  };
  counts(before, -1, d);
  counts(after, 1, d);
  const int i = LevelIndex(satisfaction);
  if (i >= 0 && before.upheld != after.upheld) {
    const int64_t out = after.upheld ? 1 : -1;
    d.v[i] -= out;  // defaults are never bad, so no d column moves
    d.v[10] += out;
  }
  return d;
}

TallyDelta ListedDelta(bool before, bool after) {
  TallyDelta d;
  d.v[kListed] = (after ? 1 : 0) - (before ? 1 : 0);
  return d;
}

void AddAt(std::map<CellKey, TallyDelta>& cells, const RatingPlace& p, const TallyDelta& delta) {
  if (delta.Empty() || p.day.size() != 10) return;
  for (const auto& [grain, period] : {std::pair<std::string, std::string>{"D", p.day}, {"M", p.day.substr(0, 7)},
                                      {"Y", p.day.substr(0, 4)}})
    cells[CellKey{grain, period, p.area, p.unit, p.hall, p.window, p.item}].Add(delta);
}

void AddCloseDays(std::map<std::pair<CellKey, int>, int64_t>& hist, const RatingPlace& p, const CaseFigures& before,
                  const CaseFigures& after) {
  if (p.day.size() != 10) return;
  auto add = [&](const CaseFigures& f, int64_t sign) {
    if (f.upheld || f.close_days < 0) return;
    for (const auto& [grain, period] : {std::pair<std::string, std::string>{"D", p.day}, {"M", p.day.substr(0, 7)},
                                        {"Y", p.day.substr(0, 4)}})
      hist[{CellKey{grain, period, p.area, p.unit, p.hall, p.window, p.item}, f.close_days}] += sign;
  };
  if (before == after) return;
  add(before, -1);
  add(after, 1);
}

void AddNames(std::map<std::pair<std::string, std::string>, std::string>& names, const RatingPlace& p) {
  if (!p.unit.empty() && !p.unit_name.empty()) names[{"unit", p.unit}] = p.unit_name;
  if (!p.item.empty() && !p.item_name.empty()) names[{"item", p.item}] = p.item_name;
}

std::vector<PeriodSegment> Segments(Date first, Date last) {
  std::vector<PeriodSegment> out;
  if (last < first) return out;
  // Days up to the first of a month, months up to the first of a year, whole years, then back down.
  Date d = first;
  auto month_start = [](Date x) { return x.day() == 1; };
  auto add_days = [&](Date a, Date b) { out.push_back({"D", a.ToString(), b.ToString()}); };
  auto add_months = [&](Date a, Date b) { out.push_back({"M", a.ToString().substr(0, 7), b.ToString().substr(0, 7)}); };
  auto next_month = [](Date x) { return x.month() == 12 ? Date(x.year() + 1, 1, 1) : Date(x.year(), x.month() + 1, 1); };
  auto last_of_month = [&](Date x) { return next_month(x).AddDays(-1); };
  // Leading days.
  if (!month_start(d)) {
    const Date end = std::min(last, last_of_month(d));
    add_days(d, end);
    d = end.AddDays(1);
  }
  if (last < d) return out;
  // Leading months (to a year start).
  {
    Date a = d, b = d;
    bool any = false;
    while (!(d.month() == 1) && last_of_month(d) <= last) {
      b = d;
      any = true;
      d = next_month(d);
    }
    if (any) add_months(a, b);
  }
  // Whole years.
  {
    Date a = d;
    int y_last = -1;
    while (d.month() == 1 && d.day() == 1 && Date(d.year(), 12, 31) <= last) {
      y_last = d.year();
      d = Date(d.year() + 1, 1, 1);
    }
    if (y_last > 0) out.push_back({"Y", std::to_string(a.year()), std::to_string(y_last)});
  }
  // Trailing months.
  {
    Date a = d, b = d;
    bool any = false;
    while (d <= last && last_of_month(d) <= last) {
      b = d;
      any = true;
      d = next_month(d);
    }
    if (any) add_months(a, b);
  }
  if (d <= last) add_days(d, last);
  return out;
}

std::pair<Date, Date> Widened(Date first, Date last, Date first_day, Date last_day) {
  if (first <= first_day) first = Date(first.year(), 1, 1);
  if (last_day <= last) last = Date(last.year(), 12, 31);
  return {first, last};
}

std::string ToDateCounters(int tally_columns) {
  std::string c;
  for (int i = 0; i < tally_columns; ++i) c += std::string(c.empty() ? "" : ", ") + kTallyColumnNames[i];
  for (int b = 0; b < kCloseBuckets; ++b) c += ", h" + std::to_string(b);
  return c;
}

std::string ToDateMigration(const std::string& collate, int tally_columns) {
  const std::string cell = "area, unit, hall, win, item";
  std::string create = "CREATE TABLE public_to_date (";
  for (const char* key : {"area", "unit", "hall", "win", "item", "day"})
    create += std::string(key == std::string("area") ? "" : ",") + "\n  " + key + " TEXT" + collate + " NOT NULL";
  for (int i = 0; i < tally_columns; ++i) create += std::string(",\n  ") + kTallyColumnNames[i] + " BIGINT NOT NULL DEFAULT 0";
  for (int b = 0; b < kCloseBuckets; ++b) create += ",\n  h" + std::to_string(b) + " BIGINT NOT NULL DEFAULT 0";
  create += ",\n  PRIMARY KEY (" + cell + ", day)\n);\n";
  return create + ToDateFill(tally_columns);
}

std::string ToDateFill(int tally_columns) {
  const std::string cell = "area, unit, hall, win, item";
  // Fill from the day cells: the histogram of each day cell in buckets, then running sums per
  // cell and year in day order.
  std::string buckets, sums;
  for (int b = 0; b < kCloseBuckets; ++b) {
    const std::string h = "h" + std::to_string(b);
    buckets += std::string(", sum(CASE WHEN days ") + (b + 1 < kCloseBuckets ? "= " : ">= ") + std::to_string(b) +
               " THEN cases ELSE 0 END) AS " + h;
  }
  for (int i = 0; i < tally_columns; ++i) sums += std::string(", sum(t.") + kTallyColumnNames[i] + ") OVER w";
  for (int b = 0; b < kCloseBuckets; ++b) sums += ", sum(coalesce(c.h" + std::to_string(b) + ", 0)) OVER w";
  return "INSERT INTO public_to_date (" + cell + ", day, " + ToDateCounters(tally_columns) + ")\nSELECT t.area, t.unit, "
         "t.hall, t.win, t.item, t.period" + sums + "\nFROM public_tally t LEFT JOIN (SELECT " + cell + ", period" +
         buckets + " FROM public_close_days WHERE grain = 'D' GROUP BY " + cell + ", period) c\n  ON c.area = t.area AND "
         "c.unit = t.unit AND c.hall = t.hall AND c.win = t.win AND c.item = t.item AND c.period = t.period\nWHERE "
         "t.grain = 'D'\nWINDOW w AS (PARTITION BY t.area, t.unit, t.hall, t.win, t.item, substr(t.period, 1, 4) ORDER "
         "BY t.period ROWS UNBOUNDED PRECEDING)";
}

std::string ListedMigration(const std::string& collate) {
  return "ALTER TABLE public_tally ADD COLUMN listed BIGINT NOT NULL DEFAULT 0;\n" + ListedFill() +
         ";\nDROP TABLE public_to_date;\n" + ToDateMigration(collate);
}

const std::string& ListedFill() {
  // Every cell of the three grains that has listed ratings has its row already (a rating makes it).
  static const std::string sql =
         "UPDATE public_tally SET listed = c.n FROM (SELECT g.grain, substr(p.day, 1, g.len) AS period, p.area, p.unit, "
         "p.hall, p.win, p.item, count(*) AS n FROM public_cases p CROSS JOIN (SELECT 'D' AS grain, 10 AS len UNION ALL "
         "SELECT 'M', 7 UNION ALL SELECT 'Y', 4) g WHERE p.is_public = 1 AND p.upheld = 0 GROUP BY g.grain, "
         "substr(p.day, 1, g.len), p.area, p.unit, p.hall, p.win, p.item) c\nWHERE public_tally.grain = c.grain AND "
         "public_tally.period = c.period AND public_tally.area = c.area AND public_tally.unit = c.unit AND "
         "public_tally.hall = c.hall AND public_tally.win = c.win AND public_tally.item = c.item";
  return sql;
}

std::map<CellKey, ToDateDelta> ToDateDeltas(const std::map<CellKey, TallyDelta>& cells,
                                            const std::map<std::pair<CellKey, int>, int64_t>& hist) {
  std::map<CellKey, ToDateDelta> out;
  for (const auto& [key, delta] : cells)
    if (std::get<0>(key) == "D" && !delta.Empty()) out[key].tally.Add(delta);
  for (const auto& [key, n] : hist)
    if (std::get<0>(key.first) == "D" && n != 0)
      out[key.first].close[std::clamp(key.second, 0, kCloseBuckets - 1)] += n;
  return out;
}

std::vector<ToDateRead> ToDateReads(Date first, Date last, Date first_day, Date last_day) {
  std::vector<ToDateRead> out;
  for (int y = std::max(first.year(), first_day.year()); y <= std::min(last.year(), last_day.year()); ++y) {
    const Date jan1(y, 1, 1), dec31(y, 12, 31);
    const Date to = std::min(last, dec31), from = std::max(first, jan1);
    if (to < from) continue;
    const std::string year = std::to_string(y);
    const bool to_end = std::min(last_day, dec31) <= to;  // nothing stored in the year after `to`
    const Date month_end = (to.month() == 12 ? Date(y + 1, 1, 1) : Date(y, to.month() + 1, 1)).AddDays(-1);
    if (from == jan1 && to_end) {
      out.push_back({year, year, year, 1, "Y"});
    } else if (from.day() == 1 && (to_end || to == month_end)) {
      out.push_back({from.ToString().substr(0, 7), to.ToString().substr(0, 7), year, 1, "M"});
    } else {
      if (to_end) out.push_back({year, year, year, 1, "Y"});
      else out.push_back({jan1.ToString(), to.ToString(), year, 1, ""});
      if (jan1 < from) out.push_back({jan1.ToString(), from.AddDays(-1).ToString(), year, -1, ""});
    }
  }
  return out;
}

void ToDateSum::Add(std::string_view unit, std::string_view hall, std::string_view window, std::string_view item,
                    const int64_t (&values)[kValues], int sign) {
  key_.clear();
  for (const std::string_view part : {unit, hall, window, item}) {
    const auto size = static_cast<uint32_t>(part.size());
    key_.append(reinterpret_cast<const char*>(&size), sizeof size).append(part);
  }
  auto it = cells_.find(key_);
  if (it == cells_.end()) it = cells_.emplace(key_, std::array<int64_t, kValues>{}).first;
  for (int i = 0; i < kValues; ++i) it->second[i] += sign * values[i];
}

void ToDateSum::AddCloseDays(int days, int64_t n, int sign) { close_[std::clamp(days, 0, kCloseBuckets - 1)] += sign * n; }

void ToDateSum::Merge(const ToDateSum& other) {
  for (const auto& [key, values] : other.cells_) {
    auto& mine = cells_.try_emplace(key, std::array<int64_t, kValues>{}).first->second;
    for (int i = 0; i < kValues; ++i) mine[i] += values[i];
  }
  for (int b = 0; b < kCloseBuckets; ++b) close_[b] += other.close_[b];
}

void ToDateSum::Into(PublicCells& out) const {
  for (int b = 0; b < kCloseBuckets; ++b)
    if (close_[b] != 0) out.close_days[b] += close_[b];
  // In the order of (unit, hall, window, item), as the cells always came.
  using Cell = std::pair<std::array<std::string_view, 4>, const std::array<int64_t, kValues>*>;
  std::vector<Cell> cells;
  cells.reserve(cells_.size());
  for (const auto& [joined, sums] : cells_) {
    Cell c{{}, &sums};
    std::string_view rest = joined;
    for (auto& part : c.first) {
      uint32_t size;
      std::memcpy(&size, rest.data(), sizeof size);
      part = rest.substr(sizeof size, size);
      rest.remove_prefix(sizeof size + size);
    }
    cells.push_back(c);
  }
  std::sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.first < b.first; });
  for (const auto& [key, sums] : cells) {
    const auto& v = *sums;
    out.listed += v[kListed];
    for (int b = 0; b < kCloseBuckets; ++b)
      if (v[kTallyColumns + b] != 0) out.close_days[b] += v[kTallyColumns + b];
    bool any = false;
    for (int i = 0; i < kTallyColumns; ++i) any = any || v[i] != 0;
    if (!any) continue;  // counted only outside the period
    PublicCell c{std::string(key[0]), std::string(key[1]), std::string(key[2]), std::string(key[3])};
    for (int i = 0; i < 5; ++i) c.levels[i] = v[i];
    for (int i = 0; i < 5; ++i) c.defaults[i] = v[5 + i];
    c.upheld = v[10];
    c.valid_bad = v[11];
    c.rectified = v[12];
    c.on_time = v[13];
    c.closed_invalid = v[14];
    c.listed = v[kListed];
    out.cells.push_back(std::move(c));
  }
}

bool MedianInLastBucket(const std::map<int, int64_t>& buckets) {
  int64_t n = 0, below = 0;
  for (const auto& [days, count] : buckets) {
    n += std::max<int64_t>(count, 0);
    if (days < kCloseBuckets - 1) below += std::max<int64_t>(count, 0);
  }
  return n > 0 && n / 2 >= below;  // the higher middle position is n / 2 (0-based)
}

CaseFigures FiguresOf(int satisfaction, Date rating_day, const CaseState& state, const WorkingCalendar& calendar) {
  CaseFigures f;
  const auto level = FromCode(satisfaction, CodeDirection::Deployed);
  if (!level || !IsBad(*level)) return f;
  RatingRecord r;
  r.level = *level;
  r.assessed_on = rating_day;
  ApplyCaseState(r, state);
  f.upheld = r.appeal_upheld;
  // As of the far future: every date the case holds is in the past by construction.
  const CaseFacts c = CaseFactsOf(r, Date(2999, 12, 31));
  f.valid_bad = c.valid_bad;
  f.rectified = c.rectified;
  f.rectified_on_time = c.rectified_on_time;
  f.closed_invalid = c.closed_invalid;
  if (r.outcome != BadOutcome::None && r.closed_on) f.close_days = calendar.WorkingDaysBetween(rating_day, *r.closed_on).value;
  return f;
}

}  // namespace hcp::central
