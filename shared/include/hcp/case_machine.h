#pragma once
// The closed loop for a bad rating (DOMAIN.md §2; MoT 第十四、十五条, SR 第十二、十三条) as a pure
// state machine: a case is the fold of its events. The store keeps the events; the state, the
// deadline and what may happen next are always recomputed here, so every adapter agrees.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hcp/calendar.h"
#include "hcp/date.h"
#include "hcp/result.h"

namespace hcp {

// `New` is the case before the system opened it; it only accepts `open`.
enum class CaseStatus { New, Pushed, Rectifying, Extended, Rectified, InvalidReporting, UnderReview, Closed };
enum class CaseResolution { None, Rectified, Invalid, AppealUpheld };
enum class CaseActor { Unit, Office, System };
enum class CaseAction { Open, ReturnVisit, Extend, Rectify, Confirm, Report, Review, Appeal, DecideAppeal };
enum class DeadlineKind { None, ReturnVisit, Rectify, InvalidReport, Review };
enum class AppealStatus { None, Pending, Upheld, Rejected };

inline constexpr CaseStatus kAllCaseStatuses[] = {
    CaseStatus::New,       CaseStatus::Pushed,           CaseStatus::Rectifying,  CaseStatus::Extended,
    CaseStatus::Rectified, CaseStatus::InvalidReporting, CaseStatus::UnderReview, CaseStatus::Closed};
inline constexpr CaseActor kAllCaseActors[] = {CaseActor::Unit, CaseActor::Office, CaseActor::System};
inline constexpr CaseAction kAllCaseActions[] = {
    CaseAction::Open,    CaseAction::ReturnVisit, CaseAction::Extend, CaseAction::Rectify,     CaseAction::Confirm,
    CaseAction::Report, CaseAction::Review,      CaseAction::Appeal, CaseAction::DecideAppeal};

// Stable wire names ("under_review", "decide_appeal", ...). CaseResolution::None is "none" here;
// JSON writes it as null.
std::string_view WireName(CaseStatus s);
std::string_view WireName(CaseResolution r);
std::string_view WireName(CaseActor a);
std::string_view WireName(CaseAction a);
std::string_view WireName(DeadlineKind k);
std::string_view WireName(AppealStatus a);
std::optional<CaseStatus> CaseStatusFromWire(std::string_view name);
std::optional<CaseResolution> CaseResolutionFromWire(std::string_view name);
std::optional<CaseActor> CaseActorFromWire(std::string_view name);
std::optional<CaseAction> CaseActionFromWire(std::string_view name);
std::optional<DeadlineKind> DeadlineKindFromWire(std::string_view name);
std::optional<AppealStatus> AppealStatusFromWire(std::string_view name);

// Each action has exactly one actor that may take it.
CaseActor ActorFor(CaseAction action);

// Deadlines in working days (DOMAIN.md §2 defaults; regions differ, so configuration).
struct CaseLimits {
  int return_visit = 2;     // 回访核实
  int rectify = 10;         // 整改并反馈
  int rectify_complex = 15; // 情况复杂的
  int invalid_report = 10;  // 无效差评填报
  int review = 0;           // office's 复核: no limit in the rules, 0 = none
};

// `case.config_invalid` for each bad limit; empty when usable.
Errors ValidateCaseLimits(const CaseLimits& limits);

// Booleans in fields are "true" / "false"; dates "YYYY-MM-DD".
using CaseFields = std::map<std::string, std::string>;

struct CaseEvent {
  Date date;
  CaseActor actor = CaseActor::System;
  CaseAction action = CaseAction::Open;
  CaseFields fields;
};

struct CaseStep {
  CaseEvent event;
  CaseStatus from = CaseStatus::New;
  CaseStatus to = CaseStatus::New;
  std::optional<Date> due;       // the deadline in force after this step
  bool notify_citizen = false;   // the citizen must be told: an extension, or the rectification result
};

struct CaseState {
  CaseStatus status = CaseStatus::New;
  CaseResolution resolution = CaseResolution::None;  // set once Closed
  DeadlineKind deadline = DeadlineKind::None;
  std::optional<Date> due;  // last day of the deadline, inclusive; none when nothing is due
  AppealStatus appeal = AppealStatus::None;
  bool valid_bad = false;   // 有效差评: verified at the return visit, or after a failed review
  bool complex = false;     // rectification got the longer limit
  bool excluded_from_statistics = false;  // appeal upheld: the rating was mistaken or malicious
  std::optional<bool> visit_on_time;
  std::optional<bool> report_on_time;
  std::optional<bool> rectified_on_time;  // against the due date in force, extensions included
  int extensions = 0;
  std::vector<int> assumed_years;  // years whose deadlines assumed Monday–Friday (sorted, unique)
  std::vector<CaseStep> history;
};

// The state after `event`, or why the event cannot happen. Checks, in order: limits, date order,
// actor, state, appeal, fields (all field errors at once).
Result<CaseState> Apply(const CaseState& state, const CaseEvent& event, const CaseLimits& limits,
                        const WorkingCalendar& calendar);
// Folds events from a new case; an error's field is prefixed with the event's index ("[3].fields.reason").
Result<CaseState> Replay(const std::vector<CaseEvent>& events, const CaseLimits& limits,
                         const WorkingCalendar& calendar);

// What `actor` may do now (the back office offers exactly these); Apply agrees with it.
std::vector<CaseAction> AllowedActions(const CaseState& state, CaseActor actor);

// True when `today` is after the due day (a deadline lasts to the end of its day); none without one.
std::optional<bool> Overdue(const CaseState& state, Date today);
// Working days after today up to the due day: 0 on the due day, negative once overdue.
std::optional<CalendarAnswer<int>> WorkingDaysLeft(const CaseState& state, Date today,
                                                   const WorkingCalendar& calendar);

}  // namespace hcp
