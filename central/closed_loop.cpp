#include "closed_loop.h"

#include <algorithm>

#include "citizen_notice.h"
#include "hcp/case_json.h"
#include "hcp/wire.h"
#include "webhook_event.h"
#include "public_tally.h"

namespace hcp::central {
namespace {

bool IsHandler(const Actor& a) { return a.role == "handler"; }
bool IsOffice(const Actor& a) { return a.role == "reviewer" || a.role == "admin"; }
bool KnownRole(const Actor& a) { return IsHandler(a) || IsOffice(a) || a.role == "auditor"; }

// The stored rows as the case machine's events, read back by the core's own parser.
Result<std::vector<CaseEvent>> EventsOf(const HandlingCase& c) {
  Json list = Json::array();
  for (const auto& e : c.events) {
    auto fields = ParseJson(e.fields_json);
    if (!fields) return fields.errors();
    list.push_back(Json{{"date", e.date}, {"actor", e.actor}, {"action", e.action}, {"fields", *fields}});
  }
  return ParseCaseEvents(list);
}

// The case's state for the audit trail's before and after: what a reader of the trail needs to
// see the step, not the whole history (which the case's events keep).
Json AuditState(const CaseState& state, size_t events) {
  return Json{{"state", WireName(state.status)},
              {"resolution", state.resolution == CaseResolution::None ? Json() : Json(WireName(state.resolution))},
              {"deadline", WireName(state.deadline)},
              {"due", state.due ? Json(state.due->ToString()) : Json()},
              {"appeal", WireName(state.appeal)},
              {"valid_bad", state.valid_bad},
              {"extensions", state.extensions},
              {"events", events}};
}

}  // namespace

bool MaySeeUnit(const Actor& who, const std::string& unit) {
  if (IsHandler(who)) return !who.unit.empty() && who.unit == unit;
  return KnownRole(who);
}

Result<CaseActor> ClosedLoop::ActingAs(const Actor& who, const std::string& case_unit, CaseAction action) {
  if (!MaySeeUnit(who, case_unit)) return MakeError("auth.forbidden", "unit", case_unit);
  if (IsHandler(who)) return CaseActor::Unit;
  if (IsOffice(who)) return CaseActor::Office;
  // An auditor reads only.
  return MakeError("auth.forbidden", "action", std::string(WireName(action)));
}

std::vector<CaseAction> ClosedLoop::AllowedFor(const Actor& who, const HandlingView& view) {
  if (!MaySeeUnit(who, view.record.unit)) return {};
  if (IsHandler(who)) return AllowedActions(view.state, CaseActor::Unit);
  if (IsOffice(who)) return AllowedActions(view.state, CaseActor::Office);
  return {};
}

Result<HandlingView> ClosedLoop::View(HandlingCase record) const {
  auto events = EventsOf(record);
  if (!events) return events.errors();
  auto state = Replay(*events, limits_, calendar_);
  if (!state) return state.errors();
  return HandlingView{std::move(record), std::move(state).value()};
}

Result<HandlingView> ClosedLoop::Handling(const Actor& actor, const std::string& case_id, int assess) {
  auto found = store_.FindHandlingCase(case_id, assess);
  if (!found) return found.errors();
  if (!*found) return MakeError("case.not_found", "case", case_id);
  if (!MaySeeUnit(actor, (*found)->unit)) return MakeError("auth.forbidden", "unit", (*found)->unit);
  return View(std::move(**found));
}

Result<HandlingView> ClosedLoop::Act(const Actor& actor, const std::string& case_id, int assess, std::string_view action,
                                     const CaseFields& fields, Date today, int64_t now_ms) {
  auto found = Handling(actor, case_id, assess);
  if (!found) return found.errors();
  HandlingView view = std::move(found).value();
  const auto what = CaseActionFromWire(action);
  if (!what) return MakeError("case.action_unknown", "action", std::string(action.substr(0, 40)));
  auto as = ActingAs(actor, view.record.unit, *what);
  if (!as) return as.errors();
  const CaseEvent event{today, *as, *what, fields};
  auto next = Apply(view.state, event, limits_, calendar_);
  if (!next) return next.errors();

  Json stored_fields = Json::object();
  for (const auto& [name, value] : fields) stored_fields[name] = value;
  HandlingEvent row{static_cast<int>(view.record.events.size()), today.ToString(), std::string(WireName(*as)),
                    std::string(WireName(*what)), Dump(stored_fields), actor.user, now_ms};
  // Audited in the event's transaction: who (the row's `by`), when, what with its fields, and the
  // state before and after.
  Json after = AuditState(*next, view.record.events.size() + 1);
  after["fields"] = stored_fields;
  row.audit = HandlingEvent::AuditRow{actor.role, actor.unit, Dump(AuditState(view.state, view.record.events.size())),
                                      Dump(after)};
  // What the event owes the citizen (an SMS) and the unit's own system (a webhook on closing),
  // stored with it in its transaction (docs/notifications.md).
  if (auto sms = CitizenNotice(view.record, view.state, *next, event, row.seq, templates_, now_ms)) row.outbox.push_back(*sms);
  if (next->status == CaseStatus::Closed && view.state.status != CaseStatus::Closed)
    row.outbox.push_back(CaseClosedEvent(view.record, *next, today, now_ms));
  const bool closed = next->status == CaseStatus::Closed;
  const bool exclude = next->excluded_from_statistics && !view.state.excluded_from_statistics;
  // What the case counts for in the public figures now (issue 7), from the day it opened.
  auto opened = Date::Parse(view.record.events.empty() ? today.ToString() : view.record.events.front().date);
  const CaseFigures figures = FiguresOf(view.record.satisfaction, opened ? *opened : today, *next, calendar_);
  auto appended = store_.AppendHandlingEvent(case_id, assess, row, closed, exclude, figures);
  if (!appended) return appended.errors();
  if (*appended == AppendStatus::NoCase) return MakeError("case.not_found", "case", case_id);
  if (*appended == AppendStatus::Conflict) return MakeError("case.conflict", "case", case_id);
  view.record.events.push_back(std::move(row));
  view.record.closed = closed;
  view.state = std::move(next).value();
  return view;
}

Result<std::vector<HandlingView>> ClosedLoop::Todos(const Actor& actor, const std::string& unit) {
  if (!MaySeeUnit(actor, unit)) return MakeError("auth.forbidden", "unit", unit);
  auto cases = store_.HandlingCases(unit, true);
  if (!cases) return cases.errors();
  std::vector<HandlingView> out;
  for (auto& c : *cases) {
    auto v = View(std::move(c));
    if (!v) return v.errors();
    out.push_back(std::move(v).value());
  }
  std::stable_sort(out.begin(), out.end(), [](const HandlingView& a, const HandlingView& b) {
    if (a.state.due.has_value() != b.state.due.has_value()) return a.state.due.has_value();
    return a.state.due && *a.state.due < *b.state.due;
  });
  return out;
}

Result<std::vector<HandlingView>> ClosedLoop::Search(const Actor& actor, const CaseQuery& query, Date today,
                                                     size_t limit) {
  std::string unit = query.unit;
  if (IsHandler(actor) && unit.empty()) unit = actor.unit;
  // Office roles search every unit (unit ""); a handler only its own.
  if (unit.empty() ? !KnownRole(actor) || IsHandler(actor) : !MaySeeUnit(actor, unit))
    return MakeError("auth.forbidden", "unit", unit);
  // Every status but "closed" is an open one: the store skips closed cases then.
  const bool open_only = query.appeal_pending || query.overdue || (!query.state.empty() && query.state != "closed");
  auto cases = store_.HandlingCases(unit, open_only);
  if (!cases) return cases.errors();
  std::vector<HandlingView> out;
  for (auto& c : *cases) {
    if (!query.text.empty() && c.case_id.find(query.text) == std::string::npos) continue;
    if (!c.events.empty() && (query.from || query.to)) {
      auto opened = Date::Parse(c.events.front().date);
      if (!opened || (query.from && *opened < *query.from) || (query.to && *query.to < *opened)) continue;
    }
    auto v = View(std::move(c));
    if (!v) return v.errors();
    if (query.state == "open" && v->state.status == CaseStatus::Closed) continue;
    if (query.state == "closed" && v->state.status != CaseStatus::Closed) continue;
    if (!query.state.empty() && query.state != "open" && query.state != "closed" && WireName(v->state.status) != query.state)
      continue;
    if (query.appeal_pending && v->state.appeal != AppealStatus::Pending) continue;
    if (query.overdue && !hcp::Overdue(v->state, today).value_or(false)) continue;
    out.push_back(std::move(v).value());
  }
  std::stable_sort(out.begin(), out.end(), [](const HandlingView& a, const HandlingView& b) {
    const bool a_open = a.state.status != CaseStatus::Closed, b_open = b.state.status != CaseStatus::Closed;
    if (a_open != b_open) return a_open;
    if (a_open) {
      if (a.state.due.has_value() != b.state.due.has_value()) return a.state.due.has_value();
      return a.state.due && *a.state.due < *b.state.due;
    }
    return a.record.opened_at_ms > b.record.opened_at_ms;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::vector<HandlingView>> ClosedLoop::Overdue(Date today) {
  auto cases = store_.HandlingCases("", true);
  if (!cases) return cases.errors();
  std::vector<HandlingView> out;
  for (auto& c : *cases) {
    auto v = View(std::move(c));
    if (!v) return v.errors();
    if (hcp::Overdue(v->state, today).value_or(false)) out.push_back(std::move(v).value());
  }
  return out;
}

}  // namespace hcp::central
