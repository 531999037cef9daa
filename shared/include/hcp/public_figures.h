#pragma once
// What the public sees (MoT 第十三条; SR 第十四条): number of ratings, 好评率 (with and without system
// default ratings), bad ratings, rectification, hot items, rankings, and the published bad ratings
// with personal data masked. Small counts are suppressed: a rate over fewer than `min_sample`
// ratings says little and can point at one citizen, so it shows "样本不足" instead.
// Exact definitions: docs/reports.md.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hcp/calendar.h"
#include "hcp/figure_format.h"
#include "hcp/period.h"
#include "hcp/rating_record.h"
#include "hcp/statistics.h"
#include "hcp/wire.h"

namespace hcp {

struct PublicOptions {
  long min_sample = kDefaultMinSample;
  int hot_items = 10;
  // 热评事项 are the items citizens rated most; a default rating is nobody's opinion.
  bool hot_items_count_defaults = false;
};

struct HotItem {
  std::string item;
  std::string item_name;
  long ratings = 0;
};

// A unit, hall or window with its tally. Windows are keyed "hall/window", since window numbers
// repeat from hall to hall.
struct RankedGroup {
  std::string key;
  std::string name;
  Tally tally;
  CaseTally cases;
  int rank = 0;  // 1-based; equal 好评率 share a rank (1, 2, 2, 4); 0 = not ranked (样本不足)
};

struct PublicFigures {
  Period period;
  Date as_of;
  long min_sample = kDefaultMinSample;
  Tally tally;      // ratings made in the period
  CaseTally cases;  // their bad-rating cases, as they stand on `as_of`
  long closed_cases = 0;                    // cases closed by `as_of`
  std::optional<long> median_close_halves;  // twice the median working days rating → closed
  std::vector<HotItem> hot_items;
  std::vector<RankedGroup> units, halls, windows;
  std::vector<int> assumed_years;  // calendar years counted Monday–Friday for the median
};

PublicFigures ComputePublicFigures(std::span<const RatingRecord> records, const Period& period, Date as_of,
                                   const WorkingCalendar& calendar, const PublicOptions& options = {});

// Ranks by 好评率 (system defaults included, the published figure), highest first; groups below
// `min_sample` ratings are not ranked and come last. Ties: same rank, then more ratings first,
// then key order. Sorts `groups` in place.
void RankGroups(std::vector<RankedGroup>& groups, long min_sample);

// A bad rating as published: only when the evaluator agreed (is_public), never one taken out by an
// upheld appeal; comment and evaluator masked.
struct PublishedBadRating {
  std::string id;
  Date date;
  std::string unit_name;
  std::string hall_name;
  std::string window_name;
  std::string item_name;
  Level level = Level::Dissatisfied;
  std::vector<std::string> reasons;
  std::string comment;    // MaskPersonalData
  std::string evaluator;  // MaskName
  std::string status;     // "verifying" | "rectifying" | "overdue" | "rectified" | "invalid_review" | "invalid"
};
// Newest first (date, then id descending).
std::vector<PublishedBadRating> PublishBadRatings(std::span<const RatingRecord> records, const Period& period,
                                                  Date as_of);
std::string_view BadStatusName(std::string_view status, Lang lang);  // "rectified" → 已整改

// The public page's JSON: every rate as {numerator, denominator, display} with display already
// suppressed, so a client cannot show what must not be shown.
Json PublicFiguresToJson(const PublicFigures& f);
Json PublishedBadRatingsToJson(const std::vector<PublishedBadRating>& list);
Json RateToJson(const Rate& r, long min_sample);

}  // namespace hcp
