#include "hcp/case_machine.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hcp {
namespace {

template <class E, size_t N>
std::optional<E> FromWire(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [value, wire] : table) {
    if (wire == name) return value;
  }
  return std::nullopt;
}

template <class E, size_t N>
std::string_view ToWire(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, wire] : table) {
    if (v == value) return wire;
  }
  return "unknown";
}

constexpr std::array<std::pair<CaseStatus, std::string_view>, 8> kStatusNames = {{
    {CaseStatus::New, "new"},
    {CaseStatus::Pushed, "pushed"},
    {CaseStatus::Rectifying, "rectifying"},
    {CaseStatus::Extended, "extended"},
    {CaseStatus::Rectified, "rectified"},
    {CaseStatus::InvalidReporting, "invalid_reporting"},
    {CaseStatus::UnderReview, "under_review"},
    {CaseStatus::Closed, "closed"},
}};
constexpr std::array<std::pair<CaseResolution, std::string_view>, 4> kResolutionNames = {{
    {CaseResolution::None, "none"},
    {CaseResolution::Rectified, "rectified"},
    {CaseResolution::Invalid, "invalid"},
    {CaseResolution::AppealUpheld, "appeal_upheld"},
}};
constexpr std::array<std::pair<CaseActor, std::string_view>, 3> kActorNames = {{
    {CaseActor::Unit, "unit"},
    {CaseActor::Office, "office"},
    {CaseActor::System, "system"},
}};
constexpr std::array<std::pair<CaseAction, std::string_view>, 9> kActionNames = {{
    {CaseAction::Open, "open"},
    {CaseAction::ReturnVisit, "return_visit"},
    {CaseAction::Extend, "extend"},
    {CaseAction::Rectify, "rectify"},
    {CaseAction::Confirm, "confirm"},
    {CaseAction::Report, "report"},
    {CaseAction::Review, "review"},
    {CaseAction::Appeal, "appeal"},
    {CaseAction::DecideAppeal, "decide_appeal"},
}};
constexpr std::array<std::pair<DeadlineKind, std::string_view>, 5> kDeadlineNames = {{
    {DeadlineKind::None, "none"},
    {DeadlineKind::ReturnVisit, "return_visit"},
    {DeadlineKind::Rectify, "rectify"},
    {DeadlineKind::InvalidReport, "invalid_report"},
    {DeadlineKind::Review, "review"},
}};
constexpr std::array<std::pair<AppealStatus, std::string_view>, 4> kAppealNames = {{
    {AppealStatus::None, "none"},
    {AppealStatus::Pending, "pending"},
    {AppealStatus::Upheld, "upheld"},
    {AppealStatus::Rejected, "rejected"},
}};

// The state part of the transition table; the appeal rules come on top (AppealAllows).
bool StatusAllows(CaseStatus status, CaseAction action) {
  using A = CaseAction;
  if (action == A::DecideAppeal) return status != CaseStatus::New;
  if (action == A::Appeal) return status != CaseStatus::New && status != CaseStatus::Closed;
  switch (status) {
    case CaseStatus::New: return action == A::Open;
    case CaseStatus::Pushed: return action == A::ReturnVisit;
    case CaseStatus::Rectifying:
    case CaseStatus::Extended: return action == A::Extend || action == A::Rectify;
    case CaseStatus::Rectified: return action == A::Confirm;
    case CaseStatus::InvalidReporting: return action == A::Report;
    case CaseStatus::UnderReview: return action == A::Review;
    case CaseStatus::Closed: return false;
  }
  return false;
}

// One appeal per case; a pending one is decided even after the case closed, or it would hang forever.
std::optional<Error> AppealBlocks(const CaseState& state, CaseAction action) {
  if (action == CaseAction::Appeal && state.appeal != AppealStatus::None) return MakeError("case.appeal_exists");
  if (action == CaseAction::DecideAppeal && state.appeal != AppealStatus::Pending) {
    return MakeError("case.no_pending_appeal");
  }
  return std::nullopt;
}

void AddAssumed(CaseState& state, const std::vector<int>& years) {
  for (int y : years) {
    auto at = std::lower_bound(state.assumed_years.begin(), state.assumed_years.end(), y);
    if (at == state.assumed_years.end() || *at != y) state.assumed_years.insert(at, y);
  }
}

// Reads an event's fields against the list the action accepts; collects every problem.
class FieldReader {
 public:
  FieldReader(const CaseFields& fields, std::vector<std::string_view> known) : fields_(fields) {
    known.push_back("note");  // a free remark fits every step
    for (const auto& [name, value] : fields_) {
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        errors_.push_back(MakeError("request.unknown_field", "fields." + name));
      }
    }
  }

  const std::string* Find(const std::string& name) const {
    auto it = fields_.find(name);
    return it == fields_.end() ? nullptr : &it->second;
  }

  // Whitespace alone says nothing to a citizen or a reviewer: it counts as missing.
  std::string Text(const std::string& name) {
    const std::string* v = Find(name);
    if (!v || v->find_first_not_of(" \t\r\n") == std::string::npos) {
      errors_.push_back(MakeError("case.field_required", "fields." + name, "fields." + name));
      return {};
    }
    return *v;
  }

  // Returns the index of the value in `choices`, or -1.
  int Choice(const std::string& name, std::initializer_list<std::string_view> choices) {
    const std::string* v = Find(name);
    if (!v) {
      errors_.push_back(MakeError("case.field_required", "fields." + name, "fields." + name));
      return -1;
    }
    int i = 0;
    for (auto c : choices) {
      if (*v == c) return i;
      ++i;
    }
    errors_.push_back(MakeError("case.field_invalid", "fields." + name, *v));
    return -1;
  }

  bool OptionalBool(const std::string& name) {
    const std::string* v = Find(name);
    if (!v || *v == "false") return false;
    if (*v == "true") return true;
    errors_.push_back(MakeError("case.field_invalid", "fields." + name, *v));
    return false;
  }

  std::optional<Date> RequiredDate(const std::string& name) {
    const std::string* v = Find(name);
    if (!v) {
      errors_.push_back(MakeError("case.field_required", "fields." + name, "fields." + name));
      return std::nullopt;
    }
    auto d = Date::Parse(*v, "fields." + name);
    if (!d) {
      errors_.push_back(MakeError("case.field_invalid", "fields." + name, *v));
      return std::nullopt;
    }
    return *d;
  }

  void Add(Error e) { errors_.push_back(std::move(e)); }
  Errors& errors() { return errors_; }

 private:
  const CaseFields& fields_;
  Errors errors_;
};


}  // namespace

std::string_view WireName(CaseStatus s) { return ToWire(kStatusNames, s); }
std::string_view WireName(CaseResolution r) { return ToWire(kResolutionNames, r); }
std::string_view WireName(CaseActor a) { return ToWire(kActorNames, a); }
std::string_view WireName(CaseAction a) { return ToWire(kActionNames, a); }
std::string_view WireName(DeadlineKind k) { return ToWire(kDeadlineNames, k); }
std::string_view WireName(AppealStatus a) { return ToWire(kAppealNames, a); }
std::optional<CaseStatus> CaseStatusFromWire(std::string_view n) { return FromWire(kStatusNames, n); }
std::optional<CaseResolution> CaseResolutionFromWire(std::string_view n) { return FromWire(kResolutionNames, n); }
std::optional<CaseActor> CaseActorFromWire(std::string_view n) { return FromWire(kActorNames, n); }
std::optional<CaseAction> CaseActionFromWire(std::string_view n) { return FromWire(kActionNames, n); }
std::optional<DeadlineKind> DeadlineKindFromWire(std::string_view n) { return FromWire(kDeadlineNames, n); }
std::optional<AppealStatus> AppealStatusFromWire(std::string_view n) { return FromWire(kAppealNames, n); }

CaseActor ActorFor(CaseAction action) {
  switch (action) {
    case CaseAction::Open: return CaseActor::System;
    case CaseAction::Review:
    case CaseAction::DecideAppeal: return CaseActor::Office;
    default: return CaseActor::Unit;
  }
}

Errors ValidateCaseLimits(const CaseLimits& limits) {
  Errors out;
  auto check = [&](std::string_view name, int value, int min) {
    if (value < min || value > WorkingCalendar::kMaxSpan) {
      out.push_back(MakeError("case.config_invalid", std::string(name),
                              std::string(name) + "=" + std::to_string(value)));
    }
  };
  check("return_visit", limits.return_visit, 1);
  check("rectify", limits.rectify, 1);
  check("rectify_complex", limits.rectify_complex, 1);
  check("invalid_report", limits.invalid_report, 1);
  check("review", limits.review, 0);
  // A complex case that got less time than a simple one would invert the rule's intent.
  if (limits.rectify_complex < limits.rectify) {
    out.push_back(MakeError("case.config_invalid", "rectify_complex",
                            "rectify_complex=" + std::to_string(limits.rectify_complex) + " < rectify=" +
                                std::to_string(limits.rectify)));
  }
  return out;
}

Result<CaseState> Apply(const CaseState& state, const CaseEvent& event, const CaseLimits& limits,
                        const WorkingCalendar& calendar) {
  if (Errors bad = ValidateCaseLimits(limits); !bad.empty()) return bad;
  if (!state.history.empty() && event.date < state.history.back().event.date) {
    return MakeError("case.date_out_of_order", "date",
                     event.date.ToString() + " < " + state.history.back().event.date.ToString());
  }
  if (event.actor != ActorFor(event.action)) {
    return MakeError("case.actor_not_allowed", "actor",
                     std::string(WireName(event.action)) + " by " + std::string(WireName(event.actor)));
  }
  if (!StatusAllows(state.status, event.action)) {
    return MakeError("case.transition_not_allowed", "action",
                     std::string(WireName(event.action)) + " in " + std::string(WireName(state.status)));
  }
  if (auto blocked = AppealBlocks(state, event.action)) return *blocked;

  CaseState next = state;
  CaseStep step{event, state.status, state.status, std::nullopt, false};

  // Sets the deadline `days` working days after the event; false when the calendar refused.
  auto due_in = [&](int days, DeadlineKind kind, Errors& errors) {
    auto due = calendar.AddWorkingDays(event.date, days);
    if (!due) {
      errors.insert(errors.end(), due.errors().begin(), due.errors().end());
      return;
    }
    next.due = due->value;
    next.deadline = kind;
    AddAssumed(next, due->assumed_years);
  };
  auto no_deadline = [&] {
    next.due.reset();
    next.deadline = DeadlineKind::None;
  };
  auto start_rectifying = [&](bool complex, Errors& errors) {
    next.status = CaseStatus::Rectifying;
    next.valid_bad = true;
    next.complex = complex;
    due_in(complex ? limits.rectify_complex : limits.rectify, DeadlineKind::Rectify, errors);
  };
  auto on_time = [&] { return state.due ? std::optional<bool>(event.date <= *state.due) : std::nullopt; };

  switch (event.action) {
    case CaseAction::Open: {
      FieldReader f(event.fields, {});
      if (!f.errors().empty()) return f.errors();
      next.status = CaseStatus::Pushed;
      due_in(limits.return_visit, DeadlineKind::ReturnVisit, f.errors());
      if (!f.errors().empty()) return f.errors();
      break;
    }
    case CaseAction::ReturnVisit: {
      FieldReader f(event.fields, {"method", "outcome", "complex"});
      f.Choice("method", {"phone", "sms", "in_person"});
      const int outcome = f.Choice("outcome", {"valid", "invalid"});
      const bool complex = f.OptionalBool("complex");
      if (!f.errors().empty()) return f.errors();
      next.visit_on_time = on_time();
      if (outcome == 0) {
        start_rectifying(complex, f.errors());
      } else {
        next.status = CaseStatus::InvalidReporting;
        next.valid_bad = false;
        due_in(limits.invalid_report, DeadlineKind::InvalidReport, f.errors());
      }
      if (!f.errors().empty()) return f.errors();
      break;
    }
    case CaseAction::Extend: {
      FieldReader f(event.fields, {"reason", "new_due"});
      f.Text("reason");
      const auto new_due = f.RequiredDate("new_due");
      if (new_due && state.due && *new_due <= *state.due) {
        f.Add(MakeError("case.extension_not_later", "fields.new_due", state.due->ToString()));
      } else if (new_due && *new_due < event.date) {
        f.Add(MakeError("case.field_invalid", "fields.new_due", new_due->ToString()));
      }
      if (!f.errors().empty()) return f.errors();
      // The rules let the unit set the new deadline itself, as a date, after explaining to the citizen.
      next.status = CaseStatus::Extended;
      next.due = *new_due;
      next.deadline = DeadlineKind::Rectify;
      ++next.extensions;
      step.notify_citizen = true;
      break;
    }
    case CaseAction::Rectify: {
      FieldReader f(event.fields, {"result"});
      f.Text("result");
      if (!f.errors().empty()) return f.errors();
      next.rectified_on_time = on_time();
      next.status = CaseStatus::Rectified;
      no_deadline();
      step.notify_citizen = true;  // the result is the feedback owed to the citizen
      break;
    }
    case CaseAction::Confirm: {
      FieldReader f(event.fields, {"method"});
      f.Choice("method", {"phone", "sms", "in_person"});
      if (!f.errors().empty()) return f.errors();
      next.status = CaseStatus::Closed;
      next.resolution = CaseResolution::Rectified;
      no_deadline();
      break;
    }
    case CaseAction::Report: {
      FieldReader f(event.fields, {"report"});
      f.Text("report");
      if (!f.errors().empty()) return f.errors();
      next.report_on_time = on_time();
      next.status = CaseStatus::UnderReview;
      if (limits.review > 0) {
        due_in(limits.review, DeadlineKind::Review, f.errors());
        if (!f.errors().empty()) return f.errors();
      } else {
        no_deadline();
      }
      break;
    }
    case CaseAction::Review: {
      FieldReader f(event.fields, {"decision", "complex"});
      const int decision = f.Choice("decision", {"approve", "reject"});
      const bool complex = f.OptionalBool("complex");
      if (!f.errors().empty()) return f.errors();
      if (decision == 0) {
        next.status = CaseStatus::Closed;
        next.resolution = CaseResolution::Invalid;
        no_deadline();
      } else {
        // A failed review makes it a valid bad rating: rectification starts from the review day.
        start_rectifying(complex, f.errors());
        if (!f.errors().empty()) return f.errors();
      }
      break;
    }
    case CaseAction::Appeal: {
      FieldReader f(event.fields, {"reason"});
      f.Text("reason");
      if (!f.errors().empty()) return f.errors();
      // The rules give an appeal no power to stop the clock, so the case and its deadline run on
      // while the office decides; an upheld appeal then closes the case whatever its state.
      next.appeal = AppealStatus::Pending;
      break;
    }
    case CaseAction::DecideAppeal: {
      FieldReader f(event.fields, {"decision"});
      const int decision = f.Choice("decision", {"uphold", "reject"});
      if (!f.errors().empty()) return f.errors();
      if (decision == 0) {
        next.appeal = AppealStatus::Upheld;
        next.status = CaseStatus::Closed;
        next.resolution = CaseResolution::AppealUpheld;
        next.excluded_from_statistics = true;
        no_deadline();
      } else {
        next.appeal = AppealStatus::Rejected;
      }
      break;
    }
  }

  step.to = next.status;
  step.due = next.due;
  next.history.push_back(std::move(step));
  return next;
}

Result<CaseState> Replay(const std::vector<CaseEvent>& events, const CaseLimits& limits,
                         const WorkingCalendar& calendar) {
  CaseState state;
  for (size_t i = 0; i < events.size(); ++i) {
    auto next = Apply(state, events[i], limits, calendar);
    if (!next) {
      Errors errors = next.errors();
      for (auto& e : errors) e.field = "[" + std::to_string(i) + "]" + (e.field.empty() ? "" : "." + e.field);
      return errors;
    }
    state = std::move(next).value();
  }
  return state;
}

std::vector<CaseAction> AllowedActions(const CaseState& state, CaseActor actor) {
  std::vector<CaseAction> out;
  for (CaseAction a : kAllCaseActions) {
    if (ActorFor(a) == actor && StatusAllows(state.status, a) && !AppealBlocks(state, a)) out.push_back(a);
  }
  return out;
}

std::optional<bool> Overdue(const CaseState& state, Date today) {
  if (!state.due) return std::nullopt;
  return today > *state.due;
}

std::optional<CalendarAnswer<int>> WorkingDaysLeft(const CaseState& state, Date today,
                                                   const WorkingCalendar& calendar) {
  if (!state.due) return std::nullopt;
  return calendar.WorkingDaysBetween(today, *state.due);
}

}  // namespace hcp
