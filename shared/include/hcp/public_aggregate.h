#pragma once
// The public figures from pre-aggregated counts (the centre's public_* tables, docs/reports.md
// §10) instead of one record per rating: the same PublicFigures, ranked, suppressed and written
// by public_figures.h, so the page over ten million ratings and ComputePublicFigures over the
// raw records cannot disagree (tests/shared/public_aggregate_test.cpp checks exactly that).
#include <map>
#include <span>
#include <string>

#include "hcp/public_figures.h"

namespace hcp {

// Ratings of one unit × hall × window × item in the period, summed.
struct AggregateCell {
  std::string unit, unit_name;
  std::string hall, hall_name;      // empty: not rated in a hall
  std::string window, window_name;  // empty: not rated at a window
  std::string item, item_name;
  Tally tally;      // upheld appeals in tally.Excluded()
  CaseTally cases;  // the cases of its counted bad ratings (no overdue: that needs an as-of date)
};

// `close_days`: working days from rating to closing → number of counted cases closed so.
// The median is exact; `assumed_years` stays empty (the histogram does not keep calendar years).
PublicFigures PublicFiguresFromAggregates(std::span<const AggregateCell> cells, const std::map<int, long>& close_days,
                                          const Period& period, Date as_of, const PublicOptions& options = {});

// Twice the median of a histogram value → count (none when empty), as ComputePublicFigures.
std::optional<long> MedianHalves(const std::map<int, long>& histogram);

}  // namespace hcp
