#pragma once
// The closed loop for bad ratings at the centre (DOMAIN.md §2; issue 6): the handling cases that
// ingest opened, driven through the shared case machine. Nothing here decides a transition or a
// deadline: every action is checked by replaying the stored events and applying the new one with
// hcp::Apply and the centre's working-day calendar; this file adds only who may act on which
// unit's case, and the store. The HTTP adapter is closed_loop_api.cpp.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access.h"
#include "central_store.h"
#include "citizen_notice.h"
#include "hcp/calendar.h"
#include "hcp/case_machine.h"
#include "hcp/result.h"

namespace hcp::central {

// A stored case with its state, recomputed from its events.
struct HandlingView {
  HandlingCase record;
  CaseState state;
};

// Filters of the case search (GET /api/v1/handling, and the office's queues); empty = any.
struct CaseQuery {
  std::string unit;
  std::string state;             // a case-machine status wire name ("under_review"), "open" or "closed"
  bool appeal_pending = false;   // only cases with an appeal awaiting the office's decision
  bool overdue = false;          // only open cases past their deadline today
  std::optional<Date> from, to;  // the day the case opened, both included
  std::string text;              // part of the case number
};

class ClosedLoop {
 public:
  // `calendar` and `limits` are the centre's configuration (hcp central --calendar, closed_loop.*).
  ClosedLoop(CentralStore& store, const WorkingCalendar& calendar, CaseLimits limits)
      : store_(store), calendar_(calendar), limits_(limits) {}

  // The case as `actor` may see it: case.not_found, auth.forbidden (another unit's case).
  Result<HandlingView> Handling(const Actor& actor, const std::string& case_id, int assess);
  // Takes `action` (a wire name) with `fields` on `today` as `actor`; the event is stored only
  // when the case machine accepts it. Errors: case.not_found, auth.forbidden, case.action_unknown,
  // every error of hcp::Apply, case.conflict (someone acted on the case first: reload and retry).
  Result<HandlingView> Act(const Actor& actor, const std::string& case_id, int assess, std::string_view action,
                           const CaseFields& fields, Date today, int64_t now_ms);
  // The unit's open cases, soonest deadline first (none last); a handler sees only its own unit.
  Result<std::vector<HandlingView>> Todos(const Actor& actor, const std::string& unit);
  // The cases `actor` may see that match `query` on `today`: open ones soonest deadline first,
  // then closed ones, newest first; at most `limit`. A handler's search is of its own unit
  // (another unit: auth.forbidden).
  Result<std::vector<HandlingView>> Search(const Actor& actor, const CaseQuery& query, Date today, size_t limit);
  // Every open case whose deadline passed before `today` (the daily job escalates them).
  Result<std::vector<HandlingView>> Overdue(Date today);

  // The case machine's actor `who` acts as for `action` on a case of `case_unit`, or why not.
  static Result<CaseActor> ActingAs(const Actor& who, const std::string& case_unit, CaseAction action);
  // What `who` may do on the case now (the back office offers exactly these).
  static std::vector<CaseAction> AllowedFor(const Actor& who, const HandlingView& view);

  const WorkingCalendar& calendar() const { return calendar_; }
  // The texts of the citizen's SMS (configuration; citizen_notice.h has the defaults).
  void SetSmsTemplates(SmsTemplates templates) { templates_ = std::move(templates); }

 private:
  Result<HandlingView> View(HandlingCase record) const;

  CentralStore& store_;
  const WorkingCalendar& calendar_;
  CaseLimits limits_;
  SmsTemplates templates_;
};

// May `who` see cases of `unit`? handlers: their own unit; everyone else with a known role: all.
bool MaySeeUnit(const Actor& who, const std::string& unit);

}  // namespace hcp::central
