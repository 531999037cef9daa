#pragma once
// The reports' fixed data set (tests/shared/report_fixture.h: March 2026 with February and
// January) loaded into a real centre store the way production fills it: edges' ratings through
// Ingest (which opens each bad rating's case), system default ratings through StoreDefaultRating,
// and every case's handling through the closed loop (ClosedLoop::Act, the shared case machine with
// the real 2026 calendar and the default limits). The handling below was chosen so that the cases
// replay to exactly the fixture's snapshots (deadline, rectification and closing days), which is
// what lets the store's report be compared with the hand-written golden files.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "central_store.h"
#include "closed_loop.h"
#include "hcp/channel.h"
#include "hcp/level.h"
#include "hcp/wire.h"
#include "rating_source.h"
#include "report_fixture.h"

namespace hcp::central::testing {

struct Step {
  const char* date;
  const char* action;
  const char* fields;  // JSON object of strings
};

// The handling of the fixture's bad ratings (r8 stays as ingest opened it: pending).
inline const std::map<std::string, std::vector<Step>>& FixtureHandling() {
  static const std::map<std::string, std::vector<Step>> steps = {
      // opened Thu 03-05; valid on 03-06 → rectify by 03-20 (10 working days); rectified 03-18, confirmed 03-19
      {"r6",
       {{"2026-03-06", "return_visit", R"({"method":"phone","outcome":"valid"})"},
        {"2026-03-18", "rectify", R"({"result":"已整改"})"},
        {"2026-03-19", "confirm", R"({"method":"phone"})"}}},
      // opened 03-10; valid 03-11 → due 03-25; rectified late 03-30, confirmed 03-31
      {"r7",
       {{"2026-03-11", "return_visit", R"({"method":"phone","outcome":"valid"})"},
        {"2026-03-30", "rectify", R"({"result":"已整改"})"},
        {"2026-03-31", "confirm", R"({"method":"sms"})"}}},
      // opened 03-12; invalid at the visit → report due 03-26; reported 03-20, the office agreed 03-27
      {"r14",
       {{"2026-03-12", "return_visit", R"({"method":"phone","outcome":"invalid"})"},
        {"2026-03-20", "report", R"({"report":"与事实不符"})"},
        {"2026-03-27", "review", R"({"decision":"approve"})"}}},
      // opened 03-16; valid 03-17 → due 03-31; the staff appealed, upheld 03-20: out of every figure
      {"r15",
       {{"2026-03-17", "return_visit", R"({"method":"phone","outcome":"valid"})"},
        {"2026-03-18", "appeal", R"({"reason":"恶意评价"})"},
        {"2026-03-20", "decide_appeal", R"({"decision":"uphold"})"}}},
      // opened 03-16; valid 03-17 → due 03-31, still open on 04-03: overdue
      {"r20", {{"2026-03-17", "return_visit", R"({"method":"phone","outcome":"valid"})"}}},
      // February and January (the annual report counts their cases): the deadlines differ from the
      // fixture's hand-set ones (02-27 for 02-12, 02-28 for 02-27), but not what they decide: f1-5
      // rectified on time, f3-4 overdue and open on 04-03.
      {"f1-5",
       {{"2026-02-06", "return_visit", R"({"method":"phone","outcome":"valid"})"},
        {"2026-02-10", "rectify", R"({"result":"已整改"})"},
        {"2026-02-11", "confirm", R"({"method":"phone"})"}}},
      {"f3-4", {{"2026-02-09", "return_visit", R"({"method":"phone","outcome":"valid"})"}}},
      // opened Mon 01-12, valid the same day → due 01-26 as in the fixture; rectified 01-20, confirmed 01-21
      {"j3-0",
       {{"2026-01-12", "return_visit", R"({"method":"phone","outcome":"valid"})"},
        {"2026-01-20", "rectify", R"({"result":"已整改"})"},
        {"2026-01-21", "confirm", R"({"method":"phone"})"}}},
  };
  return steps;
}

// The day the centre opened the case: the day it received the rating, except r8, relayed on
// Monday 03-30 after a weekend offline (so its return visit was due 04-01, as in the fixture).
inline std::string OpenDay(const RatingRecord& r) { return r.id == "r8" ? "2026-03-30" : r.assessed_on.ToString(); }

inline std::string ClaimsOf(const RatingRecord& r, const std::string& sealed_contact = "") {
  Json claims = {{"case", r.project_no},  {"item", r.item},     {"item_name", r.item_name},
                 {"unit", r.unit},        {"unit_name", r.unit_name}, {"area", r.area},
                 {"channel", std::string(ChannelKey(r.channel))},
                 {"evaluator",
                  {{"sub", r.evaluator_id}, {"kind", std::string(EvaluatorKindKey(r.evaluator_kind))},
                   {"name", r.evaluator_name}}}};
  if (!r.window.empty()) claims["window"] = r.hall.empty() ? r.window : r.hall + "/" + r.window;
  if (!sealed_contact.empty()) claims["evaluator"]["contact"] = sealed_contact;
  return Dump(claims);
}

inline RelayedRating RelayedOf(const RatingRecord& r, const std::string& edge_suffix = "",
                               const std::string& sealed_contact = "") {
  RelayedRating x;
  x.id = r.id + edge_suffix;
  x.case_id = r.project_no;
  x.assess = r.assess;
  x.kid = r.is_default ? "" : "issuer-1";
  x.claims_json = ClaimsOf(r, sealed_contact);
  x.satisfaction = ToCode(r.level, CodeDirection::Deployed);
  x.rating_json = Dump(Json{{"satisfaction", x.satisfaction}, {"reasons", r.reasons}, {"comment", r.comment},
                            {"public", r.is_public}, {"dimensions", Json::object()}});
  x.received_at_ms = DayStartMs(r.assessed_on) + static_cast<int64_t>(r.assessed_second) * 1000;
  x.unit = r.unit;
  x.unit_name = r.unit_name;
  x.channel = std::string(ChannelKey(r.channel));
  x.comment = r.comment;
  x.day = OpenDay(r);
  return x;
}

// Loads every fixture record (or those `keep` says yes to) into `store`. `credit_codes`: the units
// are reported by their 18-character 统一社会信用代码 (as the national export requires) instead
// of the fixture's short keys U1..U3 (as the golden report files name them).
// `contacts`: rating id → the evaluator's contact sealed to the centre, as a ticket carries it.
template <class Keep>
void LoadFixture(CentralStore& store, const WorkingCalendar& calendar, Keep keep, bool credit_codes = false,
                 const std::map<std::string, std::string>& contacts = {}) {
  std::vector<RelayedRating> batch;
  std::vector<RatingRecord> records;
  for (auto r : hcp::testing::ReportFixture()) {
    if (!keep(r)) continue;
    if (credit_codes) r.unit = r.dept_code;
    records.push_back(r);
    if (r.is_default) {
      auto stored = store.StoreDefaultRating(RelayedOf(r));
      ASSERT_TRUE(stored) << stored.errors().front().id << " " << stored.errors().front().message_en;
      ASSERT_TRUE(*stored) << r.id;
    } else {
      auto contact = contacts.find(r.id);
      batch.push_back(RelayedOf(r, "", contact == contacts.end() ? "" : contact->second));
    }
  }
  auto ingested = store.Ingest("edge-a", batch);
  ASSERT_TRUE(ingested) << ingested.errors().front().message_en;
  for (const auto& result : *ingested) ASSERT_EQ(result.status, IngestStatus::Stored) << result.id << " " << result.reason;
  ClosedLoop loop(store, calendar, CaseLimits{});
  for (const auto& r : records) {
    auto it = FixtureHandling().find(r.id);
    if (it == FixtureHandling().end()) continue;
    for (const Step& s : it->second) {
      const auto action = CaseActionFromWire(s.action);
      ASSERT_TRUE(action) << s.action;
      const Actor who = ActorFor(*action) == CaseActor::Office ? Actor{"office-1", "reviewer", ""}
                                                                : Actor{"handler-" + r.unit, "handler", r.unit};
      CaseFields fields;
      const Json parsed = ParseJson(s.fields).value();  // a local: iterating a temporary's member would dangle
      for (const auto& [k, v] : parsed.items()) fields[k] = v.template get<std::string>();
      auto acted = loop.Act(who, r.project_no, r.assess, s.action, fields, Date::Parse(s.date).value(), 1);
      ASSERT_TRUE(acted) << r.id << " " << s.action << ": " << acted.errors().front().id << " "
                         << acted.errors().front().message_en;
    }
  }
}

inline void LoadFixture(CentralStore& store, const WorkingCalendar& calendar) {
  LoadFixture(store, calendar, [](const RatingRecord&) { return true; });
}

}  // namespace hcp::central::testing
