#pragma once
// The ratings in the order the national export sends them: by export sequence (docs/reports.md
// §7). Every stored rating gets its number once, from a serialised stamping step that commits
// before the next may start, so once a reader has seen number n it has seen every number below n:
// "everything after watermark W" never skips a rating committed later, and never repeats one.
#include <cstdint>
#include <vector>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/national_export.h"
#include "hcp/result.h"

namespace hcp::central {

struct FeedChunk {
  std::vector<Json> rows;      // mapped records, in sequence order
  int64_t last = 0;            // the sequence of the last row in `rows` (the watermark after them)
  Errors errors;               // why the record after `last` cannot be exported (then `stopped`)
  bool stopped = false;
};

// Maps the ratings with since < sequence <= upto, at most `limit` of them, and stops before the
// first one the mapping cannot express (its errors say why, prefixed with its sequence), so the
// watermark never passes a record that was not exported.
Result<FeedChunk> ReadFeed(CentralStore& store, int64_t since, int64_t upto, int64_t limit, const ExportMapping& mapping,
                           const WorkingCalendar& calendar, const CaseLimits& limits);

}  // namespace hcp::central
