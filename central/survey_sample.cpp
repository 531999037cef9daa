#include "survey_sample.h"

#include <map>
#include <tuple>

#include "rating_source.h"

namespace hcp::central {

Result<SampleOutcome> DrawSurveySample(CentralStore& store, const SampleRequest& request, const WorkingCalendar& calendar,
                                       const CaseLimits& limits, int64_t now_ms) {
  const std::string month = MonthLabel(request.month);
  const std::string seed = std::to_string(request.seed);
  auto existing = LoadSurveySample(store, month, seed, "");
  if (!existing) return existing.errors();
  if (*existing) {
    if ((*existing)->sample.size != request.size)
      return MakeError("sampling.conflict", "size", month + " / " + seed + ": " + std::to_string((*existing)->sample.size));
    return std::move(**existing);
  }

  // The frame only: DrawSample asks each (unit, evaluator) about their earliest counted rating of
  // the unit in the month, so only that one is kept, with exactly DrawSample's rules (no upheld
  // appeal, no anonymous rating, no system default; earliest by day, second, id; the unit's name
  // from its first rating). A month of a million ratings then needs memory for its evaluators.
  struct Earliest {
    std::string rating_id, case_id;
    int assess = 1;
    Date on;
    int second = 0;
  };
  std::map<std::pair<std::string, std::string>, Earliest> earliest;
  std::map<std::string, std::string> unit_names;
  auto read = ForEachRecord(store, RecordFilter{request.month, "", ""}, calendar, limits, [&](const RatingRecord& r) {
    if (r.appeal_upheld || r.evaluator_id.empty() || r.is_default) return;
    std::string& name = unit_names[r.unit];
    if (name.empty()) name = r.unit_name;
    auto [it, fresh] = earliest.try_emplace({r.unit, r.evaluator_id},
                                            Earliest{r.id, r.project_no, r.assess, r.assessed_on, r.assessed_second});
    Earliest& e = it->second;
    if (!fresh && std::tie(r.assessed_on, r.assessed_second, r.id) < std::tie(e.on, e.second, e.rating_id))
      e = Earliest{r.id, r.project_no, r.assess, r.assessed_on, r.assessed_second};
  });
  if (!read) return read.errors();
  std::vector<RatingRecord> records;
  records.reserve(earliest.size());
  for (auto it = earliest.begin(); it != earliest.end(); it = earliest.erase(it)) {
    RatingRecord slim;
    slim.id = std::move(it->second.rating_id);
    slim.project_no = std::move(it->second.case_id);
    slim.assess = it->second.assess;
    slim.unit = it->first.first;
    slim.unit_name = unit_names[slim.unit];
    slim.evaluator_id = it->first.second;
    slim.assessed_on = it->second.on;
    slim.assessed_second = it->second.second;
    records.push_back(std::move(slim));
  }
  SampleOptions options;
  options.size = request.size;
  options.seed = request.seed;
  auto drawn = DrawSample(records, request.month, options);
  if (!drawn) return drawn.errors();

  std::map<std::string, const RatingRecord*> by_id;
  for (const auto& r : records) by_id[r.id] = &r;
  SampleOutcome out;
  out.created = true;
  out.sample = SampleRecord{month, seed, request.size, drawn->population, request.by, now_ms};
  int position = 0;
  for (const auto& p : drawn->picked) {
    const RatingRecord* r = by_id.at(p.rating_id);
    out.tasks.push_back(SurveyTask{month, seed, ++position, p.unit, p.unit_name, p.evaluator_id, p.rating_id,
                                   r->project_no, r->assess});
  }
  auto stored = store.StoreSample(out.sample, out.tasks);
  if (!stored) return stored.errors();
  if (*stored) return out;
  // Someone stored this month and seed between our look and our write: theirs stands.
  return DrawSurveySample(store, request, calendar, limits, now_ms);
}

Result<std::optional<SampleOutcome>> LoadSurveySample(CentralStore& store, const std::string& month,
                                                      const std::string& seed, const std::string& unit) {
  auto sample = store.FindSample(month, seed);
  if (!sample) return sample.errors();
  if (!*sample) return std::optional<SampleOutcome>();
  auto tasks = store.SurveyTasks(month, seed, unit);
  if (!tasks) return tasks.errors();
  return std::optional<SampleOutcome>(SampleOutcome{false, std::move(**sample), std::move(tasks).value()});
}

Json SurveySampleToJson(const SampleOutcome& o) {
  Json tasks = Json::array();
  for (const auto& t : o.tasks)
    tasks.push_back(Json{{"position", t.position}, {"unit", t.unit}, {"unit_name", t.unit_name},
                         {"evaluator", t.evaluator_id}, {"rating", t.rating_id}, {"case", t.case_id},
                         {"assess", t.assess}});
  return Json{{"month", o.sample.month}, {"seed", o.sample.seed}, {"size", o.sample.size},
              {"population", o.sample.population}, {"created", o.created}, {"created_by", o.sample.created_by},
              {"created_at_ms", o.sample.created_at_ms}, {"tasks", tasks}};
}

}  // namespace hcp::central
