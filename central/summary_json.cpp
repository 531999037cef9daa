#include "summary_json.h"

namespace hcp::central {
namespace {

Json RateToJson(const Rate& r) {
  auto v = r.Value();
  return Json{{"numerator", r.numerator}, {"denominator", r.denominator}, {"value", v ? Json(*v) : Json(nullptr)}};
}

Json TallyToJson(const Tally& t) {
  Json by_level = Json::object();
  for (Level l : kAllLevels) by_level[std::to_string(static_cast<int>(l))] = t.Count(l);
  return Json{{"total", t.Total()},
              {"by_level", by_level},
              {"good", GoodCount(t)},
              {"bad", BadCount(t)},
              {"defaults", t.Defaults()},
              {"good_rate", RateToJson(GoodRate(t))},
              {"good_rate_excluding_defaults", RateToJson(GoodRateExcludingDefaults(t))}};
}

}  // namespace

Json SummaryToJson(const Summary& summary) {
  Json out = TallyToJson(summary.all);
  out["rejected"] = summary.rejected;
  Json by_reason = Json::object();  // rating.already_rated (a second rating of a case), ingest.rating_invalid
  for (const auto& [reason, count] : summary.rejected_by_reason) by_reason[reason] = count;
  out["rejected_by_reason"] = std::move(by_reason);
  out["excluded"] = summary.all.Excluded();
  Json units = Json::array();
  for (const auto& u : summary.by_unit) {
    Json j = TallyToJson(u.tally);
    j["unit"] = u.unit;
    j["unit_name"] = u.unit_name;
    units.push_back(std::move(j));
  }
  out["by_unit"] = std::move(units);
  Json channels = Json::object();
  for (const auto& [channel, tally] : summary.by_channel) channels[channel] = TallyToJson(tally);
  out["by_channel"] = std::move(channels);
  return out;
}

}  // namespace hcp::central
