// The back office's reports and samples through a real centre on a loopback port, with real
// sessions, on both stores: the centre's own monthly job makes March's report on April's first
// working day (once, across a restart) and serves it in three formats; only the office draws a
// sample; a handler sees its own unit's survey tasks and opens the contact of one of them, the
// opening audited and logged, while another unit's handler, the office and the auditor cannot.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "auth.h"
#include "central_server.h"
#include "centre_on_port.h"
#include "report_store_fixture.h"
#include "test_database.h"
#include "ticket/keys.h"
#include "ticket/ticket.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;
using hcp::testing::D;

using testing::CookieValue;
using testing::FirstError;
using testing::Signed;

class ReportApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = fs::temp_directory_path() / ("hcp-report-api-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    seal_ = GenerateSealKeyPair();
    auto cal = WorkingCalendar::Embedded();
    ASSERT_TRUE(cal);
    calendar_ = std::move(cal).value();
  }
  void TearDown() override {
    Stop();
    fs::remove_all(dir_);
  }
  std::unique_ptr<CentralStore> Open() {
    std::string error;
    auto store = OpenStore(database_.url(), dir_.string(), error);
    EXPECT_TRUE(store) << error;
    return store;
  }
  // The fixture's ratings, each evaluator's phone sealed into the claims as an edge relays them,
  // and the people: U1's handler alice, U2's handler bob, reviewer olga, auditor carol.
  void Load(const std::map<std::string, std::string>& contacts = {}) {
    auto store = Open();
    ASSERT_TRUE(store);
    for (auto [code, name] : {std::pair{"U1", "市市场监管局"}, std::pair{"U2", "市公安局"}, std::pair{"U3", "市人社局"}})
      ASSERT_TRUE(store->AddUnit(UnitRecord{code, name, 0}).value());
    for (auto [name, role, unit] : {std::tuple{"alice", "handler", "U1"}, std::tuple{"bob", "handler", "U2"},
                                    std::tuple{"olga", "reviewer", ""}, std::tuple{"carol", "auditor", ""}})
      ASSERT_TRUE(store->AddUser(UserRecord{name, role, unit, HashPassword(kPassword).value(), false, 0}).value());
    ASSERT_NO_FATAL_FAILURE(testing::LoadFixture(*store, calendar_, [](const RatingRecord&) { return true; }, false, contacts));
  }
  void Start() {
    CentralConfig config;
    config.admin_token = "admin";
    config.seal = seal_;
    config.auth.cookie_secure = false;
    config.report_options.min_sample = 5;
    config.now_ms = [] { return DayStartMs(D("2026-04-01")) + 9 * 3600 * 1000; };
    ASSERT_TRUE(centre_.Start(config, Open()));
  }
  void Stop() { centre_.Stop(); }
  httplib::Client Client() { return centre_.Client(); }
  Signed SignIn(const std::string& user) { return centre_.SignIn(user, kPassword); }
  httplib::Result Get(const Signed& who, const std::string& path) { return centre_.Get(who, path); }
  httplib::Result Post(const Signed& who, const std::string& path, const std::string& body) {
    return centre_.Post(who, path, body);
  }

  static constexpr const char* kPassword = "correct horse 1";
  testing::TestDatabase database_;
  fs::path dir_;
  SealKeyPair seal_;
  WorkingCalendar calendar_;
  testing::CentreOnPort centre_;
};

TEST_P(ReportApiTest, TheCentreMakesMarchsReportOnAprilsFirstWorkingDayAndServesIt) {
  ASSERT_NO_FATAL_FAILURE(Load());
  ASSERT_NO_FATAL_FAILURE(Start());
  const Signed carol = SignIn("carol");
  auto none = Get(carol, "/api/v1/reports/monthly/2026-03");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(FirstError(none), "report.not_found");
  ASSERT_TRUE(centre_.server().RunDaily(D("2026-04-01")));
  // A restart and the job again: still one report, the first one.
  Stop();
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_TRUE(centre_.server().RunDaily(D("2026-04-02")));
  const Signed alice = SignIn("alice");
  auto list = Get(alice, "/api/v1/reports");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200) << list->body;
  const Json reports = Json::parse(list->body)["reports"];
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0]["period"], "2026-03");
  EXPECT_EQ(reports[0]["as_of"], "2026-04-01");
  auto json = Get(alice, "/api/v1/reports/monthly/2026-03");  // a handler reads the whole 通报
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200);
  const Json j = Json::parse(json->body);
  EXPECT_EQ(j["total"]["ratings"], 19);
  EXPECT_EQ(j["total"]["good_rate"]["display"], "73.7%");
  EXPECT_EQ(j["units"].size(), 3u);
  auto csv = Get(carol, "/api/v1/reports/monthly/2026-03?format=csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->body.find("合计,,合计,19,2,14,5,73.7%,70.6%"), std::string::npos) << csv->body.substr(0, 400);
  auto html = Get(carol, "/api/v1/reports/monthly/2026-03?format=html");
  ASSERT_TRUE(html);
  EXPECT_NE(html->body.find("<svg"), std::string::npos);
  EXPECT_EQ(html->get_header_value("Content-Security-Policy").rfind("default-src 'none'; style-src 'unsafe-inline';", 0), 0u)
      << "opened in a tab of the back office's origin: no script may run in it";
  auto bad = Get(carol, "/api/v1/reports/monthly/2026-03?format=pdf");
  ASSERT_TRUE(bad);
  EXPECT_EQ(FirstError(bad), "report.format_unknown");
  auto anonymous = Client().Get("/api/v1/reports");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
}

TEST_P(ReportApiTest, OnlyTheOfficeDrawsAndOnlyTheUnitsHandlerOpensAContactLogged) {
  // r6's evaluator left a phone, sealed to the centre's key as the ticket carried it.
  auto sealed = SealContact("13812345678", seal_.pub);
  ASSERT_TRUE(sealed);
  ASSERT_NO_FATAL_FAILURE(Load({{"r6", *sealed}}));
  ASSERT_NO_FATAL_FAILURE(Start());
  const Signed alice = SignIn("alice"), bob = SignIn("bob"), olga = SignIn("olga"), carol = SignIn("carol");
  const std::string body = R"({"month":"2026-03","size":17,"seed":"99"})";
  auto by_handler = Post(alice, "/api/v1/samples", body);
  ASSERT_TRUE(by_handler);
  EXPECT_EQ(by_handler->status, 403);
  auto bad = Post(olga, "/api/v1/samples", R"({"month":"2026-3","size":0,"seed":"x","colour":1})");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 422);
  EXPECT_EQ(Json::parse(bad->body)["errors"].size(), 4u) << bad->body;
  auto drawn = Post(olga, "/api/v1/samples", body);
  ASSERT_TRUE(drawn);
  ASSERT_EQ(drawn->status, 201) << drawn->body;
  const Json sample = Json::parse(drawn->body);
  EXPECT_EQ(sample["population"], 17);
  EXPECT_EQ(sample["tasks"].size(), 17u);  // everyone
  auto again = Post(olga, "/api/v1/samples", body);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(Json::parse(again->body)["tasks"], sample["tasks"]);
  auto conflict = Post(olga, "/api/v1/samples", R"({"month":"2026-03","size":3,"seed":"99"})");
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->status, 409);
  EXPECT_EQ(FirstError(conflict), "sampling.conflict");

  // alice (U1) sees U1's tasks only; the office sees all.
  auto mine = Get(alice, "/api/v1/samples/2026-03/99");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->status, 200);
  const Json tasks = Json::parse(mine->body)["tasks"];
  ASSERT_EQ(tasks.size(), 7u);  // r1..r3, r5..r8: U1's evaluators in March but the default r4
  for (const auto& t : tasks) EXPECT_EQ(t["unit"], "U1");
  EXPECT_EQ(Json::parse(Get(olga, "/api/v1/samples/2026-03/99")->body)["tasks"].size(), 17u);

  int position = 0;
  for (const auto& t : sample["tasks"])
    if (t["rating"] == "r6") position = t["position"].get<int>();
  ASSERT_GT(position, 0);
  const std::string contact_path = "/api/v1/samples/2026-03/99/tasks/" + std::to_string(position) + "/contact";
  for (const Signed* who : {&bob, &olga, &carol}) {
    auto refused = Post(*who, contact_path, "{}");
    ASSERT_TRUE(refused);
    EXPECT_TRUE(refused->status == 403 || refused->status == 404) << refused->status << " " << refused->body;
    EXPECT_EQ(refused->body.find("138"), std::string::npos);
  }
  auto no_csrf = Client().Post(contact_path, {{"Cookie", alice.cookie}}, "{}", "application/json");
  ASSERT_TRUE(no_csrf);
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(centre_.store().ContactAccesses("BJr6", 1).value().size(), 0u) << "nothing opened so far";
  auto opened = Post(alice, contact_path, "{}");
  ASSERT_TRUE(opened);
  ASSERT_EQ(opened->status, 200) << opened->body;
  EXPECT_EQ(Json::parse(opened->body)["contact"], "13812345678");
  const auto accesses = centre_.store().ContactAccesses("BJr6", 1).value();
  ASSERT_EQ(accesses.size(), 1u);
  EXPECT_EQ(accesses[0].purpose, "survey");
  EXPECT_EQ(accesses[0].actor, "alice");
  const auto trail = centre_.store().AuditTrail("sample:2026-03/99/" + std::to_string(position), 10).value();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].action, "contact.open");
  EXPECT_EQ(trail[0].actor, "alice");
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
