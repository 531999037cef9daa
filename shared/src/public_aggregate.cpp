#include "hcp/public_aggregate.h"

#include <algorithm>

namespace hcp {
namespace {

void AddTo(std::map<std::string, RankedGroup>& groups, const std::string& key, const std::string& name,
           const AggregateCell& c) {
  RankedGroup& g = groups[key];
  if (g.key.empty()) {
    g.key = key;
    g.name = name;
  }
  g.tally.Merge(c.tally);
  g.cases.Merge(c.cases);
}

// A group holds counted ratings only: the upheld ones are in the total's Excluded() alone.
AggregateCell WithoutExcluded(const AggregateCell& c) {
  AggregateCell out = c;
  out.tally = Tally();
  for (Level l : {Level::VeryDissatisfied, Level::Dissatisfied, Level::Basic, Level::Satisfied, Level::VerySatisfied}) {
    out.tally.Add(RatingFacts{l, false, false}, c.tally.Count(l) - c.tally.DefaultCount(l));
    out.tally.Add(RatingFacts{l, true, false}, c.tally.DefaultCount(l));
  }
  out.cases = CaseTally();
  out.cases.Add(CaseFacts{true, false, false, false, false, false}, c.cases.ValidBad());
  out.cases.Add(CaseFacts{false, true, false, false, false, false}, c.cases.Rectified());
  out.cases.Add(CaseFacts{false, false, true, false, false, false}, c.cases.RectifiedOnTime());
  out.cases.Add(CaseFacts{false, false, false, true, false, false}, c.cases.ClosedInvalid());
  return out;
}

std::vector<RankedGroup> Values(std::map<std::string, RankedGroup>& m) {
  std::vector<RankedGroup> out;
  for (auto& [k, g] : m) out.push_back(std::move(g));
  return out;
}

}  // namespace

std::optional<long> MedianHalves(const std::map<int, long>& histogram) {
  long n = 0;
  for (const auto& [days, count] : histogram) n += std::max(count, 0L);
  if (n == 0) return std::nullopt;
  // The values at sorted positions lo and hi (equal when n is odd).
  const long lo = (n - 1) / 2, hi = n / 2;
  long seen = 0;
  std::optional<long> a, b;
  for (const auto& [days, count] : histogram) {
    if (count <= 0) continue;
    if (!a && lo < seen + count) a = days;
    if (!b && hi < seen + count) b = days;
    seen += count;
    if (a && b) break;
  }
  return *a + *b;
}

PublicFigures PublicFiguresFromAggregates(std::span<const AggregateCell> cells, const std::map<int, long>& close_days,
                                          const Period& period, Date as_of, const PublicOptions& options) {
  PublicFigures f;
  f.period = period;
  f.as_of = as_of;
  f.min_sample = options.min_sample;
  std::map<std::string, RankedGroup> units, halls, windows;
  std::map<std::string, HotItem> items;
  for (const AggregateCell& raw : cells) {
    f.tally.Merge(raw.tally);
    f.cases.Merge(raw.cases);
    const AggregateCell c = WithoutExcluded(raw);
    if (c.tally.Total() == 0) continue;  // only upheld appeals: in no group
    AddTo(units, c.unit, c.unit_name, c);
    if (!c.hall.empty()) AddTo(halls, c.hall, c.hall_name, c);
    if (!c.window.empty()) AddTo(windows, c.hall + "/" + c.window, c.hall_name + " " + c.window_name, c);
    const long rated = options.hot_items_count_defaults ? c.tally.Total() : c.tally.Total() - c.tally.Defaults();
    if (rated > 0) {
      HotItem& h = items[c.item];
      if (h.item.empty()) {
        h.item = c.item;
        h.item_name = c.item_name;
      }
      h.ratings += rated;
    }
  }
  for (const auto& [days, count] : close_days) f.closed_cases += std::max(count, 0L);
  f.median_close_halves = MedianHalves(close_days);
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

}  // namespace hcp
