#pragma once
// The bad-rating case on the wire: events in, state out. Decoding never throws (nlohmann/json
// is used through its non-throwing entry points only).
#include <vector>

#include <nlohmann/json.hpp>

#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/result.h"

namespace hcp {

// [{"date":"2026-11-02","actor":"system","action":"open"},
//  {"date":"2026-11-03","actor":"unit","action":"return_visit",
//   "fields":{"method":"phone","outcome":"valid","complex":false}}]
// Field values are strings or booleans (kept as "true"/"false"). Every fault is reported, with
// its path ("[1].fields.complex"): request.field_type, request.field_required,
// request.unknown_field, date.invalid, case.actor_unknown, case.action_unknown.
Result<std::vector<CaseEvent>> ParseCaseEvents(const nlohmann::json& j);
nlohmann::json CaseEventToJson(const CaseEvent& event);  // ParseCaseEvents reads it back

// {"state":"rectifying","resolution":null,"deadline":{"kind":"rectify","due":"2026-11-17"},
//  "appeal":"none","valid_bad":true,...,"allowed":{"unit":[...],"office":[...],"system":[...]},
//  "history":[...]}
nlohmann::json CaseStateToJson(const CaseState& state);
// The same, plus deadline.overdue and deadline.working_days_left as of `today`; assumed_years
// then also covers the years counted for working_days_left.
nlohmann::json CaseStateToJson(const CaseState& state, Date today, const WorkingCalendar& calendar);

}  // namespace hcp
