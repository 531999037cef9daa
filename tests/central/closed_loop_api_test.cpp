// The closed loop through real HTTP: a centre on a loopback port over both stores (SQLite file,
// PostgreSQL via HCP_TEST_PG), ratings relayed by a signed ingest exactly as an edge sends them
// (the batch replayed), the centre's clock set to days around 国庆 2026, and access through the
// admin-token placeholder of access.h (an admin is the office; with X-HCP-Unit a unit's handler).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "../edge/edge_test_support.h"
#include "central_server.h"
#include "test_database.h"

namespace hcp::edge::testing {
namespace {

constexpr const char* kUnit = "11330100MB0000000X";  // the unit of Claims()
constexpr const char* kToken = "admin-token";

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
    central::CentralConfig config;
    config.listen_port = 0;
    config.admin_token = kToken;
    config.now_ms = [this] { return now_ms_.load(); };
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
  httplib::Headers As(const std::string& unit = "") {
    httplib::Headers h{{"Authorization", std::string("Bearer ") + kToken}};
    if (!unit.empty()) h.emplace("X-HCP-Unit", unit);
    return h;
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
  std::atomic<int64_t> now_ms_{0};
  std::unique_ptr<central::CentralServer> centre_;
  std::thread thread_;
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
  EXPECT_EQ(j["history"][1]["by"], std::string("admin@") + kUnit);

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
}

TEST_P(ClosedLoopApiTest, InvalidPathThroughTheOfficesReview) {
  ASSERT_EQ(Relay(Json::array({Rated("e-1", "CL-3", 2)}))->status, 200);
  now_ms_ = NoonMs(Date(2026, 9, 30));
  ASSERT_EQ(Act("CL-3", {{"action", "return_visit"}, {"fields", {{"method", "in_person"}, {"outcome", "invalid"}}}}, kUnit)->status, 201);
  now_ms_ = NoonMs(Date(2026, 10, 9));
  ASSERT_EQ(Act("CL-3", {{"action", "report"}, {"fields", {{"report", "不属于本单位职责"}}}}, kUnit)->status, 201);
  // The unit cannot review its own report; the office (the admin, no X-HCP-Unit) can.
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
  const std::string other = "91330100MA0000000Y";
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
  EXPECT_EQ(FirstErrorId(nobody), "auth.required");
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

INSTANTIATE_TEST_SUITE_P(Stores, ClosedLoopApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace hcp::edge::testing
