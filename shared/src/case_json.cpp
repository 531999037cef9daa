#include "hcp/case_json.h"

#include <algorithm>
#include <string>

namespace hcp {
namespace {

using nlohmann::json;

Error TypeError(std::string field, std::string_view expected) {
  return MakeError("request.field_type", std::move(field), expected);
}

// Keys are cut short in errors: they come from outside and end up in logs and responses.
std::string Key(const std::string& key) { return key.substr(0, 40); }

void ParseEvent(const json& j, const std::string& at, std::vector<CaseEvent>& out, Errors& errors) {
  if (!j.is_object()) {
    errors.push_back(TypeError(at, "object"));
    return;
  }
  const size_t errors_before = errors.size();
  CaseEvent event;
  bool has_date = false, has_actor = false, has_action = false;
  for (const auto& [key, v] : j.items()) {
    const std::string path = at + "." + Key(key);
    if (key == "date") {
      has_date = true;
      if (!v.is_string()) {
        errors.push_back(TypeError(path, "string"));
      } else if (auto d = Date::Parse(v.get<std::string>(), path)) {
        event.date = *d;
      } else {
        errors.insert(errors.end(), d.errors().begin(), d.errors().end());
      }
    } else if (key == "actor" || key == "action") {
      (key == "actor" ? has_actor : has_action) = true;
      if (!v.is_string()) {
        errors.push_back(TypeError(path, "string"));
        continue;
      }
      const std::string& name = v.get_ref<const std::string&>();
      if (key == "actor") {
        if (auto a = CaseActorFromWire(name)) event.actor = *a;
        else errors.push_back(MakeError("case.actor_unknown", path, name.substr(0, 40)));
      } else {
        if (auto a = CaseActionFromWire(name)) event.action = *a;
        else errors.push_back(MakeError("case.action_unknown", path, name.substr(0, 40)));
      }
    } else if (key == "fields") {
      if (v.is_null()) continue;
      if (!v.is_object()) {
        errors.push_back(TypeError(path, "object"));
        continue;
      }
      for (const auto& [name, value] : v.items()) {
        if (value.is_string()) event.fields[name] = value.get<std::string>();
        else if (value.is_boolean()) event.fields[name] = value.get<bool>() ? "true" : "false";
        else errors.push_back(TypeError(path + "." + Key(name), "string or boolean"));
      }
    } else {
      errors.push_back(MakeError("request.unknown_field", path));
    }
  }
  if (!has_date) errors.push_back(MakeError("request.field_required", at + ".date"));
  if (!has_actor) errors.push_back(MakeError("request.field_required", at + ".actor"));
  if (!has_action) errors.push_back(MakeError("request.field_required", at + ".action"));
  if (errors.size() == errors_before) out.push_back(std::move(event));
}

json OptionalBool(const std::optional<bool>& b) { return b ? json(*b) : json(nullptr); }
json OptionalDate(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(nullptr); }

}  // namespace

Result<std::vector<CaseEvent>> ParseCaseEvents(const json& j) {
  if (!j.is_array()) return TypeError("", "array");
  std::vector<CaseEvent> events;
  Errors errors;
  for (size_t i = 0; i < j.size(); ++i) ParseEvent(j[i], "[" + std::to_string(i) + "]", events, errors);
  if (!errors.empty()) return errors;
  return events;
}

json CaseEventToJson(const CaseEvent& event) {
  json fields = json::object();
  for (const auto& [name, value] : event.fields) fields[name] = value;
  return json{{"date", event.date.ToString()},
              {"actor", std::string(WireName(event.actor))},
              {"action", std::string(WireName(event.action))},
              {"fields", std::move(fields)}};
}

json CaseStateToJson(const CaseState& s) {
  json history = json::array();
  for (const auto& step : s.history) {
    json e = CaseEventToJson(step.event);
    e["from"] = std::string(WireName(step.from));
    e["to"] = std::string(WireName(step.to));
    e["due"] = OptionalDate(step.due);
    e["notify_citizen"] = step.notify_citizen;
    history.push_back(std::move(e));
  }
  json allowed = json::object();
  for (CaseActor actor : kAllCaseActors) {
    json names = json::array();
    for (CaseAction a : AllowedActions(s, actor)) names.push_back(std::string(WireName(a)));
    allowed[std::string(WireName(actor))] = std::move(names);
  }
  return json{
      {"state", std::string(WireName(s.status))},
      {"resolution", s.resolution == CaseResolution::None ? json(nullptr) : json(std::string(WireName(s.resolution)))},
      {"deadline", {{"kind", std::string(WireName(s.deadline))}, {"due", OptionalDate(s.due)}}},
      {"appeal", std::string(WireName(s.appeal))},
      {"valid_bad", s.valid_bad},
      {"complex", s.complex},
      {"excluded_from_statistics", s.excluded_from_statistics},
      {"visit_on_time", OptionalBool(s.visit_on_time)},
      {"report_on_time", OptionalBool(s.report_on_time)},
      {"rectified_on_time", OptionalBool(s.rectified_on_time)},
      {"extensions", s.extensions},
      {"assumed_years", s.assumed_years},
      {"allowed", std::move(allowed)},
      {"history", std::move(history)},
  };
}

json CaseStateToJson(const CaseState& s, Date today, const WorkingCalendar& calendar) {
  json out = CaseStateToJson(s);
  const auto overdue = Overdue(s, today);
  out["deadline"]["overdue"] = OptionalBool(overdue);
  out["deadline"]["working_days_left"] = nullptr;
  if (auto left = WorkingDaysLeft(s, today, calendar)) {
    out["deadline"]["working_days_left"] = left->value;
    std::vector<int> years = s.assumed_years;
    for (int y : left->assumed_years) {
      if (std::find(years.begin(), years.end(), y) == years.end()) years.push_back(y);
    }
    std::sort(years.begin(), years.end());
    out["assumed_years"] = years;
  }
  return out;
}

}  // namespace hcp
