#include "national_feed.h"

#include "rating_source.h"

namespace hcp::central {

Result<FeedChunk> ReadFeed(CentralStore& store, int64_t since, int64_t upto, int64_t limit, const ExportMapping& mapping,
                           const WorkingCalendar& calendar, const CaseLimits& limits) {
  FeedChunk chunk;
  chunk.last = since;
  auto rows = store.RatingsBySequence(since, upto, limit);
  if (!rows) return rows.errors();
  for (const auto& row : *rows) {
    auto record = ToRatingRecord(row, calendar, limits);
    Result<Json> mapped = record ? ExportRating(*record, mapping) : Result<Json>(record.errors());
    if (!mapped) {
      for (auto e : mapped.errors()) {
        std::string field = "[" + std::to_string(row.export_seq) + "]";
        if (!e.field.empty()) field.append(".").append(e.field);
        e.field = std::move(field);
        chunk.errors.push_back(std::move(e));
      }
      chunk.stopped = true;
      return chunk;
    }
    chunk.rows.push_back(std::move(mapped).value());
    chunk.last = row.export_seq;
  }
  return chunk;
}

}  // namespace hcp::central
