#include "hcp/case_machine.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "hcp/case_json.h"

namespace hcp {
namespace {

// The State Council's 2026 notice, as the tests' own copy: a change to the shipped data file
// must not silently move these expectations.
constexpr std::string_view k2026 = R"({
  "year": 2026, "notice": "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）",
  "holidays": [
    {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"},
    {"name": "春节", "from": "2026-02-15", "to": "2026-02-23"},
    {"name": "清明节", "from": "2026-04-04", "to": "2026-04-06"},
    {"name": "劳动节", "from": "2026-05-01", "to": "2026-05-05"},
    {"name": "端午节", "from": "2026-06-19", "to": "2026-06-21"},
    {"name": "中秋节", "from": "2026-09-25", "to": "2026-09-27"},
    {"name": "国庆节", "from": "2026-10-01", "to": "2026-10-07"}],
  "workdays": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]})";

const WorkingCalendar& Cal() {
  static const WorkingCalendar cal = [] {
    WorkingCalendar c;
    auto year = WorkingCalendar::ParseYear(k2026);
    EXPECT_TRUE(year.ok());
    if (year) c.Put(year.value());
    return c;
  }();
  return cal;
}

Date D(std::string_view text) {
  auto d = Date::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d ? *d : Date();
}

using A = CaseAction;
using S = CaseStatus;
constexpr CaseActor kUnit = CaseActor::Unit;
constexpr CaseActor kOffice = CaseActor::Office;
constexpr CaseActor kSystem = CaseActor::System;

CaseEvent Ev(std::string_view date, CaseActor actor, CaseAction action, CaseFields fields = {}) {
  return CaseEvent{D(date), actor, action, std::move(fields)};
}

// "id@field id@field": one string to compare exactly.
std::string Ids(const Errors& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : " ") + e.id + "@" + e.field;
  return out;
}

CaseState Play(const std::vector<CaseEvent>& events, const CaseLimits& limits = {}) {
  auto r = Replay(events, limits, Cal());
  EXPECT_TRUE(r.ok()) << Ids(r.errors());
  return r.ok() ? r.value() : CaseState{};
}

Errors Refusal(const CaseState& s, const CaseEvent& e, const CaseLimits& limits = {}) {
  auto r = Apply(s, e, limits, Cal());
  EXPECT_FALSE(r.ok());
  return r.ok() ? Errors{} : r.errors();
}

const CaseFields kVisitValid = {{"method", "phone"}, {"outcome", "valid"}};
const CaseFields kVisitInvalid = {{"method", "phone"}, {"outcome", "invalid"}};

CaseEvent Open(std::string_view date) { return Ev(date, kSystem, A::Open); }

// Opened 2026-11-02, verified valid 2026-11-03: rectification due 2026-11-17.
std::vector<CaseEvent> Rectifying() { return {Open("2026-11-02"), Ev("2026-11-03", kUnit, A::ReturnVisit, kVisitValid)}; }
// Opened 2026-11-02, claimed invalid 2026-11-03: report due 2026-11-17.
std::vector<CaseEvent> Reporting() { return {Open("2026-11-02"), Ev("2026-11-03", kUnit, A::ReturnVisit, kVisitInvalid)}; }

std::vector<CaseEvent> Plus(std::vector<CaseEvent> events, std::vector<CaseEvent> more) {
  events.insert(events.end(), more.begin(), more.end());
  return events;
}

// ---- the transition table -------------------------------------------------------------------

// One way to reach each status, optionally with a pending appeal filed right after opening.
CaseState Reach(CaseStatus status, bool appeal_pending) {
  std::vector<CaseEvent> ev;
  if (status == S::New) return CaseState{};
  ev.push_back(Open("2026-11-02"));
  if (appeal_pending) ev.push_back(Ev("2026-11-02", kUnit, A::Appeal, {{"reason", "评价人与办件无关"}}));
  const CaseEvent visit_valid = Ev("2026-11-03", kUnit, A::ReturnVisit, kVisitValid);
  const CaseEvent visit_invalid = Ev("2026-11-03", kUnit, A::ReturnVisit, kVisitInvalid);
  const CaseEvent rectify = Ev("2026-11-04", kUnit, A::Rectify, {{"result", "已简化材料"}});
  switch (status) {
    case S::New:
    case S::Pushed: break;
    case S::Rectifying: ev.push_back(visit_valid); break;
    case S::Extended:
      ev.push_back(visit_valid);
      ev.push_back(Ev("2026-11-04", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", "2026-12-01"}}));
      break;
    case S::Rectified: ev.push_back(visit_valid); ev.push_back(rectify); break;
    case S::InvalidReporting: ev.push_back(visit_invalid); break;
    case S::UnderReview:
      ev.push_back(visit_invalid);
      ev.push_back(Ev("2026-11-04", kUnit, A::Report, {{"report", "评价内容与本单位无关"}}));
      break;
    case S::Closed:
      ev.push_back(visit_valid);
      ev.push_back(rectify);
      ev.push_back(Ev("2026-11-05", kUnit, A::Confirm, {{"method", "phone"}}));
      break;
  }
  CaseState s = Play(ev);
  EXPECT_EQ(s.status, status);
  return s;
}

CaseFields ValidFields(CaseAction action, const CaseState& s) {
  switch (action) {
    case A::Open: return {};
    case A::ReturnVisit: return kVisitValid;
    case A::Extend: return {{"reason", "需上级批复"}, {"new_due", s.due.value_or(D("2026-11-20")).AddDays(30).ToString()}};
    case A::Rectify: return {{"result", "已简化材料"}};
    case A::Confirm: return {{"method", "phone"}};
    case A::Report: return {{"report", "评价内容与本单位无关"}};
    case A::Review: return {{"decision", "approve"}};
    case A::Appeal: return {{"reason", "恶意差评"}};
    case A::DecideAppeal: return {{"decision", "reject"}};
  }
  return {};
}

// Written out by hand from DOMAIN.md §2, independently of the implementation.
const std::map<CaseAction, CaseActor> kWho = {
    {A::Open, kSystem},   {A::ReturnVisit, kUnit}, {A::Extend, kUnit},  {A::Rectify, kUnit},
    {A::Confirm, kUnit},  {A::Report, kUnit},      {A::Review, kOffice}, {A::Appeal, kUnit},
    {A::DecideAppeal, kOffice}};
// Allowed (status, action) without an appeal on file, with the status that follows.
const std::map<std::pair<CaseStatus, CaseAction>, CaseStatus> kNext = {
    {{S::New, A::Open}, S::Pushed},
    {{S::Pushed, A::ReturnVisit}, S::Rectifying},
    {{S::Pushed, A::Appeal}, S::Pushed},
    {{S::Rectifying, A::Extend}, S::Extended},
    {{S::Rectifying, A::Rectify}, S::Rectified},
    {{S::Rectifying, A::Appeal}, S::Rectifying},
    {{S::Extended, A::Extend}, S::Extended},
    {{S::Extended, A::Rectify}, S::Rectified},
    {{S::Extended, A::Appeal}, S::Extended},
    {{S::Rectified, A::Confirm}, S::Closed},
    {{S::Rectified, A::Appeal}, S::Rectified},
    {{S::InvalidReporting, A::Report}, S::UnderReview},
    {{S::InvalidReporting, A::Appeal}, S::InvalidReporting},
    {{S::UnderReview, A::Review}, S::Closed},
    {{S::UnderReview, A::Appeal}, S::UnderReview},
};

void CheckTable(bool appeal_pending) {
  int allowed_count = 0;
  for (CaseStatus status : kAllCaseStatuses) {
    if (appeal_pending && status == S::New) continue;  // no appeal before the case exists
    const CaseState state = Reach(status, appeal_pending);
    for (CaseAction action : kAllCaseActions) {
      for (CaseActor actor : kAllCaseActors) {
        SCOPED_TRACE(std::string(WireName(status)) + " / " + std::string(WireName(action)) + " / " +
                     std::string(WireName(actor)) + (appeal_pending ? " / appeal pending" : ""));
        std::optional<CaseStatus> next;
        if (auto it = kNext.find({status, action}); it != kNext.end()) next = it->second;
        if (appeal_pending && action == A::Appeal) next.reset();
        if (appeal_pending && action == A::DecideAppeal) next = status;  // decided "reject": nothing moves
        std::string expected_error;
        if (actor != kWho.at(action)) expected_error = "case.actor_not_allowed";
        else if (!next && action == A::Appeal && appeal_pending && status != S::Closed) expected_error = "case.appeal_exists";
        else if (!next && action == A::DecideAppeal && status != S::New) expected_error = "case.no_pending_appeal";
        else if (!next) expected_error = "case.transition_not_allowed";

        auto r = Apply(state, CaseEvent{D("2026-11-20"), actor, action, ValidFields(action, state)}, {}, Cal());
        const auto offered = AllowedActions(state, actor);
        const bool in_offer = std::find(offered.begin(), offered.end(), action) != offered.end();
        if (expected_error.empty()) {
          ++allowed_count;
          ASSERT_TRUE(r.ok()) << Ids(r.errors());
          EXPECT_EQ(r->status, *next);
          EXPECT_EQ(r->history.size(), state.history.size() + 1);
          EXPECT_TRUE(in_offer);
        } else {
          ASSERT_FALSE(r.ok());
          ASSERT_EQ(r.errors().size(), 1u);
          EXPECT_EQ(r.errors()[0].id, expected_error);
          EXPECT_FALSE(in_offer);
        }
      }
    }
  }
  // Without an appeal: 15 pairs. Pending: New drops out (-1), appeal goes (-6), decide comes (+7).
  EXPECT_EQ(allowed_count, 15);
}

TEST(CaseMachine, TransitionTableHoldsForEveryStatusActionAndActor) { CheckTable(false); }

TEST(CaseMachine, WithAPendingAppealOnlyTheOfficeDecisionIsAddedAndASecondAppealRefused) { CheckTable(true); }

TEST(CaseMachine, AllowedActionsListsWhatEachActorMayDoNow) {
  const CaseState s = Play(Rectifying());
  EXPECT_EQ(AllowedActions(s, kUnit), (std::vector<CaseAction>{A::Extend, A::Rectify, A::Appeal}));
  EXPECT_TRUE(AllowedActions(s, kOffice).empty());
  EXPECT_TRUE(AllowedActions(s, kSystem).empty());
  EXPECT_EQ(AllowedActions(CaseState{}, kSystem), (std::vector<CaseAction>{A::Open}));
}

// ---- deadlines --------------------------------------------------------------------------------

TEST(CaseMachine, OpenBeforeNationalDayGivesReturnVisitDueAfterTheHoliday) {
  const CaseState s = Play({Open("2026-09-30")});
  EXPECT_EQ(s.status, S::Pushed);
  EXPECT_EQ(s.deadline, DeadlineKind::ReturnVisit);
  EXPECT_EQ(s.due, D("2026-10-09"));
  EXPECT_TRUE(s.assumed_years.empty());
  EXPECT_FALSE(s.valid_bad);
}

TEST(CaseMachine, OpenOnAHolidayCountsWorkingDaysAfterTheHoliday) {
  EXPECT_EQ(Play({Open("2026-02-16")}).due, D("2026-02-25"));  // 春节 Feb 15–23
  EXPECT_EQ(Play({Open("2026-10-03")}).due, D("2026-10-09"));  // 国庆节, a Saturday
}

TEST(CaseMachine, OpenOnFridayCountsTheMakeUpSaturday) {
  EXPECT_EQ(Play({Open("2026-10-09")}).due, D("2026-10-12"));  // Oct 10 is 调休上班
}

TEST(CaseMachine, ReturnVisitValidStartsTenWorkingDayRectification) {
  const CaseState s = Play(Rectifying());
  EXPECT_EQ(s.status, S::Rectifying);
  EXPECT_EQ(s.deadline, DeadlineKind::Rectify);
  EXPECT_EQ(s.due, D("2026-11-17"));
  EXPECT_TRUE(s.valid_bad);
  EXPECT_FALSE(s.complex);
  EXPECT_EQ(s.visit_on_time, true);
}

TEST(CaseMachine, ReturnVisitValidComplexGetsFifteenWorkingDays) {
  const CaseState s = Play({Open("2026-11-02"), Ev("2026-11-03", kUnit, A::ReturnVisit,
                                                   {{"method", "in_person"}, {"outcome", "valid"}, {"complex", "true"}})});
  EXPECT_EQ(s.due, D("2026-11-24"));
  EXPECT_TRUE(s.complex);
}

TEST(CaseMachine, ReturnVisitInvalidStartsTenWorkingDayReport) {
  const CaseState s = Play(Reporting());
  EXPECT_EQ(s.status, S::InvalidReporting);
  EXPECT_EQ(s.deadline, DeadlineKind::InvalidReport);
  EXPECT_EQ(s.due, D("2026-11-17"));
  EXPECT_FALSE(s.valid_bad);
}

TEST(CaseMachine, ReturnVisitOnTheDueDayIsOnTimeAndTheDayAfterIsLate) {
  EXPECT_EQ(Play({Open("2026-09-30"), Ev("2026-10-09", kUnit, A::ReturnVisit, kVisitValid)}).visit_on_time, true);
  const CaseState late = Play({Open("2026-09-30"), Ev("2026-10-10", kUnit, A::ReturnVisit, kVisitValid)});
  EXPECT_EQ(late.visit_on_time, false);
  // Rectification still gets its full limit from the (late) visit: 10 working days after Sat Oct 10.
  EXPECT_EQ(late.due, D("2026-10-23"));
}

TEST(CaseMachine, ConfiguredLimitsReplaceTheDefaults) {
  CaseLimits zhejiang;
  zhejiang.return_visit = 1;
  zhejiang.rectify = 15;
  zhejiang.rectify_complex = 15;
  EXPECT_EQ(Play({Open("2026-09-30")}, zhejiang).due, D("2026-10-08"));
  EXPECT_EQ(Play(Rectifying(), zhejiang).due, D("2026-11-24"));
}

TEST(CaseMachine, ExtendSetsTheNewDueAndAsksToTellTheCitizen) {
  const CaseState s =
      Play(Plus(Rectifying(), {Ev("2026-11-16", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", "2026-12-01"}})}));
  EXPECT_EQ(s.status, S::Extended);
  EXPECT_EQ(s.deadline, DeadlineKind::Rectify);
  EXPECT_EQ(s.due, D("2026-12-01"));
  EXPECT_EQ(s.extensions, 1);
  EXPECT_TRUE(s.history.back().notify_citizen);
  EXPECT_FALSE(s.history[1].notify_citizen);
}

TEST(CaseMachine, ExtendMustGoBeyondTheDueInForce) {
  const CaseState s = Play(Rectifying());  // due 2026-11-17
  auto extend_to = [](std::string due) {
    return Ev("2026-11-16", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", std::move(due)}});
  };
  EXPECT_EQ(Ids(Refusal(s, extend_to("2026-11-17"))), "case.extension_not_later@fields.new_due");
  EXPECT_EQ(Ids(Refusal(s, extend_to("2026-11-10"))), "case.extension_not_later@fields.new_due");
  EXPECT_EQ(Refusal(s, extend_to("2026-11-10"))[0].message_en,
            "The extended deadline must be later than the current one: 2026-11-17");

  const CaseState once = Play(Plus(Rectifying(), {extend_to("2026-12-01")}));
  EXPECT_EQ(Ids(Refusal(once, extend_to("2026-12-01"))), "case.extension_not_later@fields.new_due");
  auto twice = Apply(once, extend_to("2026-12-02"), {}, Cal());
  ASSERT_TRUE(twice.ok()) << Ids(twice.errors());
  EXPECT_EQ(twice->due, D("2026-12-02"));
  EXPECT_EQ(twice->extensions, 2);
}

TEST(CaseMachine, ExtendNeedsAReasonAndARealDate) {
  const CaseState s = Play(Rectifying());
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-16", kUnit, A::Extend, {}))),
            "case.field_required@fields.reason case.field_required@fields.new_due");
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-16", kUnit, A::Extend, {{"reason", " \n"}, {"new_due", "2026-02-30"}}))),
            "case.field_required@fields.reason case.field_invalid@fields.new_due");
}

TEST(CaseMachine, ExtendToADateAlreadyPastIsRefused) {
  // Overdue since Nov 17; "extending" to Nov 20 on Nov 25 would be an overdue case in disguise.
  const CaseState s = Play(Rectifying());
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-25", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", "2026-11-20"}}))),
            "case.field_invalid@fields.new_due");
}

TEST(CaseMachine, RectifyIsJudgedAgainstTheExtendedDue) {
  const CaseState s = Play(Plus(Rectifying(), {
      Ev("2026-11-16", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", "2026-12-01"}}),
      Ev("2026-11-30", kUnit, A::Rectify, {{"result", "已开通网上办理"}})}));
  EXPECT_EQ(s.status, S::Rectified);
  EXPECT_EQ(s.rectified_on_time, true);
  EXPECT_EQ(s.deadline, DeadlineKind::None);
  EXPECT_FALSE(s.due.has_value());
  EXPECT_TRUE(s.history.back().notify_citizen);  // the result is the citizen's feedback
}

TEST(CaseMachine, RectifyAfterTheDueDayIsLate) {
  const CaseState on_day = Play(Plus(Rectifying(), {Ev("2026-11-17", kUnit, A::Rectify, {{"result", "已整改"}})}));
  EXPECT_EQ(on_day.rectified_on_time, true);
  const CaseState late = Play(Plus(Rectifying(), {Ev("2026-11-18", kUnit, A::Rectify, {{"result", "已整改"}})}));
  EXPECT_EQ(late.rectified_on_time, false);
}

TEST(CaseMachine, RectifyNeedsTheResultForTheCitizen) {
  EXPECT_EQ(Ids(Refusal(Play(Rectifying()), Ev("2026-11-10", kUnit, A::Rectify, {{"result", ""}}))),
            "case.field_required@fields.result");
}

TEST(CaseMachine, ConfirmAfterRectificationClosesAsRectified) {
  const CaseState s = Play(Plus(Rectifying(), {Ev("2026-11-10", kUnit, A::Rectify, {{"result", "已整改"}}),
                                              Ev("2026-11-11", kUnit, A::Confirm, {{"method", "sms"}, {"note", "群众表示认可"}})}));
  EXPECT_EQ(s.status, S::Closed);
  EXPECT_EQ(s.resolution, CaseResolution::Rectified);
  EXPECT_EQ(s.deadline, DeadlineKind::None);
  EXPECT_TRUE(s.valid_bad);
  EXPECT_EQ(s.history.size(), 4u);
}

TEST(CaseMachine, ConfirmNeedsHowTheCitizenWasVisited) {
  const CaseState s = Play(Plus(Rectifying(), {Ev("2026-11-10", kUnit, A::Rectify, {{"result", "已整改"}})}));
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-11", kUnit, A::Confirm, {}))), "case.field_required@fields.method");
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-11", kUnit, A::Confirm, {{"method", "letter"}}))), "case.field_invalid@fields.method");
}

TEST(CaseMachine, ReportGoesToReviewWithNoDeadlineByDefault) {
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-18", kUnit, A::Report, {{"report", "评价内容与本单位无关"}})}));
  EXPECT_EQ(s.status, S::UnderReview);
  EXPECT_EQ(s.deadline, DeadlineKind::None);
  EXPECT_FALSE(s.due.has_value());
  EXPECT_EQ(s.report_on_time, false);  // due Nov 17
}

TEST(CaseMachine, ConfiguredReviewLimitGivesTheOfficeADeadline) {
  CaseLimits limits;
  limits.review = 5;
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-10", kUnit, A::Report, {{"report", "无关"}})}), limits);
  EXPECT_EQ(s.deadline, DeadlineKind::Review);
  EXPECT_EQ(s.due, D("2026-11-17"));
  EXPECT_EQ(s.report_on_time, true);
}

TEST(CaseMachine, ReviewApprovedClosesAsInvalid) {
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-04", kUnit, A::Report, {{"report", "无关"}}),
                                             Ev("2026-11-05", kOffice, A::Review, {{"decision", "approve"}})}));
  EXPECT_EQ(s.status, S::Closed);
  EXPECT_EQ(s.resolution, CaseResolution::Invalid);
  EXPECT_FALSE(s.valid_bad);
}

TEST(CaseMachine, ReviewRejectedSendsTheCaseToRectificationAsAValidBadRating) {
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-04", kUnit, A::Report, {{"report", "无关"}}),
                                             Ev("2026-11-05", kOffice, A::Review, {{"decision", "reject"}})}));
  EXPECT_EQ(s.status, S::Rectifying);
  EXPECT_EQ(s.deadline, DeadlineKind::Rectify);
  EXPECT_EQ(s.due, D("2026-11-19"));
  EXPECT_TRUE(s.valid_bad);

  const CaseState complex =
      Play(Plus(Reporting(), {Ev("2026-11-04", kUnit, A::Report, {{"report", "无关"}}),
                             Ev("2026-11-05", kOffice, A::Review, {{"decision", "reject"}, {"complex", "true"}})}));
  EXPECT_EQ(complex.due, D("2026-11-26"));
}

TEST(CaseMachine, ReviewNeedsAKnownDecision) {
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-04", kUnit, A::Report, {{"report", "无关"}})}));
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-05", kOffice, A::Review, {{"decision", "maybe"}}))), "case.field_invalid@fields.decision");
}

// ---- appeals ----------------------------------------------------------------------------------

TEST(CaseMachine, AppealUpheldClosesTheCaseAndExcludesTheRating) {
  const CaseState s = Play(Plus(Rectifying(), {Ev("2026-11-04", kUnit, A::Appeal, {{"reason", "恶意差评"}}),
                                              Ev("2026-11-06", kOffice, A::DecideAppeal, {{"decision", "uphold"}})}));
  EXPECT_EQ(s.appeal, AppealStatus::Upheld);
  EXPECT_EQ(s.status, S::Closed);
  EXPECT_EQ(s.resolution, CaseResolution::AppealUpheld);
  EXPECT_TRUE(s.excluded_from_statistics);
  EXPECT_FALSE(s.due.has_value());
}

TEST(CaseMachine, AppealRejectedLeavesTheCaseAsItWasAndAllowsNoSecondAppeal) {
  const CaseState before = Play(Rectifying());
  const CaseState s = Play(Plus(Rectifying(), {Ev("2026-11-04", kUnit, A::Appeal, {{"reason", "恶意差评"}}),
                                              Ev("2026-11-06", kOffice, A::DecideAppeal, {{"decision", "reject"}})}));
  EXPECT_EQ(s.appeal, AppealStatus::Rejected);
  EXPECT_EQ(s.status, S::Rectifying);
  EXPECT_EQ(s.due, before.due);
  EXPECT_FALSE(s.excluded_from_statistics);
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-07", kUnit, A::Appeal, {{"reason", "再次申诉"}}))), "case.appeal_exists@");
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-07", kOffice, A::DecideAppeal, {{"decision", "uphold"}}))),
            "case.no_pending_appeal@");
}

TEST(CaseMachine, PendingAppealDoesNotStopTheClock) {
  const CaseState s = Play(Plus(Rectifying(), {Ev("2026-11-04", kUnit, A::Appeal, {{"reason", "恶意差评"}})}));
  EXPECT_EQ(s.appeal, AppealStatus::Pending);
  EXPECT_EQ(s.status, S::Rectifying);
  EXPECT_EQ(s.due, D("2026-11-17"));
  EXPECT_EQ(Overdue(s, D("2026-11-18")), true);
}

TEST(CaseMachine, AppealPendingWhenTheCaseClosesCanStillBeUpheld) {
  const CaseState s = Play(Plus(Reporting(), {Ev("2026-11-04", kUnit, A::Appeal, {{"reason", "恶意差评"}}),
                                             Ev("2026-11-05", kUnit, A::Report, {{"report", "无关"}}),
                                             Ev("2026-11-06", kOffice, A::Review, {{"decision", "approve"}}),
                                             Ev("2026-11-09", kOffice, A::DecideAppeal, {{"decision", "uphold"}})}));
  EXPECT_EQ(s.status, S::Closed);
  EXPECT_EQ(s.resolution, CaseResolution::AppealUpheld);
  EXPECT_TRUE(s.excluded_from_statistics);
}

TEST(CaseMachine, AppealNeedsAReason) {
  EXPECT_EQ(Ids(Refusal(Play(Rectifying()), Ev("2026-11-04", kUnit, A::Appeal, {}))), "case.field_required@fields.reason");
}

// ---- refusals ---------------------------------------------------------------------------------

TEST(CaseMachine, EventDatedBeforeThePreviousOneIsOutOfOrder) {
  const CaseState s = Play(Rectifying());
  const Errors e = Refusal(s, Ev("2026-11-02", kUnit, A::Rectify, {{"result", "已整改"}}));
  EXPECT_EQ(Ids(e), "case.date_out_of_order@date");
  EXPECT_EQ(e[0].message_en, "Action dated before the previous step: 2026-11-02 < 2026-11-03");
  // The same day is fine: a unit may verify and rectify on one day.
  EXPECT_TRUE(Apply(s, Ev("2026-11-03", kUnit, A::Rectify, {{"result", "已整改"}}), {}, Cal()).ok());
}

TEST(CaseMachine, WrongActorIsRefusedBeforeTheStateIsConsidered) {
  const Errors e = Refusal(Play(Rectifying()), Ev("2026-11-04", kOffice, A::Rectify, {{"result", "已整改"}}));
  EXPECT_EQ(Ids(e), "case.actor_not_allowed@actor");
  EXPECT_EQ(e[0].message_en, "This role may not take this action: rectify by office");
}

TEST(CaseMachine, ActionNotAllowedInTheStateNamesBoth) {
  const Errors e = Refusal(Play({Open("2026-11-02")}), Ev("2026-11-04", kUnit, A::Rectify, {{"result", "已整改"}}));
  EXPECT_EQ(Ids(e), "case.transition_not_allowed@action");
  EXPECT_EQ(e[0].message_en, "This action is not allowed in the current state: rectify in pushed");
}

TEST(CaseMachine, ReturnVisitReportsEveryFieldProblemAtOnce) {
  const CaseState s = Play({Open("2026-11-02")});
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-03", kUnit, A::ReturnVisit, {}))),
            "case.field_required@fields.method case.field_required@fields.outcome");
  EXPECT_EQ(Ids(Refusal(s, Ev("2026-11-03", kUnit, A::ReturnVisit,
                              {{"method", "fax"}, {"outcome", "valid"}, {"complex", "yes"}, {"outcom", "x"}}))),
            "request.unknown_field@fields.outcom case.field_invalid@fields.method case.field_invalid@fields.complex");
}

TEST(CaseMachine, InvalidLimitsAreRefused) {
  CaseLimits bad;
  bad.return_visit = 0;
  bad.rectify = -1;
  bad.review = -1;
  EXPECT_EQ(Ids(ValidateCaseLimits(bad)),
            "case.config_invalid@return_visit case.config_invalid@rectify case.config_invalid@review");
  CaseLimits inverted;
  inverted.rectify_complex = 5;
  EXPECT_EQ(Ids(ValidateCaseLimits(inverted)), "case.config_invalid@rectify_complex");
  EXPECT_TRUE(ValidateCaseLimits(CaseLimits{}).empty());
  EXPECT_EQ(Ids(Refusal(CaseState{}, Open("2026-11-02"), bad)),
            "case.config_invalid@return_visit case.config_invalid@rectify case.config_invalid@review");
}

TEST(CaseMachine, ReplayNamesTheEventThatFailed) {
  auto r = Replay(Plus(Rectifying(), {Ev("2026-11-04", kUnit, A::Rectify, {})}), {}, Cal());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Ids(r.errors()), "case.field_required@[2].fields.result");
}

// ---- today ------------------------------------------------------------------------------------

TEST(CaseMachine, OverdueOnlyOnceTheDueDayHasEnded) {
  const CaseState s = Play({Open("2026-09-30")});  // due 2026-10-09
  EXPECT_EQ(Overdue(s, D("2026-10-08")), false);
  EXPECT_EQ(Overdue(s, D("2026-10-09")), false);
  EXPECT_EQ(Overdue(s, D("2026-10-10")), true);
  EXPECT_EQ(Overdue(Reach(S::Closed, false), D("2030-01-01")), std::nullopt);
}

TEST(CaseMachine, WorkingDaysLeftSkipsHolidaysAndTurnsNegativeWhenOverdue) {
  const CaseState s = Play({Open("2026-09-30")});  // due 2026-10-09
  auto left = [&](std::string_view today) { return WorkingDaysLeft(s, D(today), Cal())->value; };
  EXPECT_EQ(left("2026-09-30"), 2);
  EXPECT_EQ(left("2026-10-03"), 2);
  EXPECT_EQ(left("2026-10-09"), 0);
  EXPECT_EQ(left("2026-10-12"), -2);  // Sat Oct 10 was a make-up working day
  EXPECT_FALSE(WorkingDaysLeft(Reach(S::Closed, false), D("2026-10-12"), Cal()).has_value());
}

TEST(CaseMachine, DeadlinesInAYearWithoutDataSayWhichYearsWereAssumed) {
  const CaseState s = Play({Open("2027-12-30")});  // Thu: Fri Dec 31, Mon Jan 3
  EXPECT_EQ(s.due, D("2028-01-03"));
  EXPECT_EQ(s.assumed_years, (std::vector<int>{2027, 2028}));
  auto left = WorkingDaysLeft(s, D("2027-12-30"), Cal());
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->value, 2);
  EXPECT_FALSE(left->exact());
}

// ---- wire names and JSON ------------------------------------------------------------------------

TEST(CaseMachine, WireNamesRoundTripAndUnknownNamesAreRejected) {
  for (CaseStatus s : kAllCaseStatuses) EXPECT_EQ(CaseStatusFromWire(WireName(s)), s);
  for (CaseAction a : kAllCaseActions) EXPECT_EQ(CaseActionFromWire(WireName(a)), a);
  for (CaseActor a : kAllCaseActors) EXPECT_EQ(CaseActorFromWire(WireName(a)), a);
  for (auto r : {CaseResolution::None, CaseResolution::Rectified, CaseResolution::Invalid, CaseResolution::AppealUpheld})
    EXPECT_EQ(CaseResolutionFromWire(WireName(r)), r);
  for (auto k : {DeadlineKind::None, DeadlineKind::ReturnVisit, DeadlineKind::Rectify, DeadlineKind::InvalidReport,
                 DeadlineKind::Review})
    EXPECT_EQ(DeadlineKindFromWire(WireName(k)), k);
  for (auto a : {AppealStatus::None, AppealStatus::Pending, AppealStatus::Upheld, AppealStatus::Rejected})
    EXPECT_EQ(AppealStatusFromWire(WireName(a)), a);
  EXPECT_EQ(WireName(S::InvalidReporting), "invalid_reporting");
  EXPECT_EQ(WireName(S::UnderReview), "under_review");
  EXPECT_EQ(WireName(A::DecideAppeal), "decide_appeal");
  EXPECT_EQ(WireName(CaseResolution::AppealUpheld), "appeal_upheld");
  EXPECT_EQ(CaseActionFromWire("Rectify"), std::nullopt);
  EXPECT_EQ(CaseActorFromWire("citizen"), std::nullopt);
}

TEST(CaseJson, ParsesEventsWithStringAndBooleanFields) {
  const auto j = nlohmann::json::parse(R"([
    {"date":"2026-11-02","actor":"system","action":"open"},
    {"date":"2026-11-03","actor":"unit","action":"return_visit",
     "fields":{"method":"phone","outcome":"valid","complex":false}}])", nullptr, false);
  auto events = ParseCaseEvents(j);
  ASSERT_TRUE(events.ok()) << Ids(events.errors());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].date, D("2026-11-02"));
  EXPECT_EQ((*events)[0].actor, kSystem);
  EXPECT_EQ((*events)[0].action, A::Open);
  EXPECT_TRUE((*events)[0].fields.empty());
  EXPECT_EQ((*events)[1].fields, (CaseFields{{"method", "phone"}, {"outcome", "valid"}, {"complex", "false"}}));
  EXPECT_EQ(Play(*events).due, D("2026-11-17"));
}

TEST(CaseJson, ReportsEveryBadEventWithItsPath) {
  const auto j = nlohmann::json::parse(R"([
    {"date":"2026-11-02","actor":"robot","action":"open"},
    {"date":"2026-13-01","actor":"unit","action":"fix","fields":{"n":1},"extra":true},
    {"actor":"unit"},
    7])", nullptr, false);
  auto events = ParseCaseEvents(j);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(Ids(events.errors()),
            "case.actor_unknown@[0].actor "
            "case.action_unknown@[1].action date.invalid@[1].date request.unknown_field@[1].extra "
            "request.field_type@[1].fields.n "
            "request.field_required@[2].date request.field_required@[2].action "
            "request.field_type@[3]");
  EXPECT_EQ(Ids(ParseCaseEvents(nlohmann::json::object()).errors()), "request.field_type@");
}

TEST(CaseJson, EventsWrittenOutReadBackTheSame) {
  const auto events = Plus(Rectifying(), {Ev("2026-11-16", kUnit, A::Extend, {{"reason", "需上级批复"}, {"new_due", "2026-12-01"}})});
  nlohmann::json j = nlohmann::json::array();
  for (const auto& e : events) j.push_back(CaseEventToJson(e));
  auto back = ParseCaseEvents(j);
  ASSERT_TRUE(back.ok()) << Ids(back.errors());
  ASSERT_EQ(back->size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ((*back)[i].date, events[i].date);
    EXPECT_EQ((*back)[i].actor, events[i].actor);
    EXPECT_EQ((*back)[i].action, events[i].action);
    EXPECT_EQ((*back)[i].fields, events[i].fields);
  }
}

TEST(CaseJson, StateShowsDeadlineAllowedActionsAndHistory) {
  const CaseState s = Play(Rectifying());
  const auto j = CaseStateToJson(s);
  EXPECT_EQ(j["state"], "rectifying");
  EXPECT_TRUE(j["resolution"].is_null());
  EXPECT_EQ(j["deadline"], nlohmann::json::parse(R"({"kind":"rectify","due":"2026-11-17"})"));
  EXPECT_EQ(j["appeal"], "none");
  EXPECT_EQ(j["valid_bad"], true);
  EXPECT_EQ(j["visit_on_time"], true);
  EXPECT_TRUE(j["rectified_on_time"].is_null());
  EXPECT_EQ(j["extensions"], 0);
  EXPECT_EQ(j["allowed"], nlohmann::json::parse(R"({"unit":["extend","rectify","appeal"],"office":[],"system":[]})"));
  ASSERT_EQ(j["history"].size(), 2u);
  EXPECT_EQ(j["history"][1], nlohmann::json::parse(R"({"date":"2026-11-03","actor":"unit","action":"return_visit",
      "fields":{"method":"phone","outcome":"valid"},"from":"pushed","to":"rectifying","due":"2026-11-17",
      "notify_citizen":false})"));
}

TEST(CaseJson, StateAsOfTodaySaysOverdueAndWorkingDaysLeft) {
  const CaseState s = Play(Rectifying());
  const auto j = CaseStateToJson(s, D("2026-11-18"), Cal());
  EXPECT_EQ(j["deadline"]["overdue"], true);
  EXPECT_EQ(j["deadline"]["working_days_left"], -1);
  const auto closed = CaseStateToJson(Reach(S::Closed, false), D("2026-11-18"), Cal());
  EXPECT_EQ(closed["resolution"], "rectified");
  EXPECT_TRUE(closed["deadline"]["overdue"].is_null());
  EXPECT_TRUE(closed["deadline"]["working_days_left"].is_null());
  // Counting into a year without data is flagged even when the deadline itself was exact.
  EXPECT_EQ(CaseStateToJson(s, D("2027-01-05"), Cal())["assumed_years"], nlohmann::json::parse("[2027]"));
}

}  // namespace
}  // namespace hcp
