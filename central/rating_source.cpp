#include "rating_source.h"

#include "centre_day.h"
#include "hall_window.h"
#include "hcp/case_json.h"
#include "hcp/channel.h"
#include "hcp/level.h"
#include "hcp/wire.h"

namespace hcp::central {
namespace {

std::string Text(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error Invalid(const StoredRating& row, const std::string& why) {
  return MakeError("report.record_invalid", row.id, why);
}

}  // namespace

int64_t DayStartMs(Date day) { return (static_cast<int64_t>(day.DayNumber()) * 86400LL - 8LL * 3600) * 1000; }

Result<RatingRecord> ToRatingRecord(const StoredRating& row, const WorkingCalendar& calendar, const CaseLimits& limits) {
  RatingRecord r;
  r.id = row.id;
  r.project_no = row.case_id;
  r.unit = row.unit;
  r.unit_name = row.unit_name;
  r.dept_code = row.unit;  // integrating systems report the unit by its 统一社会信用代码
  auto channel = ParseChannel(row.channel);
  if (!channel) return Invalid(row, "channel " + row.channel);
  r.channel = *channel;
  auto level = FromCode(row.satisfaction, CodeDirection::Deployed);
  if (!level) return Invalid(row, "satisfaction " + std::to_string(row.satisfaction));
  r.level = *level;
  r.is_default = row.is_default;
  r.assess = row.assess;
  r.assessed_on = CentreDay(row.received_at_ms);
  r.assessed_second = static_cast<int>((row.received_at_ms - DayStartMs(r.assessed_on)) / 1000);

  // The claims as the edge verified them, or for a default rating the case as it was reported:
  // both carry item, item_name, area, window and evaluator {sub, kind, name}.
  auto claims = ParseJson(row.claims_json);
  if (!claims || !claims->is_object()) return Invalid(row, "claims");
  r.item = Text(*claims, "item");
  r.item_name = Text(*claims, "item_name");
  r.area = Text(*claims, "area");
  SplitHallWindow(Text(*claims, "window"), r.hall, r.window);
  r.hall_name = r.hall;  // the code; the 通报 names halls by ReportOptions.hall_names (the config)
  r.window_name = r.window;
  if (auto ev = claims->find("evaluator"); ev != claims->end() && ev->is_object()) {
    r.evaluator_id = Text(*ev, "sub");
    r.evaluator_name = Text(*ev, "name");
    r.evaluator_kind = Text(*ev, "kind") == "org" ? EvaluatorKind::Org : EvaluatorKind::Person;
  }

  auto rating = ParseJson(row.rating_json);
  if (!rating || !rating->is_object()) return Invalid(row, "rating");
  r.comment = Text(*rating, "comment");
  if (auto p = rating->find("public"); p != rating->end() && p->is_boolean()) r.is_public = p->get<bool>();
  if (auto reasons = rating->find("reasons"); reasons != rating->end() && reasons->is_array())
    for (const auto& code : *reasons)
      if (code.is_string()) r.reasons.push_back(code.get<std::string>());

  if (!row.events.empty()) {
    Json list = Json::array();
    for (const auto& e : row.events) {
      auto fields = ParseJson(e.fields_json);
      if (!fields) return Invalid(row, "case event " + std::to_string(e.seq));
      list.push_back(Json{{"date", e.date}, {"actor", e.actor}, {"action", e.action}, {"fields", *fields}});
    }
    auto events = ParseCaseEvents(list);
    if (!events) return Invalid(row, "case events");
    auto state = Replay(*events, limits, calendar);
    if (!state) return Invalid(row, "case replay: " + state.errors().front().id);
    ApplyCaseState(r, *state);
  }
  if (row.excluded) r.appeal_upheld = true;
  return r;
}

Result<int64_t> ForEachRecord(CentralStore& store, const RecordFilter& filter, const WorkingCalendar& calendar,
                              const CaseLimits& limits, const std::function<void(const RatingRecord&)>& each) {
  RatingScan scan;
  scan.from_ms = DayStartMs(filter.period.first);
  scan.to_ms = DayStartMs(filter.period.last.AddDays(1));
  scan.unit = filter.unit;
  int64_t count = 0;
  Errors errors;
  auto scanned = store.ScanRatings(scan, [&](std::vector<StoredRating>& page) {
    for (const auto& row : page) {
      auto record = ToRatingRecord(row, calendar, limits);
      if (!record) {
        errors = record.errors();
        return false;
      }
      if (!filter.area.empty() && record->area != filter.area) continue;
      each(*record);
      ++count;
    }
    return true;
  });
  if (!scanned) return scanned.errors();
  if (!errors.empty()) return errors;
  return count;
}

}  // namespace hcp::central
