#pragma once
// The centre's ratings as the shared core's RatingRecord (rating_record.h): the one place where a
// stored row (its claims, its rating, its handling case's events) becomes what the 通报, the
// sample and the national export count. Reads pages from the store (CentralStore::ScanRatings),
// so a month of a million ratings is never in memory at once.
#include <cstdint>
#include <functional>
#include <string>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/date.h"
#include "hcp/period.h"
#include "hcp/rating_record.h"
#include "hcp/result.h"

namespace hcp::central {

// The first millisecond of `day` in China Standard Time (the centre's day, centre_day.h).
int64_t DayStartMs(Date day);

// One stored rating as a record. The case is replayed through the shared case machine with the
// centre's calendar and limits; a rating taken out by an upheld appeal is appeal_upheld.
// `report.record_invalid` (field = the rating id) when the row cannot be read.
Result<RatingRecord> ToRatingRecord(const StoredRating& row, const WorkingCalendar& calendar, const CaseLimits& limits);

struct RecordFilter {
  Period period;     // days the ratings were made (received at an edge, China time)
  std::string unit;  // empty: every unit
  std::string area;  // empty: every area (行政区划 of the claims)
};

// Every record of `filter`, in (received time, id) order, handed to `each` one at a time.
Result<int64_t> ForEachRecord(CentralStore& store, const RecordFilter& filter, const WorkingCalendar& calendar,
                              const CaseLimits& limits, const std::function<void(const RatingRecord&)>& each);

}  // namespace hcp::central
