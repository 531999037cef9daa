// hcp case replay: run a bad-rating case's events through the closed-loop state machine.
#include <cstdlib>
#include <iostream>

#include "cli_io.h"
#include "commands.h"
#include "hcp/case_json.h"
#include "hcp/wire.h"

namespace hcp::cli {
namespace {

constexpr const char* kHelp = R"(usage: hcp case replay [--today YYYY-MM-DD] [--calendar DIR]
                       [--return-visit N] [--rectify N] [--rectify-complex N] [--invalid-report N]

Reads a JSON list of events on standard input and prints, after each, the case's state and the
deadline in force, as JSON. An event that is not allowed stops the replay: exit 1 with its error
id, e.g. case.transition_not_allowed, case.actor_not_allowed, case.field_required.

event: {"date": "YYYY-MM-DD", "actor": "system|unit|office", "action": "...", "fields": {...}}
actions (actor):
  open (system)            the bad rating becomes a to-do; return visit due in 2 working days
  return_visit (unit)      fields: method phone|sms|in_person, outcome valid|invalid, complex true|false
  extend (unit)            fields: reason, new_due (YYYY-MM-DD, later than the current deadline)
  rectify (unit)           fields: result (the feedback to the citizen)
  confirm (unit)           fields: method; closes a rectified case after the follow-up visit
  report (unit)            fields: report; an invalid bad rating goes to the office for review
  review (office)          fields: decision approve|reject (reject sends it to rectification)
  appeal (unit)            fields: reason; the staff's 申诉, once per case
  decide_appeal (office)   fields: decision uphold|reject (uphold closes it, out of the statistics)

options:
  --today DATE        also say whether the deadline is overdue and how many working days are left
  --calendar DIR      extra year files, as for hcp calendar
  --return-visit N, --rectify N, --rectify-complex N, --invalid-report N
                      working-day limits (defaults 2, 10, 15, 10)

example:
  echo '[{"date":"2026-09-30","actor":"system","action":"open"}]' | hcp case replay
)";

bool ParseLimit(const ParsedArgs& args, const char* name, int& out) {
  auto v = args.Get(name);
  if (!v) return true;
  char* end = nullptr;
  out = static_cast<int>(std::strtol(v->c_str(), &end, 10));
  if (!v->empty() && *end == '\0') return true;
  std::cerr << "hcp case replay: --" << name << " must be a whole number\n";
  return false;
}

}  // namespace

int CaseCommand(const Args& args) {
  auto parsed = ParseArgs(args, {"today", "calendar", "return-visit", "rectify", "rectify-complex", "invalid-report"});
  if (!parsed) return 2;
  if (parsed->help || parsed->positional.size() != 1 || parsed->positional[0] != "replay") {
    std::cout << kHelp;
    return parsed->help ? 0 : 2;
  }
  CaseLimits limits;
  if (!ParseLimit(*parsed, "return-visit", limits.return_visit) || !ParseLimit(*parsed, "rectify", limits.rectify) ||
      !ParseLimit(*parsed, "rectify-complex", limits.rectify_complex) ||
      !ParseLimit(*parsed, "invalid-report", limits.invalid_report))
    return 2;
  if (auto errors = ValidateCaseLimits(limits); !errors.empty()) {
    PrintErrors(errors);
    return 2;
  }
  std::optional<Date> today;
  if (auto t = parsed->Get("today")) {
    auto d = Date::Parse(*t, "today");
    if (!d) {
      PrintErrors(d.errors());
      return 2;
    }
    today = *d;
  }
  auto calendar = LoadCalendar(parsed->Get("calendar"));
  if (!calendar) {
    PrintErrors(calendar.errors());
    return 2;
  }

  auto body = ParseJson(ReadStdin());
  if (!body) {
    std::cout << Dump(ErrorsToJson(body.errors()), 2) << "\n";
    return 1;
  }
  auto events = ParseCaseEvents(*body);
  if (!events) {
    std::cout << Dump(ErrorsToJson(events.errors()), 2) << "\n";
    return 1;
  }

  Json steps = Json::array();
  CaseState state;
  for (size_t i = 0; i < events->size(); ++i) {
    auto next = Apply(state, (*events)[i], limits, *calendar);
    if (!next) {
      Errors errors = next.errors();
      for (auto& e : errors) e.field = "[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
      Json out = ErrorsToJson(errors);
      out["steps"] = steps;  // what was replayed before the illegal event
      std::cout << Dump(out, 2) << "\n";
      return 1;
    }
    state = std::move(next).value();
    Json step = today ? CaseStateToJson(state, *today, *calendar) : CaseStateToJson(state);
    step.erase("history");  // the steps themselves are the history
    steps.push_back({{"event", CaseEventToJson((*events)[i])}, {"state", std::move(step)}});
  }
  std::cout << Dump(steps, 2) << "\n";
  if (!state.assumed_years.empty()) {
    CalendarAnswer<int> a;
    a.assumed_years = state.assumed_years;
    PrintErrors(a.Warnings(), "warning");
  }
  return 0;
}

}  // namespace hcp::cli
