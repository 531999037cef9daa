// The closed loop over both stores ("sqlite": a temporary folder; "postgresql": a database of its
// own in HCP_TEST_PG, see test_database.h): cases opened exactly once at ingest, the valid and the
// invalid paths through the shared case machine with the real 2026 calendar (国庆), access by unit,
// appeals taking a rating out of the statistics, suggestions, escalation, and default ratings
// given once across restarts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "central_store.h"
#include "closed_loop.h"
#include "scheduler.h"
#include "test_database.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;

const Actor kOffice{"office-1", "reviewer", ""};
const Actor kTaxHandler{"wang", "handler", "330100-tax"};
const Actor kLandHandler{"li", "handler", "330100-land"};

RelayedRating Rating(const std::string& id, const std::string& case_id, int satisfaction, const std::string& day,
                     const std::string& comment = "", const std::string& unit = "330100-tax") {
  RelayedRating r;
  r.id = id;
  r.case_id = case_id;
  r.assess = 1;
  r.kid = "issuer-1";
  r.claims_json = R"({"case":")" + case_id + R"("})";
  r.rating_json = R"({"satisfaction":)" + std::to_string(satisfaction) + "}";
  r.satisfaction = satisfaction;
  r.received_at_ms = 1790000000000;
  r.unit = unit;
  r.unit_name = "杭州市税务局";
  r.channel = "pc";
  r.comment = comment;
  r.day = day;
  return r;
}

Date D(int y, int m, int d) { return Date(y, m, d); }

class ClosedLoopTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto cal = WorkingCalendar::Embedded();
    ASSERT_TRUE(cal);
    calendar_ = std::move(cal).value();
    ASSERT_TRUE(calendar_.HasYear(2026));
    if (GetParam() == "sqlite") {
      static std::atomic<int> n{0};
      dir_ = (fs::temp_directory_path() / ("hcp_closed_loop_" + std::to_string(getpid()) + "_" + std::to_string(n++))).string();
    } else {
      ASSERT_NO_FATAL_FAILURE(db_.Create());
    }
    Reopen();
  }
  void TearDown() override {
    loop_.reset();
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  // A restart: the store opened again from the same database.
  void Reopen() {
    loop_.reset();
    store_.reset();
    std::string error;
    store_ = OpenStore(GetParam() == "sqlite" ? "" : db_.url(), dir_, error);
    ASSERT_TRUE(store_) << error;
    loop_ = std::make_unique<ClosedLoop>(*store_, calendar_, CaseLimits{});
  }
  void Ingest(const std::vector<RelayedRating>& batch) {
    auto r = store_->Ingest("edge-a", batch);
    ASSERT_TRUE(r) << r.errors().front().id << " " << r.errors().front().message;
  }
  HandlingView Act(const Actor& who, const std::string& case_id, const std::string& action, CaseFields fields, Date today) {
    auto v = loop_->Act(who, case_id, 1, action, fields, today, 1790000000000);
    EXPECT_TRUE(v) << action << ": " << (v ? "" : v.errors().front().id + " " + v.errors().front().field);
    return v ? *v : HandlingView{};
  }
  std::string Refusal(const Actor& who, const std::string& case_id, const std::string& action, CaseFields fields, Date today) {
    auto v = loop_->Act(who, case_id, 1, action, fields, today, 1790000000000);
    return v ? "accepted" : v.errors().front().id;
  }

  WorkingCalendar calendar_;
  std::string dir_;
  testing::TestDatabase db_;
  std::unique_ptr<CentralStore> store_;
  std::unique_ptr<ClosedLoop> loop_;
};

TEST_P(ClosedLoopTest, ABadRatingOpensOneCaseEvenWhenTheBatchIsReplayed) {
  const std::vector<RelayedRating> batch = {Rating("r1", "c1", 1, "2026-09-29"), Rating("r2", "c2", 5, "2026-09-29", "窗口很耐心"),
                                            Rating("r3", "c3", 4, "2026-09-29", "  "), Rating("r4", "c4", 2, "2026-09-29")};
  Ingest(batch);
  Ingest(batch);  // the acknowledgement was lost: the edge sends the batch again
  Ingest({Rating("r5", "c1", 1, "2026-09-30")});  // a second rating of c1: rejected, opens nothing
  auto all = store_->HandlingCases("", false);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].case_id, "c1");
  EXPECT_EQ((*all)[0].rating_id, "r1");
  EXPECT_EQ((*all)[1].case_id, "c4");
  for (const auto& c : *all) {
    ASSERT_EQ(c.events.size(), 1u);
    EXPECT_EQ(c.events[0].action, "open");
    EXPECT_EQ(c.events[0].date, "2026-09-29");
  }
  auto inbox = store_->Suggestions("330100-tax");
  ASSERT_TRUE(inbox);
  ASSERT_EQ(inbox->size(), 1u);  // the good rating with text; whitespace is no text
  EXPECT_EQ((*inbox)[0].rating_id, "r2");
  EXPECT_EQ((*inbox)[0].text, "窗口很耐心");
}

TEST_P(ClosedLoopTest, ValidPathAcrossNationalDayToClosed) {
  Ingest({Rating("r1", "c1", 1, "2026-09-29")});
  auto v = loop_->Handling(kTaxHandler, "c1", 1);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->state.status, CaseStatus::Pushed);
  // Opened Tue 29 Sep: 30 Sep is the 1st working day, 1-7 Oct are 国庆, Thu 8 Oct is the 2nd.
  EXPECT_EQ(v->state.due, D(2026, 10, 8));
  EXPECT_EQ(ClosedLoop::AllowedFor(kTaxHandler, *v), (std::vector<CaseAction>{CaseAction::ReturnVisit, CaseAction::Appeal}));
  EXPECT_TRUE(ClosedLoop::AllowedFor(kOffice, *v).empty());  // nothing for the office until a report or an appeal

  auto s = Act(kTaxHandler, "c1", "return_visit", {{"method", "phone"}, {"outcome", "valid"}}, D(2026, 10, 8));
  EXPECT_EQ(s.state.status, CaseStatus::Rectifying);
  EXPECT_EQ(s.state.visit_on_time, true);
  // 10 working days after Thu 8 Oct: 9, 10 (Sat, make-up working day), 12-16, 19, 20, 21.
  EXPECT_EQ(s.state.due, D(2026, 10, 21));
  EXPECT_EQ(Refusal(kTaxHandler, "c1", "extend", {{"new_due", "2026-10-30"}}, D(2026, 10, 20)), "case.field_required");
  s = Act(kTaxHandler, "c1", "extend", {{"reason", "需要上级部门配合"}, {"new_due", "2026-10-30"}}, D(2026, 10, 20));
  EXPECT_EQ(s.state.status, CaseStatus::Extended);
  EXPECT_EQ(s.state.due, D(2026, 10, 30));
  EXPECT_TRUE(s.state.history.back().notify_citizen);  // the citizen is told of the new date
  s = Act(kTaxHandler, "c1", "rectify", {{"result", "已优化叫号流程"}}, D(2026, 10, 29));
  EXPECT_EQ(s.state.status, CaseStatus::Rectified);
  EXPECT_EQ(s.state.rectified_on_time, true);
  s = Act(kTaxHandler, "c1", "confirm", {{"method", "sms"}}, D(2026, 10, 30));
  EXPECT_EQ(s.state.status, CaseStatus::Closed);
  EXPECT_EQ(s.state.resolution, CaseResolution::Rectified);

  // Stored: the next load replays the same five events to the same state, and the case left the to-dos.
  auto again = loop_->Handling(kOffice, "c1", 1);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->record.events.size(), 5u);
  EXPECT_EQ(again->record.events[1].by, "wang");
  EXPECT_EQ(again->state.status, CaseStatus::Closed);
  auto todos = loop_->Todos(kTaxHandler, "330100-tax");
  ASSERT_TRUE(todos);
  EXPECT_TRUE(todos->empty());
}

TEST_P(ClosedLoopTest, InvalidPathThroughReviewBackToRectificationAndApproved) {
  Ingest({Rating("r1", "c1", 2, "2026-09-29"), Rating("r2", "c2", 2, "2026-09-29")});
  auto s = Act(kTaxHandler, "c1", "return_visit", {{"method", "in_person"}, {"outcome", "invalid"}}, D(2026, 9, 30));
  EXPECT_EQ(s.state.status, CaseStatus::InvalidReporting);
  // 10 working days after Wed 30 Sep: 8, 9, 10 (Sat), 12-16, 19, 20 Oct.
  EXPECT_EQ(s.state.due, D(2026, 10, 20));
  EXPECT_EQ(Refusal(kOffice, "c1", "review", {{"decision", "approve"}}, D(2026, 10, 9)), "case.transition_not_allowed");
  s = Act(kTaxHandler, "c1", "report", {{"report", "评价人反映的事项不属于本单位职责"}}, D(2026, 10, 9));
  EXPECT_EQ(s.state.status, CaseStatus::UnderReview);
  // A handler cannot review its own report: the office does.
  EXPECT_EQ(Refusal(kTaxHandler, "c1", "review", {{"decision", "approve"}}, D(2026, 10, 9)), "case.actor_not_allowed");
  s = Act(kOffice, "c1", "review", {{"decision", "reject"}, {"complex", true ? "true" : "false"}}, D(2026, 10, 12));
  EXPECT_EQ(s.state.status, CaseStatus::Rectifying);
  EXPECT_TRUE(s.state.valid_bad);
  // Complex: 15 working days after Mon 12 Oct.
  EXPECT_EQ(s.state.due, D(2026, 11, 2));
  s = Act(kTaxHandler, "c1", "rectify", {{"result", "已整改"}}, D(2026, 10, 30));
  s = Act(kTaxHandler, "c1", "confirm", {{"method", "phone"}}, D(2026, 11, 2));
  EXPECT_EQ(s.state.resolution, CaseResolution::Rectified);

  Act(kTaxHandler, "c2", "return_visit", {{"method", "phone"}, {"outcome", "invalid"}}, D(2026, 9, 30));
  Act(kTaxHandler, "c2", "report", {{"report", "重复评价"}}, D(2026, 10, 8));
  s = Act(kOffice, "c2", "review", {{"decision", "approve"}}, D(2026, 10, 9));
  EXPECT_EQ(s.state.status, CaseStatus::Closed);
  EXPECT_EQ(s.state.resolution, CaseResolution::Invalid);
}

TEST_P(ClosedLoopTest, AnotherUnitsHandlerIsRefusedAndNothingIsStored) {
  Ingest({Rating("r1", "c1", 1, "2026-09-29")});
  EXPECT_EQ(Refusal(kLandHandler, "c1", "return_visit", {{"method", "phone"}, {"outcome", "valid"}}, D(2026, 9, 30)),
            "auth.forbidden");
  auto seen = loop_->Handling(kLandHandler, "c1", 1);
  ASSERT_FALSE(seen);
  EXPECT_EQ(seen.errors().front().id, "auth.forbidden");
  auto todos = loop_->Todos(kLandHandler, "330100-tax");
  ASSERT_FALSE(todos);
  EXPECT_EQ(todos.errors().front().id, "auth.forbidden");
  const Actor auditor{"audit-1", "auditor", ""};
  EXPECT_EQ(Refusal(auditor, "c1", "return_visit", {{"method", "phone"}, {"outcome", "valid"}}, D(2026, 9, 30)),
            "auth.forbidden");
  EXPECT_EQ(Refusal(kTaxHandler, "nope", "return_visit", {}, D(2026, 9, 30)), "case.not_found");
  EXPECT_EQ(Refusal(kTaxHandler, "c1", "dance", {}, D(2026, 9, 30)), "case.action_unknown");
  auto c = store_->FindHandlingCase("c1", 1);
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->events.size(), 1u);
}

TEST_P(ClosedLoopTest, AnUpheldAppealTakesTheRatingOutOfTheStatisticsAndKeepsTheDecision) {
  Ingest({Rating("r1", "c1", 1, "2026-09-29"), Rating("r2", "c2", 5, "2026-09-29")});
  Act(kTaxHandler, "c1", "appeal", {{"reason", "评价人误选了本窗口"}}, D(2026, 9, 30));
  auto s = Act(kOffice, "c1", "decide_appeal", {{"decision", "uphold"}}, D(2026, 10, 8));
  EXPECT_EQ(s.state.resolution, CaseResolution::AppealUpheld);
  EXPECT_TRUE(s.state.excluded_from_statistics);
  auto summary = store_->StatsSummary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->all.Total(), 1);
  EXPECT_EQ(summary->all.Excluded(), 1);
  auto kept = loop_->Handling(kOffice, "c1", 1);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->record.events.back().action, "decide_appeal");
  EXPECT_EQ(kept->record.events.back().fields_json, R"({"decision":"uphold"})");
}

TEST_P(ClosedLoopTest, AStaleSequenceNumberIsAConflict) {
  Ingest({Rating("r1", "c1", 1, "2026-09-29")});
  const HandlingEvent first{1, "2026-09-30", "unit", "appeal", R"({"reason":"x"})", "wang", 1};
  auto a = store_->AppendHandlingEvent("c1", 1, first, false, false);
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, AppendStatus::Appended);
  auto b = store_->AppendHandlingEvent("c1", 1, first, false, false);  // the same seq again
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, AppendStatus::Conflict);
  auto gap = store_->AppendHandlingEvent("c1", 1, HandlingEvent{5, "2026-09-30", "unit", "appeal", "{}", "wang", 1}, false, false);
  ASSERT_TRUE(gap);
  EXPECT_EQ(*gap, AppendStatus::Conflict);
  auto none = store_->AppendHandlingEvent("c9", 1, first, false, false);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, AppendStatus::NoCase);
}

TEST_P(ClosedLoopTest, TodosAreSortedByDeadlineAndOverdueOnesAreEscalatedOnce) {
  Ingest({Rating("r1", "c1", 1, "2026-09-29"), Rating("r2", "c2", 1, "2026-09-25")});
  Act(kTaxHandler, "c2", "return_visit", {{"method", "phone"}, {"outcome", "valid"}}, D(2026, 9, 28));
  auto todos = loop_->Todos(kTaxHandler, "330100-tax");
  ASSERT_TRUE(todos);
  ASSERT_EQ(todos->size(), 2u);
  EXPECT_EQ((*todos)[0].record.case_id, "c1");  // due 8 Oct, before c2's rectification
  EXPECT_EQ((*todos)[1].record.case_id, "c2");

  Scheduler daily(*store_, *loop_, calendar_, DefaultRatingRule{});
  auto quiet = daily.RunDaily(D(2026, 10, 8), 1);  // the due day itself is not overdue
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->overdue, 0);
  auto first = daily.RunDaily(D(2026, 10, 9), 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->overdue, 1);
  EXPECT_EQ(first->escalated, 1);
  Reopen();
  Scheduler after_restart(*store_, *loop_, calendar_, DefaultRatingRule{});
  auto second = after_restart.RunDaily(D(2026, 10, 9), 2);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->overdue, 1);
  EXPECT_EQ(second->escalated, 0);
  auto count = store_->EscalationCount();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1);
}

int64_t Unix(Date d, int hour) { return d.DayNumber() * 86400LL + (hour - 8) * 3600LL; }  // China time

TEST_P(ClosedLoopTest, DefaultRatingAfterFiveWorkingDaysOnceAcrossRestarts) {
  auto reg = [&](const std::string& case_id, Date finished) {
    CaseRecord c;
    c.case_id = case_id;
    c.unit = "330100-tax";
    c.unit_name = "杭州市税务局";
    c.area = "330100";
    c.channel = "pc";
    c.finished_at_unix = Unix(finished, 16);
    c.body = R"({"case":")" + case_id + R"("})";
    c.source = "网厅";
    c.registered_at_ms = 1;
    auto r = store_->RegisterCase(c);
    ASSERT_TRUE(r);
  };
  // Finished Mon 28 Sep: 29, 30 Sep, 8, 9 Oct, Sat 10 Oct (make-up working day) = 5 working days.
  reg("d1", D(2026, 9, 28));
  reg("d2", D(2026, 9, 28));  // rated in time: no default
  Ingest({Rating("r2", "d2", 4, "2026-09-30")});
  Scheduler daily(*store_, *loop_, calendar_, DefaultRatingRule{});
  auto on_due_day = daily.RunDaily(D(2026, 10, 10), 1);
  ASSERT_TRUE(on_due_day);
  EXPECT_EQ(on_due_day->defaults_given, 0);  // the citizen may still rate all of 10 Oct
  auto next_day = daily.RunDaily(D(2026, 10, 11), 1);
  ASSERT_TRUE(next_day);
  EXPECT_EQ(next_day->defaults_given, 1);
  Reopen();  // a restart, and the job runs again
  Scheduler after_restart(*store_, *loop_, calendar_, DefaultRatingRule{});
  auto again = after_restart.RunDaily(D(2026, 10, 12), 2);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->defaults_given, 0);
  auto summary = store_->StatsSummary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->all.Total(), 2);
  EXPECT_EQ(summary->by_channel.count("default"), 1u);
  EXPECT_EQ(summary->by_channel.at("default").Total(), 1);
  // A late real rating for d1 is refused: the case is rated (by default) already.
  auto late = store_->Ingest("edge-a", {Rating("r9", "d1", 1, "2026-10-12")});
  ASSERT_TRUE(late);
  EXPECT_EQ((*late)[0].status, IngestStatus::Rejected);
  EXPECT_EQ((*late)[0].existing_id, DefaultRatingId("d1", 1));
}

INSTANTIATE_TEST_SUITE_P(Backends, ClosedLoopTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
