// The closed loop through real HTTP: a centre on a loopback port over both stores (SQLite file,
// PostgreSQL via HCP_TEST_PG), ratings relayed by a signed ingest exactly as an edge sends them
// (the batch replayed), the centre's clock set to days around 国庆 2026, and access through real
// back-office sessions (POST /api/v1/login; the cookie, and X-CSRF-Token for actions): a handler
// of the rated unit, a handler of another unit, and an office reviewer.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <thread>
#include <tuple>

#include "../edge/edge_test_support.h"
#include "auth.h"
#include "central_server.h"
#include "ticket/ticket.h"
#include "test_database.h"

namespace hcp::edge::testing {
namespace {

constexpr const char* kUnit = "11330100MB0000000X";  // the unit of Claims()
constexpr const char* kOther = "91330100MA0000000Y";  // another unit
constexpr const char* kPassword = "correct horse 1";

int64_t NoonMs(Date d) { return (d.DayNumber() * 86400LL + 4 * 3600) * 1000; }  // 12:00 China time

class ClosedLoopApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = TempDir("centre-closed-loop");
    edge_key_ = GenerateSigningKey();
    now_ms_ = NoonMs(Date(2026, 9, 29));
    Start();
  }
  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }
  void Start() {
    std::string error;
    auto store = central::OpenStore(database_.url(), dir_.string(), error);
    ASSERT_TRUE(store) << error;
    if (!people_added_) {  // the same store again after a restart
      ASSERT_TRUE(store->AddUnit(central::UnitRecord{kUnit, "杭州市市场监督管理局", 0}).value());
      ASSERT_TRUE(store->AddUnit(central::UnitRecord{kOther, "杭州市公安局", 0}).value());
      for (auto [name, role, unit] : {std::tuple{"handler-a", "handler", kUnit}, std::tuple{"handler-b", "handler", kOther},
                                      std::tuple{"office", "reviewer", ""}})
        ASSERT_TRUE(store->AddUser(central::UserRecord{name, role, unit, central::HashPassword(kPassword).value(), false, 0}).value());
      people_added_ = true;
    }
    central::CentralConfig config;
    config.listen_port = 0;
    config.admin_token = "admin-token";
    config.now_ms = [this] { return now_ms_.load(); };
    config.seal = seal_;  // opens evaluators' contacts for the return visit
    config.admin_web_dir = admin_web_;
    centre_ = std::make_unique<central::CentralServer>(config, std::move(store), std::vector<VerifyKey>{edge_key_.pub});
    ASSERT_TRUE(centre_->Bind());
    thread_ = std::thread([this] { centre_->Run(); });
  }
  void Stop() {
    if (centre_) centre_->Stop();
    if (thread_.joinable()) thread_.join();
    centre_.reset();
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", centre_->port());
    c.set_read_timeout(10);
    return c;
  }
  // A signed-in session's headers: the handler of `unit` (kUnit or kOther), or the office for "".
  httplib::Headers As(const std::string& unit = "") {
    const std::string user = unit.empty() ? "office" : unit == kUnit ? "handler-a" : "handler-b";
    auto& session = sessions_[user];
    if (session.empty()) {
      auto res = Client().Post("/api/v1/login", Dump(Json{{"user", user}, {"password", kPassword}}), "application/json");
      EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "no response");
      if (!res || res->status != 200) return {};
      const std::string set = res->get_header_value("Set-Cookie");
      session = {{"Cookie", set.substr(0, set.find(';'))},
                 {"X-CSRF-Token", Json::parse(res->body)["csrf_token"].get<std::string>()}};
    }
    return session;
  }
  // A batch as an edge relays it, signed with the edge's key.
  httplib::Result Relay(const Json& ratings) {
    const std::string body = Dump(Json{{"ratings", ratings}});
    const std::string ts = std::to_string(NowUnix());
    const std::string auth = "HCP-Edge-Ed25519 kid=" + edge_key_.pub.kid + ",ts=" + ts +
                             ",sig=" + SignDetached("hcp-ingest-v1\n" + ts + "\n" + body, edge_key_);
    return Client().Post("/api/v1/ingest", httplib::Headers{{"Authorization", auth}}, body, "application/json");
  }
  static Json Rated(const std::string& id, const std::string& case_id, int satisfaction, const std::string& comment = "") {
    Json rating = {{"satisfaction", satisfaction}, {"reasons", Json::array()}, {"comment", comment}};
    Json claims = Claims(case_id);  // as the edge relays them: verified, with the issuer's key id and version
    claims["v"] = 1;
    claims["kid"] = "0123456789abcdef";
    return Json{{"id", id}, {"claims", claims}, {"rating", rating}, {"satisfaction", satisfaction},
                {"received_at_ms", NowUnix() * 1000}};
  }
  httplib::Result Act(const std::string& case_id, const Json& body, const std::string& unit) {
    return Client().Post("/api/v1/cases/" + case_id + "/1/actions", As(unit), Dump(body), "application/json");
  }
  Json Handling(const std::string& case_id, const std::string& unit = "") {
    auto res = Client().Get("/api/v1/cases/" + case_id + "/1/handling", As(unit));
    EXPECT_TRUE(res);
    if (!res) return Json();
    EXPECT_EQ(res->status, 200) << res->body;
    return Json::parse(res->body, nullptr, false);
  }

  central::testing::TestDatabase database_;
  std::filesystem::path dir_;
  SigningKey edge_key_;
  SealKeyPair seal_ = GenerateSealKeyPair();
  std::atomic<int64_t> now_ms_{0};
  std::unique_ptr<central::CentralServer> centre_;
  std::thread thread_;
  bool people_added_ = false;
  std::string admin_web_;  // the back office's pages, when a test serves them
  std::map<std::string, httplib::Headers> sessions_;  // by user
};

TEST_P(ClosedLoopApiTest, ARelayedBadRatingOpensOneCaseThatRunsTheValidPathToClosed) {
  const Json batch = Json::array({Rated("e-1", "CL-1", 1), Rated("e-2", "CL-2", 5, "办事很快，谢谢")});
  for (int i = 0; i < 2; ++i) {  // the second time: an acknowledgement lost, the batch replayed
    auto res = Relay(batch);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  auto todos = Client().Get(std::string("/api/v1/units/") + kUnit + "/cases", As(kUnit));
  ASSERT_TRUE(todos);
  ASSERT_EQ(todos->status, 200) << todos->body;
  auto list = Json::parse(todos->body);
  ASSERT_EQ(list["cases"].size(), 1u) << todos->body;
  EXPECT_EQ(list["cases"][0]["case"], "CL-1");
  EXPECT_EQ(list["cases"][0]["state"], "pushed");
  EXPECT_EQ(list["cases"][0]["deadline"]["due"], "2026-10-08");  // across 国庆
  EXPECT_EQ(list["cases"][0]["deadline"]["working_days_left"], 2);
  EXPECT_EQ(list["cases"][0]["allowed_now"], Json::array({"return_visit", "appeal"}));
  auto inbox = Client().Get(std::string("/api/v1/units/") + kUnit + "/suggestions", As(kUnit));
  ASSERT_TRUE(inbox);
  EXPECT_EQ(Json::parse(inbox->body)["suggestions"].size(), 1u) << inbox->body;

  now_ms_ = NoonMs(Date(2026, 10, 8));
  auto visit = Act("CL-1", {{"action", "return_visit"}, {"fields", {{"method", "phone"}, {"outcome", "valid"}, {"complex", false}}}}, kUnit);
  ASSERT_TRUE(visit);
  ASSERT_EQ(visit->status, 201) << visit->body;
  auto j = Json::parse(visit->body);
  EXPECT_EQ(j["state"], "rectifying");
  EXPECT_EQ(j["deadline"]["due"], "2026-10-21");
  EXPECT_EQ(j["history"][1]["by"], "handler-a");

  // Not allowed now: the one error shape, the case machine's id.
  auto early = Act("CL-1", {{"action", "confirm"}, {"fields", {{"method", "sms"}}}}, kUnit);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409);
  EXPECT_EQ(FirstErrorId(early), "case.transition_not_allowed");
  auto missing = Act("CL-1", {{"action", "rectify"}, {"fields", Json::object()}}, kUnit);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 422);
  EXPECT_EQ(FirstErrorId(missing), "case.field_required");

  now_ms_ = NoonMs(Date(2026, 10, 20));
  ASSERT_EQ(Act("CL-1", {{"action", "rectify"}, {"fields", {{"result", "已调整窗口排班"}}}}, kUnit)->status, 201);
  auto closed = Act("CL-1", {{"action", "confirm"}, {"fields", {{"method", "sms"}}}}, kUnit);
  ASSERT_EQ(closed->status, 201) << closed->body;
  auto h = Handling("CL-1");
  EXPECT_EQ(h["state"], "closed");
  EXPECT_EQ(h["resolution"], "rectified");
  EXPECT_EQ(h["history"].size(), 4u);
  EXPECT_EQ(h["allowed_now"], Json::array());

  // Every action is in the audit trail (who, when, what, before and after); the refused ones are not.
  auto trail = centre_->store().AuditTrail("case:CL-1/1", 100);
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->size(), 3u);
  const auto& visit_row = (*trail)[0];
  EXPECT_EQ(visit_row.actor, "handler-a");
  EXPECT_EQ(visit_row.role, "handler");
  EXPECT_EQ(visit_row.unit, kUnit);
  EXPECT_EQ(visit_row.action, "case.return_visit");
  EXPECT_EQ(visit_row.at_ms, j["history"][1]["at_ms"].get<int64_t>());
  auto before = Json::parse(visit_row.before_json), after = Json::parse(visit_row.after_json);
  EXPECT_EQ(before["state"], "pushed");
  EXPECT_EQ(before["due"], "2026-10-08");
  EXPECT_EQ(after["state"], "rectifying");
  EXPECT_EQ(after["due"], "2026-10-21");
  EXPECT_EQ(after["fields"]["outcome"], "valid");
  EXPECT_EQ((*trail)[1].action, "case.rectify");
  EXPECT_EQ((*trail)[2].action, "case.confirm");
  EXPECT_EQ(Json::parse((*trail)[2].after_json)["resolution"], "rectified");
}

TEST_P(ClosedLoopApiTest, InvalidPathThroughTheOfficesReview) {
  ASSERT_EQ(Relay(Json::array({Rated("e-1", "CL-3", 2)}))->status, 200);
  now_ms_ = NoonMs(Date(2026, 9, 30));
  ASSERT_EQ(Act("CL-3", {{"action", "return_visit"}, {"fields", {{"method", "in_person"}, {"outcome", "invalid"}}}}, kUnit)->status, 201);
  now_ms_ = NoonMs(Date(2026, 10, 9));
  ASSERT_EQ(Act("CL-3", {{"action", "report"}, {"fields", {{"report", "不属于本单位职责"}}}}, kUnit)->status, 201);
  // The unit cannot review its own report; the office (a reviewer) can.
  auto self = Act("CL-3", {{"action", "review"}, {"fields", {{"decision", "approve"}}}}, kUnit);
  ASSERT_TRUE(self);
  EXPECT_EQ(self->status, 403);
  EXPECT_EQ(FirstErrorId(self), "case.actor_not_allowed");
  EXPECT_EQ(Handling("CL-3")["allowed_now"], Json::array({"review"}));  // what the office may do now
  auto review = Act("CL-3", {{"action", "review"}, {"fields", {{"decision", "approve"}}}}, "");
  ASSERT_TRUE(review);
  ASSERT_EQ(review->status, 201) << review->body;
  EXPECT_EQ(Json::parse(review->body)["resolution"], "invalid");
}

TEST_P(ClosedLoopApiTest, AnotherUnitsHandlerIsRefused) {
  ASSERT_EQ(Relay(Json::array({Rated("e-1", "CL-4", 1)}))->status, 200);
  const std::string other = kOther;
  auto act = Act("CL-4", {{"action", "return_visit"}, {"fields", {{"method", "phone"}, {"outcome", "valid"}}}}, other);
  ASSERT_TRUE(act);
  EXPECT_EQ(act->status, 403);
  EXPECT_EQ(FirstErrorId(act), "auth.forbidden");
  auto see = Client().Get("/api/v1/cases/CL-4/1/handling", As(other));
  ASSERT_TRUE(see);
  EXPECT_EQ(see->status, 403);
  auto list = Client().Get(std::string("/api/v1/units/") + kUnit + "/cases", As(other));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 403);
  auto nobody = Client().Get("/api/v1/cases/CL-4/1/handling");
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->status, 401);
  EXPECT_EQ(FirstErrorId(nobody), "auth.session_required");
  auto token = Client().Get("/api/v1/cases/CL-4/1/handling", {{"Authorization", "Bearer admin-token"}});
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, 401) << "the operator's admin token is no back-office user";
  auto none = Client().Get("/api/v1/cases/NOPE/1/handling", As());
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(FirstErrorId(none), "case.not_found");
  EXPECT_EQ(Handling("CL-4")["history"].size(), 1u);  // the refused action left nothing
}

TEST_P(ClosedLoopApiTest, TheDailyJobEscalatesOverdueCasesAndCountsThemInMetrics) {
  ASSERT_EQ(Relay(Json::array({Rated("e-1", "CL-5", 1)}))->status, 200);
  auto first = centre_->RunDaily(Date(2026, 10, 9));  // the return visit was due 8 Oct
  ASSERT_TRUE(first);
  EXPECT_EQ(first->escalated, 1);
  Stop();
  now_ms_ = NoonMs(Date(2026, 10, 12));
  Start();  // a restart: the same deadline is not escalated again
  auto second = centre_->RunDaily(Date(2026, 10, 12));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->overdue, 1);
  EXPECT_EQ(second->escalated, 0);
  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("hcp_cases_overdue 1"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("hcp_cases_escalated_total 0"), std::string::npos);
  EXPECT_NE(metrics->body.find("hcp_default_ratings_total 0"), std::string::npos);
}

// MoT 第十条: the evaluator's contact is opened only for the return visit, only for a handler of
// the case's unit, on purpose (a POST with the CSRF token), and every opening is logged; the case
// itself shows the rating with the evaluator's name and any phone typed into the comment masked.
TEST_P(ClosedLoopApiTest, TheContactOpensOnlyForTheUnitsHandlerDuringTheReturnVisitAndEachOpeningIsLogged) {
  Json rated = Rated("e-1", "CL-6", 1, "请打13912345678联系我");
  rated["claims"]["evaluator"]["contact"] = SealContact("13800138000", seal_.pub).value();
  rated["rating"]["reasons"] = Json::array({"203"});
  ASSERT_EQ(Relay(Json::array({rated}))->status, 200);

  auto h = Handling("CL-6", kUnit);
  EXPECT_EQ(h["contact_now"], true);
  EXPECT_EQ(h["rating"]["service"]["item_name"], "个体工商户设立登记");
  EXPECT_EQ(h["rating"]["evaluator"]["name"], "张*");
  EXPECT_EQ(h["rating"]["reasons"][0]["code"], "203");
  EXPECT_FALSE(h["rating"]["reasons"][0]["text"].get<std::string>().empty());
  EXPECT_EQ(h["rating"]["comment"], "请打139****5678联系我");
  EXPECT_EQ(Dump(h).find("13800138000"), std::string::npos) << "no contact in clear in the case";
  EXPECT_EQ(Dump(h).find("13912345678"), std::string::npos);
  EXPECT_EQ(Handling("CL-6")["contact_now"], false) << "the office never opens it";

  auto open = [&](const std::string& unit, bool csrf = true) {
    auto headers = As(unit);
    if (!csrf) headers.erase("X-CSRF-Token");
    return Client().Post("/api/v1/cases/CL-6/1/contact", headers, "{}", "application/json");
  };
  for (const std::string who : {std::string(""), std::string(kOther)}) {
    auto refused = open(who);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403) << who << ": " << refused->body;
    EXPECT_EQ(FirstErrorId(refused), "auth.forbidden");
  }
  EXPECT_EQ(FirstErrorId(open(kUnit, false)), "auth.csrf_failed");
  EXPECT_TRUE(centre_->store().ContactAccesses("CL-6", 1).value().empty()) << "refused: nothing opened";

  auto opened = open(kUnit);
  ASSERT_TRUE(opened);
  ASSERT_EQ(opened->status, 200) << opened->body;
  EXPECT_EQ(Json::parse(opened->body)["contact"], "13800138000");
  auto log = centre_->store().ContactAccesses("CL-6", 1);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].actor, "handler-a");
  EXPECT_EQ((*log)[0].purpose, "return_visit");
  auto trail = centre_->store().AuditTrail("case:CL-6/1", 10).value();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].action, "contact.open");
  EXPECT_EQ(trail[0].after_json.find("13800138000"), std::string::npos) << "the audit never holds the contact";

  // After the return visit the contact is closed again.
  ASSERT_EQ(Act("CL-6", {{"action", "return_visit"}, {"fields", {{"method", "phone"}, {"outcome", "valid"}}}}, kUnit)->status, 201);
  EXPECT_EQ(Handling("CL-6", kUnit)["contact_now"], false);
  auto late = open(kUnit);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 403) << late->body;
  EXPECT_EQ(centre_->store().ContactAccesses("CL-6", 1).value().size(), 1u);
}

// The office's queues and the search: the report awaiting review is in the review queue, the
// pending appeal in the appeals, the overdue case in the overdue list; filters by state and day.
TEST_P(ClosedLoopApiTest, TheOfficesQueuesAndTheSearch) {
  ASSERT_EQ(Relay(Json::array({Rated("e-1", "CL-7", 1), Rated("e-2", "CL-8", 2), Rated("e-3", "CL-9", 1)}))->status, 200);
  now_ms_ = NoonMs(Date(2026, 9, 30));
  ASSERT_EQ(Act("CL-7", {{"action", "return_visit"}, {"fields", {{"method", "phone"}, {"outcome", "invalid"}}}}, kUnit)->status, 201);
  ASSERT_EQ(Act("CL-7", {{"action", "report"}, {"fields", {{"report", "不属实"}}}}, kUnit)->status, 201);
  ASSERT_EQ(Act("CL-8", {{"action", "appeal"}, {"fields", {{"reason", "恶意评价"}}}}, kUnit)->status, 201);
  now_ms_ = NoonMs(Date(2026, 10, 9));  // CL-8 and CL-9's return visits were due 8 Oct
  auto list = [&](const std::string& path, const std::string& unit = "") {
    auto res = Client().Get(path, As(unit));
    EXPECT_TRUE(res);
    if (!res) return std::vector<std::string>{};
    EXPECT_EQ(res->status, 200) << path << ": " << res->body;
    std::vector<std::string> ids;
    const Json body = Json::parse(res->body);  // kept: the loop walks a member of it
    for (const auto& c : body["cases"]) ids.push_back(c["case"].get<std::string>());
    return ids;
  };
  EXPECT_EQ(list("/api/v1/office/reviews"), std::vector<std::string>{"CL-7"});
  EXPECT_EQ(list("/api/v1/office/appeals"), std::vector<std::string>{"CL-8"});
  EXPECT_EQ(list("/api/v1/office/overdue"), (std::vector<std::string>{"CL-8", "CL-9"}));
  EXPECT_EQ(list("/api/v1/handling?state=under_review"), std::vector<std::string>{"CL-7"});
  EXPECT_EQ(list("/api/v1/handling?overdue=true", kUnit), (std::vector<std::string>{"CL-8", "CL-9"}));
  EXPECT_EQ(list(std::string("/api/v1/handling?unit=") + kUnit + "&from=2026-09-29&to=2026-09-29").size(), 3u);
  EXPECT_TRUE(list("/api/v1/handling?from=2026-09-30").empty());
  EXPECT_EQ(list("/api/v1/handling?q=CL-9"), std::vector<std::string>{"CL-9"});
  auto handler = Client().Get("/api/v1/office/reviews", As(kUnit));
  ASSERT_TRUE(handler);
  EXPECT_EQ(handler->status, 403) << "the queues are the office's";
  auto bad = Client().Get("/api/v1/handling?state=nonsense&from=2026-13-01&colour=red", As());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_EQ(Json::parse(bad->body)["errors"].size(), 3u) << bad->body;
}

// The back office's pages at /admin/: index.html for /admin/, only plain names of the folder and
// only the page types (html, js, css, svg, png), with a CSP that allows nothing from elsewhere.
TEST_P(ClosedLoopApiTest, TheBackOfficePagesAreServedWithAStrictPolicyAndNothingElse) {
  // Served once before stopping: a stop that comes before the server thread listens is lost.
  ASSERT_TRUE(Client().Get("/healthz"));
  Stop();
  const auto web = dir_ / "admin-web";
  std::filesystem::create_directories(web);
  std::ofstream(web / "index.html") << "<!doctype html><title>后台</title>";
  std::ofstream(web / "admin.js") << "'use strict';";
  std::ofstream(web / "notes.txt") << "not a page";
  std::ofstream(web / ".secret.html") << "hidden";
  std::ofstream(dir_ / "outside.html") << "outside";
  admin_web_ = web.string();
  Start();
  auto index = Client().Get("/admin/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("后台"), std::string::npos);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(Client().Get("/admin/admin.js")->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
  for (const char* path : {"/admin/notes.txt", "/admin/.secret.html", "/admin/..%2Foutside.html", "/admin/../outside.html",
                           "/admin/nothing.html"}) {
    auto res = Client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("outside"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("hidden"), std::string::npos) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, ClosedLoopApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace hcp::edge::testing
