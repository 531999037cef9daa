#pragma once
// The arithmetic of the pre-aggregated public figures (migration 6, docs/reports.md §10), shared by
// both stores so they count alike; the SQL that adds these deltas lives in each store. Pure: no
// database, no clock.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/date.h"

namespace hcp::central {

// Where a rating counts: its day and the dimensions of its aggregate cell, from the verified
// claims (or, for a default rating, the case as reported), by the rules of the 通报
// (rating_source.cpp, docs/reports.md §1), so a unit's, hall's or window's figures are the same on
// the public page and in the report: the day the citizen rated (received at the edge, China
// time), not the day the centre stored it; the hall and window from the window claim
// ("HALL/WINDOW", hall_window.h), not from the relaying edge.
struct RatingPlace {
  std::string day;  // YYYY-MM-DD
  std::string area, unit, hall, window, item;
  std::string unit_name, item_name;
  bool is_public = false;
};
RatingPlace PlaceOf(const RelayedRating& r);

// The counters of one public_tally row, in column order. `listed`: the published bad ratings
// (public_cases rows with is_public and not upheld: those /api/v1/public/bad-ratings lists), so
// the page counts them from the same reads as the figures (migration 10); the columns before it
// are those of migration 6 (kTallyColumnsOfMigration6, what migration 9 was written for).
inline constexpr int kTallyColumns = 16;
inline constexpr int kTallyColumnsOfMigration6 = 15;
inline constexpr int kListed = 15;
inline constexpr const char* kTallyColumnNames[kTallyColumns] = {
    "l1", "l2", "l3", "l4", "l5", "d1", "d2", "d3", "d4", "d5",
    "upheld", "valid_bad", "rectified", "on_time", "closed_invalid", "listed"};
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
// A bad rating's public_cases row going from listed (published: is_public and not upheld) or not
// to listed or not.
TallyDelta ListedDelta(bool before, bool after);

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
// The same period over the cells that hold data from `first_day` to `last_day` (the first and the
// last day cell stored): past either end there is nothing to count, so a period reaching beyond an
// end is widened there to its whole year. The sums are unchanged, and the segments fewer: this
// year to today is one year cell, not months and single days (docs/performance.md).
std::pair<Date, Date> Widened(Date first, Date last, Date first_day, Date last_day);

// ---- Year-to-date rows (public_to_date; docs/reports.md §10, docs/performance.md) ----
// A row (cell, day) holds the cell's counters summed from 1 January of the day's year to that day,
// and the close-days histogram in buckets h0..h31 (working days) and h32 (32 or more). There is a
// row on each day the cell has a day cell (public_tally grain D); the cell's figure as of any day
// is its latest row on or before that day within the year. So any period within a year is at most
// two lookups per cell (to its end, minus to the day before its start), however many days it has.
inline constexpr int kCloseBuckets = 33;
// "l1, …, listed, h0, …, h32": the counter columns of public_to_date, in order (the first
// `tally_columns` of kTallyColumnNames: a migration keeps the columns of its time).
std::string ToDateCounters(int tally_columns = kTallyColumns);
// The SQL that makes public_to_date and fills it from the day cells (the same in both stores);
// the fill alone (an INSERT … SELECT from public_tally and public_close_days).
// `collate`: how the text columns compare (PostgreSQL: ` COLLATE "C"`, byte order, several times
// faster to look up than a language's order; SQLite: "", its binary order already).
std::string ToDateMigration(const std::string& collate, int tally_columns = kTallyColumns);
std::string ToDateFill(int tally_columns = kTallyColumns);
// Migration 10: the `listed` counter in public_tally, counted from public_cases (ListedFill: an
// UPDATE of the cells that have listed ratings), and public_to_date made again with it (the same
// SQL in both stores).
std::string ListedMigration(const std::string& collate);
const std::string& ListedFill();
struct ToDateDelta {
  TallyDelta tally;
  int64_t close[kCloseBuckets] = {};
  int64_t At(int column) const { return column < kTallyColumns ? tally.v[column] : close[column - kTallyColumns]; }
};
// The day cells' changes (grain D of `cells` and `hist`) by (cell, day): grain "D" in the key.
std::map<CellKey, ToDateDelta> ToDateDeltas(const std::map<CellKey, TallyDelta>& cells,
                                            const std::map<std::pair<CellKey, int>, int64_t>& hist);
// One read of a period's figures: each cell's latest row on a day in [first, last], times sign.
// With a `grain` ("Y" or "M"), the part is whole years or whole months (it may end after the
// last day with data: nothing is stored after it): the cells of the periods first..last of that
// grain are read instead (public_tally and public_close_days), without a lookup.
struct ToDateRead {
  std::string first, last, year;
  int sign = 1;
  std::string grain;
};
// The lookups for [first, last] over data stored from first_day to last_day (none outside).
std::vector<ToDateRead> ToDateReads(Date first, Date last, Date first_day, Date last_day);
// The looked-up rows of a period summed per cell (unit, hall, window, item), each times its sign.
class ToDateSum {
 public:
  static constexpr int kValues = kTallyColumns + kCloseBuckets;
  void Add(std::string_view unit, std::string_view hall, std::string_view window, std::string_view item,
           const int64_t (&values)[kValues], int sign);
  // A whole year's histogram (not per cell): `n` cases closed in `days` working days.
  void AddCloseDays(int days, int64_t n, int sign);
  // Another sum's cells and buckets added to these (reads summed apart, on other threads).
  void Merge(const ToDateSum& other);
  // The cells with any count into out.cells, the buckets into out.close_days (32: 32 or more days).
  void Into(PublicCells& out) const;

 private:
  // By cell: its four parts, each after its length (4 bytes), in one string (a from/to range adds
  // ~7,500 rows at 10 million ratings: one key built and hashed per row, where a map by the four
  // strings made four and compared them ~12 times).
  std::unordered_map<std::string, std::array<int64_t, kValues>> cells_;
  std::string key_;  // Add's buffer
  std::array<int64_t, kCloseBuckets> close_{};
};
// The median of a histogram read from buckets is exact unless it falls in the last (32 or more):
// true when the values of that bucket are needed (the store then reads them from the day cells).
bool MedianInLastBucket(const std::map<int, int64_t>& buckets);

// What a bad rating's case counts for (the shared definitions: ApplyCaseState, CaseFactsOf, and
// working days as in ComputePublicFigures). `rating_day` is the day the case opened.
CaseFigures FiguresOf(int satisfaction, Date rating_day, const CaseState& state, const WorkingCalendar& calendar);

}  // namespace hcp::central
