#pragma once
// The events a unit's own system receives by webhook (docs/notifications.md): a bad rating opened
// a case for the unit (its to-do), a deadline of one of its cases was escalated to the office, a
// case was closed. Built here as outbox messages; the store enqueues one only when the unit has a
// webhook configured. No personal data in clear: no evaluator, no phone, no comment text (the
// unit reads those in the back office, where every opening is recorded); case numbers, levels,
// reason codes and dates only.
#include <cstdint>
#include <optional>
#include <string>

#include "central_store.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/date.h"

namespace hcp::central {

// "case.opened" for a newly stored bad rating (none for a good one): the deadline is the case
// machine's for its `open` event on `day` (the return visit, in working days of `calendar`).
std::optional<OutboxMessage> CaseOpenedEvent(const RelayedRating& rating, Date day, const CaseLimits& limits,
                                             const WorkingCalendar& calendar, int64_t now_ms);
// "case.escalated": the deadline `due` of the case passed and went to the office on `today`.
OutboxMessage CaseEscalatedEvent(const HandlingCase& record, const CaseState& state, Date today, int64_t now_ms);
// "case.closed", with how it ended.
OutboxMessage CaseClosedEvent(const HandlingCase& record, const CaseState& state, Date today, int64_t now_ms);

}  // namespace hcp::central
