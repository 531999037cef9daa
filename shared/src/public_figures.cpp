#include "hcp/public_figures.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "hcp/pii_mask.h"

namespace hcp {
namespace {

// a/b > c/d without division, in 64 bits (`long` is 32 bits in WASM).
int CompareRates(const Rate& a, const Rate& b) {
  const int64_t l = static_cast<int64_t>(a.numerator) * b.denominator;
  const int64_t r = static_cast<int64_t>(b.numerator) * a.denominator;
  return l < r ? -1 : (l > r ? 1 : 0);
}

void AddTo(std::map<std::string, RankedGroup>& groups, const std::string& key, const std::string& name,
           const RatingRecord& r, Date as_of) {
  RankedGroup& g = groups[key];
  if (g.key.empty()) {
    g.key = key;
    g.name = name;
  }
  g.tally.Add(RatingFactsOf(r));
  g.cases.Add(CaseFactsOf(r, as_of));
}

std::vector<RankedGroup> Values(std::map<std::string, RankedGroup>& m) {
  std::vector<RankedGroup> out;
  for (auto& [k, g] : m) out.push_back(std::move(g));
  return out;
}

std::string StatusOf(const RatingRecord& r, Date as_of) {
  const CaseFacts c = CaseFactsOf(r, as_of);
  switch (r.outcome) {
    case BadOutcome::None:
    case BadOutcome::Pending: return c.overdue ? "overdue" : "verifying";
    case BadOutcome::Valid: return c.rectified ? "rectified" : (c.overdue ? "overdue" : "rectifying");
    case BadOutcome::Invalid: return r.closed_on ? "invalid" : "invalid_review";
  }
  return "verifying";
}

}  // namespace

void RankGroups(std::vector<RankedGroup>& groups, long min_sample) {
  auto ranked = [&](const RankedGroup& g) { return g.tally.Total() >= min_sample && g.tally.Total() > 0; };
  std::stable_sort(groups.begin(), groups.end(), [&](const RankedGroup& a, const RankedGroup& b) {
    if (ranked(a) != ranked(b)) return ranked(a);
    if (ranked(a)) {
      const int c = CompareRates(GoodRate(a.tally), GoodRate(b.tally));
      if (c != 0) return c > 0;
      if (a.tally.Total() != b.tally.Total()) return a.tally.Total() > b.tally.Total();
    }
    return a.key < b.key;
  });
  for (size_t i = 0; i < groups.size(); ++i) {
    if (!ranked(groups[i])) {
      groups[i].rank = 0;
    } else if (i > 0 && groups[i - 1].rank > 0 &&
               CompareRates(GoodRate(groups[i - 1].tally), GoodRate(groups[i].tally)) == 0) {
      groups[i].rank = groups[i - 1].rank;
    } else {
      groups[i].rank = static_cast<int>(i) + 1;
    }
  }
}

PublicFigures ComputePublicFigures(std::span<const RatingRecord> records, const Period& period, Date as_of,
                                   const WorkingCalendar& calendar, const PublicOptions& options) {
  PublicFigures f;
  f.period = period;
  f.as_of = as_of;
  f.min_sample = options.min_sample;
  std::map<std::string, RankedGroup> units, halls, windows;
  std::map<std::string, HotItem> items;
  std::vector<int> days;
  for (const RatingRecord& r : records) {
    if (!period.Contains(r.assessed_on)) continue;
    f.tally.Add(RatingFactsOf(r));
    f.cases.Add(CaseFactsOf(r, as_of));
    if (r.appeal_upheld) continue;  // in no other figure
    AddTo(units, r.unit, r.unit_name, r, as_of);
    if (!r.hall.empty()) AddTo(halls, r.hall, r.hall_name, r, as_of);
    if (!r.window.empty()) AddTo(windows, r.hall + "/" + r.window, r.hall_name + " " + r.window_name, r, as_of);
    if (!r.is_default || options.hot_items_count_defaults) {
      HotItem& h = items[r.item];
      if (h.item.empty()) {
        h.item = r.item;
        h.item_name = r.item_name;
      }
      ++h.ratings;
    }
    if (IsBad(r.level) && r.outcome != BadOutcome::None && r.closed_on && *r.closed_on <= as_of) {
      const auto between = calendar.WorkingDaysBetween(r.assessed_on, *r.closed_on);
      days.push_back(between.value);
      for (int y : between.assumed_years)
        if (std::find(f.assumed_years.begin(), f.assumed_years.end(), y) == f.assumed_years.end())
          f.assumed_years.push_back(y);
    }
  }
  std::sort(f.assumed_years.begin(), f.assumed_years.end());
  f.closed_cases = static_cast<long>(days.size());
  if (!days.empty()) {
    std::sort(days.begin(), days.end());
    const size_t n = days.size();
    f.median_close_halves = n % 2 ? 2L * days[n / 2] : static_cast<long>(days[n / 2 - 1]) + days[n / 2];
  }
  for (auto& [k, h] : items) f.hot_items.push_back(h);
  std::stable_sort(f.hot_items.begin(), f.hot_items.end(),
                   [](const HotItem& a, const HotItem& b) { return a.ratings > b.ratings; });
  if (f.hot_items.size() > static_cast<size_t>(std::max(options.hot_items, 0)))
    f.hot_items.resize(static_cast<size_t>(std::max(options.hot_items, 0)));
  f.units = Values(units);
  f.halls = Values(halls);
  f.windows = Values(windows);
  RankGroups(f.units, options.min_sample);
  RankGroups(f.halls, options.min_sample);
  RankGroups(f.windows, options.min_sample);
  return f;
}

std::vector<PublishedBadRating> PublishBadRatings(std::span<const RatingRecord> records, const Period& period,
                                                  Date as_of) {
  std::vector<PublishedBadRating> out;
  for (const RatingRecord& r : records) {
    if (!period.Contains(r.assessed_on) || !IsBad(r.level) || !r.is_public || r.appeal_upheld) continue;
    PublishedBadRating p;
    p.id = r.id;
    p.date = r.assessed_on;
    p.unit_name = r.unit_name;
    p.hall_name = r.hall_name;
    p.window_name = r.window_name;
    p.item_name = r.item_name;
    p.level = r.level;
    p.reasons = r.reasons;
    p.comment = MaskPersonalData(r.comment);
    p.evaluator = MaskName(r.evaluator_name, r.evaluator_kind);
    p.status = StatusOf(r, as_of);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const PublishedBadRating& a, const PublishedBadRating& b) {
    return a.date != b.date ? a.date > b.date : a.id > b.id;
  });
  return out;
}

std::string_view BadStatusName(std::string_view status, Lang lang) {
  const bool zh = lang == Lang::Zh;
  if (status == "verifying") return zh ? "核实中" : "Being verified";
  if (status == "rectifying") return zh ? "整改中" : "Being rectified";
  if (status == "overdue") return zh ? "已超期" : "Overdue";
  if (status == "rectified") return zh ? "已整改" : "Rectified";
  if (status == "invalid_review") return zh ? "无效差评复核中" : "Invalid claim under review";
  if (status == "invalid") return zh ? "经核实为无效差评" : "Found invalid";
  return status;
}

Json RateToJson(const Rate& r, long min_sample) {
  const bool suppressed = r.Suppressed(min_sample);
  const auto p = Permille(r);
  Json j{{"denominator", r.denominator}, {"suppressed", suppressed}, {"display", FormatRate(r, min_sample)}};
  j["numerator"] = suppressed ? Json(nullptr) : Json(r.numerator);
  j["permille"] = suppressed || !p ? Json(nullptr) : Json(*p);
  return j;
}

namespace {

Json GroupsToJson(const std::vector<RankedGroup>& groups, long min_sample) {
  Json list = Json::array();
  for (const auto& g : groups)
    list.push_back({{"key", g.key},
                    {"name", g.name},
                    {"ratings", g.tally.Total()},
                    {"good_rate", RateToJson(GoodRate(g.tally), min_sample)},
                    {"rank", g.rank == 0 ? Json(nullptr) : Json(g.rank)}});
  return list;
}

}  // namespace

Json PublicFiguresToJson(const PublicFigures& f) {
  const long m = f.min_sample;
  Json hot = Json::array();
  for (const auto& h : f.hot_items) hot.push_back({{"item", h.item}, {"name", h.item_name}, {"ratings", h.ratings}});
  Json median = nullptr;
  if (f.median_close_halves && f.closed_cases >= m) median = FormatHalves(*f.median_close_halves);
  return Json{{"period", {{"from", f.period.first.ToString()}, {"to", f.period.last.ToString()}}},
              {"as_of", f.as_of.ToString()},
              {"min_sample", m},
              {"ratings", f.tally.Total()},
              {"default_ratings", f.tally.Defaults()},
              {"good_ratings", GoodCount(f.tally)},
              {"bad_ratings", BadCount(f.tally)},
              {"good_rate", RateToJson(GoodRate(f.tally), m)},
              {"good_rate_excluding_defaults", RateToJson(GoodRateExcludingDefaults(f.tally), m)},
              {"valid_bad_ratings", f.cases.ValidBad()},
              {"rectification_rate", RateToJson(RectificationRate(f.cases), m)},
              {"on_time_rate", RateToJson(OnTimeRate(f.cases), m)},
              {"closed_cases", f.closed_cases},
              {"median_working_days_to_close", median},
              {"median_display", f.closed_cases >= m && f.median_close_halves ? FormatHalves(*f.median_close_halves)
                                                                               : InsufficientSample()},
              {"hot_items", hot},
              {"units", GroupsToJson(f.units, m)},
              {"halls", GroupsToJson(f.halls, m)},
              {"windows", GroupsToJson(f.windows, m)}};
}

Json PublishedBadRatingsToJson(const std::vector<PublishedBadRating>& list) {
  Json out = Json::array();
  for (const auto& p : list)
    out.push_back({{"id", p.id},
                   {"date", p.date.ToString()},
                   {"unit", p.unit_name},
                   {"hall", p.hall_name},
                   {"window", p.window_name},
                   {"item", p.item_name},
                   {"satisfaction", ToCode(p.level, CodeDirection::Deployed)},
                   {"level", LevelName(p.level, Lang::Zh)},
                   {"reasons", p.reasons},
                   {"comment", p.comment},
                   {"evaluator", p.evaluator},
                   {"status", p.status},
                   {"status_name", BadStatusName(p.status, Lang::Zh)}});
  return out;
}

}  // namespace hcp
