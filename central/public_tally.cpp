#include "public_tally.h"

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

RatingPlace PlaceOf(const std::string& edge, const RelayedRating& r, const std::string& day) {
  RatingPlace p;
  p.day = day;
  p.unit = r.unit;
  p.unit_name = r.unit_name;
  std::string channel = r.channel;
  if (r.parsed) {  // read by the caller already (ingest)
    p.area = r.parsed->area;
    p.item = r.parsed->item;
    p.item_name = r.parsed->item_name;
    p.window = r.parsed->window;
    p.is_public = r.parsed->is_public;
  } else {
    auto claims = ParseJson(r.claims_json);
    const Json c = claims ? *claims : Json::object();
    p.area = Text(c, "area");
    p.item = Text(c, "item");
    p.item_name = Text(c, "item_name");
    p.window = Text(c, "window");
    if (p.unit.empty()) p.unit = Text(c, "unit");
    if (p.unit_name.empty()) p.unit_name = Text(c, "unit_name");
    if (channel.empty()) channel = Text(c, "channel");
    auto rating = ParseJson(r.rating_json);
    if (rating && rating->is_object() && rating->contains("public") && (*rating)["public"].is_boolean())
      p.is_public = (*rating)["public"].get<bool>();
  }
  const bool in_hall = !p.window.empty() || channel == "qr" || channel == "tablet" || channel == "terminal";
  if (in_hall && edge != "centre") p.hall = edge;
  if (p.hall.empty()) p.window.clear();  // a window is only known within its hall
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
