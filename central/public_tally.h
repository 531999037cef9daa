#pragma once
// The arithmetic of the pre-aggregated public figures (migration 6, docs/reports.md §10), shared by
// both stores so they count alike; the SQL that adds these deltas lives in each store. Pure: no
// database, no clock.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/date.h"

namespace hcp::central {

// Where a rating counts: its day and the dimensions of its aggregate cell, from the relaying edge
// and the verified claims (or, for a default rating, the case as reported). There is no hall in
// a ticket: an edge serves one 政务服务大厅, so a rating made in a hall (at a window, on a QR code,
// a tablet or a terminal) counts for the hall of its edge; an online rating for none.
struct RatingPlace {
  std::string day;  // YYYY-MM-DD (the centre's day the rating was stored)
  std::string area, unit, hall, window, item;
  std::string unit_name, item_name;
  bool is_public = false;
};
RatingPlace PlaceOf(const std::string& edge, const RelayedRating& r, const std::string& day);

// The counters of one public_tally row, in column order.
inline constexpr int kTallyColumns = 15;
inline constexpr const char* kTallyColumnNames[kTallyColumns] = {
    "l1", "l2", "l3", "l4", "l5", "d1", "d2", "d3", "d4", "d5",
    "upheld", "valid_bad", "rectified", "on_time", "closed_invalid"};
struct TallyDelta {
  int64_t v[kTallyColumns] = {};
  bool Empty() const;
  void Add(const TallyDelta& other);
};
// A newly stored rating (satisfaction 1..5, deployed direction).
TallyDelta RatingDelta(int satisfaction, bool is_default);
// A bad rating's case going from `before` to `after` (an upheld appeal moves the rating out of
// its level into `upheld`, and takes its case figures with it).
TallyDelta CaseDelta(int satisfaction, const CaseFigures& before, const CaseFigures& after);

// grain ("D", "M", "Y"), period, area, unit, hall, window, item
using CellKey = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string>;
// A change on a day lands in that day's, month's and year's cells. Ordered maps: the stores write
// rows in key order, so concurrent writers lock rows in one order.
void AddAt(std::map<CellKey, TallyDelta>& cells, const RatingPlace& place, const TallyDelta& delta);
// The close-days histogram: (cell, days) → cases.
void AddCloseDays(std::map<std::pair<CellKey, int>, int64_t>& hist, const RatingPlace& place, const CaseFigures& before,
                  const CaseFigures& after);
// Names seen with a rating (latest wins): kind, key, name.
void AddNames(std::map<std::pair<std::string, std::string>, std::string>& names, const RatingPlace& place);

// Whole years, then whole months, then single days covering [first, last]: grain, first, last.
struct PeriodSegment {
  std::string grain, first, last;
};
std::vector<PeriodSegment> Segments(Date first, Date last);

// What a bad rating's case counts for (the shared definitions: ApplyCaseState, CaseFactsOf, and
// working days as in ComputePublicFigures). `rating_day` is the day the case opened.
CaseFigures FiguresOf(int satisfaction, Date rating_day, const CaseState& state, const WorkingCalendar& calendar);

}  // namespace hcp::central
