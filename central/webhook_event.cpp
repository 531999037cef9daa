#include "webhook_event.h"

#include "hcp/level.h"
#include "hcp/ticket_claims.h"
#include "hcp/wire.h"

namespace hcp::central {
namespace {

// The message around `body`; the id is the event's, so it is the Idempotency-Key of every attempt.
OutboxMessage Message(std::string id, std::string kind, const std::string& case_id, int assess, std::string unit,
                      Json body, int64_t now_ms) {
  Json full = {{"id", id}, {"type", kind}, {"created_at", FormatRfc3339(now_ms / 1000, 480)}};
  full.update(body);
  OutboxMessage m;
  m.id = std::move(id);
  m.channel = "webhook";
  m.case_id = case_id;
  m.assess = assess;
  m.unit = std::move(unit);
  m.kind = std::move(kind);
  m.body = Dump(full);
  m.next_at_ms = now_ms;
  m.created_at_ms = now_ms;
  return m;
}

std::string Prefix(const std::string& case_id, int assess) { return "hook:" + case_id + ":" + std::to_string(assess) + ":"; }

std::string HandlingPath(const std::string& case_id, int assess) {
  return "/api/v1/cases/" + case_id + "/" + std::to_string(assess) + "/handling";
}

Json Deadline(const CaseState& s) {
  if (!s.due) return nullptr;
  return Json{{"kind", std::string(WireName(s.deadline))}, {"due", s.due->ToString()}};
}

}  // namespace

std::optional<OutboxMessage> CaseOpenedEvent(const RelayedRating& r, Date day, const CaseLimits& limits,
                                             const WorkingCalendar& calendar, int64_t now_ms) {
  const auto level = FromCode(r.satisfaction, CodeDirection::Deployed);
  if (!level || !IsBad(*level)) return std::nullopt;
  auto opened = Apply(CaseState{}, CaseEvent{day, CaseActor::System, CaseAction::Open, {}}, limits, calendar);
  if (!opened) return std::nullopt;  // limits are checked at start; nothing to tell otherwise
  // Reason codes only: the catalogue's codes are not personal data, the comment may be.
  Json reasons = Json::array();
  if (r.parsed) {
    for (const auto& code : r.parsed->reasons) reasons.push_back(code);
  } else if (auto rating = ParseJson(r.rating_json); rating && rating->is_object()) {
    if (auto it = rating->find("reasons"); it != rating->end() && it->is_array())
      for (const auto& code : *it)
        if (code.is_string()) reasons.push_back(code);
  }
  return Message(Prefix(r.case_id, r.assess) + "opened", "case.opened", r.case_id, r.assess, r.unit,
                 Json{{"case", r.case_id},
                      {"assess", r.assess},
                      {"unit", r.unit},
                      {"unit_name", r.unit_name},
                      {"rating_id", r.id},
                      {"satisfaction", r.satisfaction},
                      {"level", std::string(LevelKey(*level))},
                      {"reasons", std::move(reasons)},
                      {"channel", r.channel},
                      {"opened_on", day.ToString()},
                      {"deadline", Deadline(*opened)},
                      {"handling", HandlingPath(r.case_id, r.assess)}},
                 now_ms);
}

OutboxMessage CaseEscalatedEvent(const HandlingCase& c, const CaseState& s, Date today, int64_t now_ms) {
  const std::string due = s.due ? s.due->ToString() : "";
  return Message(Prefix(c.case_id, c.assess) + "escalated:" + due, "case.escalated", c.case_id, c.assess, c.unit,
                 Json{{"case", c.case_id},
                      {"assess", c.assess},
                      {"unit", c.unit},
                      {"state", std::string(WireName(s.status))},
                      {"deadline", Deadline(s)},
                      {"escalated_on", today.ToString()},
                      {"handling", HandlingPath(c.case_id, c.assess)}},
                 now_ms);
}

OutboxMessage CaseClosedEvent(const HandlingCase& c, const CaseState& s, Date today, int64_t now_ms) {
  return Message(Prefix(c.case_id, c.assess) + "closed", "case.closed", c.case_id, c.assess, c.unit,
                 Json{{"case", c.case_id},
                      {"assess", c.assess},
                      {"unit", c.unit},
                      {"resolution", std::string(WireName(s.resolution))},
                      {"closed_on", today.ToString()},
                      {"handling", HandlingPath(c.case_id, c.assess)}},
                 now_ms);
}

}  // namespace hcp::central
