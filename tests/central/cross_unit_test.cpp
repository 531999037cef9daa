// The cross-unit rule of issue 6 through the closed loop's real endpoints, with the actor from a
// real session: a handler of unit A gets nothing of unit B's case, on both stores.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "auth.h"
#include "central_server.h"
#include "centre_on_port.h"
#include "closed_loop.h"
#include "closed_loop_api.h"
#include "hcp/calendar.h"
#include "hcp/wire.h"
#include "test_database.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;

using testing::CookieValue;
using testing::FirstError;
using testing::Signed;

class CrossUnitTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = fs::temp_directory_path() / ("hcp-cross-unit-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    Stop();
    fs::remove_all(dir_);
  }
  // A centre with units U-A and U-B, handler alice (U-A), handler bob (U-B), auditor carol.
  void Start(AuthApiConfig auth = {}) {
    std::string error;
    auto store = OpenStore(database_.url(), dir_.string(), error);
    ASSERT_TRUE(store) << error;
    ASSERT_TRUE(store->AddUnit(UnitRecord{"U-A", "甲", 0}).value());
    ASSERT_TRUE(store->AddUnit(UnitRecord{"U-B", "乙", 0}).value());
    for (auto [name, role, unit] : {std::tuple{"alice", "handler", "U-A"}, std::tuple{"bob", "handler", "U-B"},
                                    std::tuple{"carol", "auditor", ""}})
      ASSERT_TRUE(store->AddUser(UserRecord{name, role, unit, HashPassword(kPassword).value(), false, 0}).value());
    CentralConfig config;
    config.admin_token = "admin";
    config.auth = auth;
    ASSERT_TRUE(centre_.Start(config, std::move(store)));
  }
  void Stop() { centre_.Stop(); }
  httplib::Client Client() { return centre_.Client(); }
  httplib::Result Login(const std::string& user, const std::string& password) { return centre_.Login(user, password); }
  Signed SignIn(const std::string& user) { return centre_.SignIn(user, kPassword); }

  static constexpr const char* kPassword = "correct horse 1";
  testing::TestDatabase database_;
  fs::path dir_;
  testing::CentreOnPort centre_;
};

// The cross-unit rule through every closed-loop endpoint of the centre, with the actor from a
// real session (the centre resolves every back-office request through AuthApi::Resolver()).
// alice (handler of U-A) may neither read nor act on U-B's case; bob (U-B) may; carol (auditor)
// reads and never acts. Nothing alice tried reached the store.
TEST_P(CrossUnitTest, AHandlerOfUnitACanNeitherReadNorActOnUnitBsCaseThroughAnyEndpoint) {
  ASSERT_NO_FATAL_FAILURE(Start());
  auto& store = centre_.store();
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<RelayedRating> batch;
  for (auto [id, unit] : {std::pair{"C-A-1", "U-A"}, std::pair{"C-B-1", "U-B"}}) {
    RelayedRating r;
    r.id = std::string("r-") + id;
    r.case_id = id;
    r.kid = "issuer";
    r.claims_json = "{}";
    r.rating_json = R"({"satisfaction":1,"reasons":["201"],"comment":"等了很久"})";
    r.satisfaction = 1;  // 非常不满意 (deployed codes): a bad rating opens a case at ingest
    r.received_at_ms = now;
    r.unit = unit;
    r.unit_name = unit;
    r.channel = "pc";
    batch.push_back(r);
  }
  auto ingested = store.Ingest("edge-1", batch);
  ASSERT_TRUE(ingested) << ingested.errors()[0].message_en;
  ASSERT_TRUE(store.FindHandlingCase("C-B-1", 1).value().has_value()) << "the bad rating opened no case";
  const size_t events_before = (*store.FindHandlingCase("C-B-1", 1).value()).events.size();

  httplib::Client client = Client();
  const Signed alice = SignIn("alice"), bob = SignIn("bob"), carol = SignIn("carol");
  const std::string action = Dump(Json{{"action", "return_visit"}, {"fields", {{"method", "phone"}, {"outcome", "valid"}}}});
  auto get = [&](const Signed& who, const std::string& path) { return client.Get(path, {{"Cookie", who.cookie}}); };
  auto act = [&](const Signed& who, const std::string& case_path) {
    return client.Post(case_path + "/actions", {{"Cookie", who.cookie}, {"X-CSRF-Token", who.csrf}}, action,
                       "application/json");
  };

  for (const std::string path : {"/api/v1/units/U-B/cases", "/api/v1/units/U-B/suggestions",
                                 "/api/v1/cases/C-B-1/1/handling"}) {
    auto res = get(alice, path);
    ASSERT_TRUE(res) << path;
    EXPECT_TRUE(res->status == 403 || res->status == 404) << path << " " << res->status << " " << res->body;
    EXPECT_EQ(res->body.find("等了很久"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("C-B-1\""), std::string::npos) << path;
    auto own = get(bob, path);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->status, 200) << "bob, " << path << ": " << own->body;
    EXPECT_EQ(get(carol, path)->status, 200) << "the auditor reads " << path;
  }
  // The search and the office's queues: another unit's filter is refused, the office's queues are
  // the office's, and alice's own search never lists U-B's case.
  for (const std::string path : {"/api/v1/handling?unit=U-B", "/api/v1/office/reviews", "/api/v1/office/appeals",
                                 "/api/v1/office/overdue"}) {
    auto res = get(alice, path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 403) << path << " " << res->body;
    EXPECT_EQ(res->body.find("C-B-1"), std::string::npos) << path;
    EXPECT_EQ(get(carol, path)->status, 200) << "the auditor reads " << path;
  }
  for (const std::string path : {"/api/v1/handling", "/api/v1/handling?state=open", "/api/v1/handling?q=C-"}) {
    auto res = get(alice, path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << " " << res->body;
    EXPECT_NE(res->body.find("C-A-1"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("C-B-1"), std::string::npos) << path << ": U-B's case is not in alice's search";
  }
  EXPECT_NE(get(carol, "/api/v1/handling")->body.find("C-B-1"), std::string::npos) << "the auditor searches every unit";
  // The evaluator's contact of U-B's case: never for alice, never for the auditor.
  for (const Signed* who : {&alice, &carol}) {
    auto res = client.Post("/api/v1/cases/C-B-1/1/contact", {{"Cookie", who->cookie}, {"X-CSRF-Token", who->csrf}}, "{}",
                           "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << res->body;
    EXPECT_EQ(FirstError(res), "auth.forbidden");
  }
  auto listed = get(alice, "/api/v1/units/U-A/cases");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_NE(listed->body.find("C-A-1"), std::string::npos);
  EXPECT_EQ(listed->body.find("C-B-1"), std::string::npos) << "U-B's case is not in U-A's list";

  auto tried = act(alice, "/api/v1/cases/C-B-1/1");
  ASSERT_TRUE(tried);
  EXPECT_TRUE(tried->status == 403 || tried->status == 404) << tried->status << " " << tried->body;
  auto audited = act(carol, "/api/v1/cases/C-B-1/1");
  ASSERT_TRUE(audited);
  EXPECT_EQ(audited->status, 403) << "an auditor never acts: " << audited->body;
  EXPECT_EQ(FirstError(audited), "auth.forbidden");
  auto no_csrf = client.Post("/api/v1/cases/C-A-1/1/actions", {{"Cookie", alice.cookie}}, action, "application/json");
  EXPECT_EQ(FirstError(no_csrf), "auth.csrf_failed") << "even on her own unit's case";
  EXPECT_EQ((*store.FindHandlingCase("C-B-1", 1).value()).events.size(), events_before) << "nothing reached U-B's case";
  EXPECT_TRUE(store.ContactAccesses("C-B-1", 1).value().empty()) << "no contact of U-B's case was opened";
  EXPECT_TRUE(store.AuditTrail("case:C-B-1/1", 100).value().empty()) << "nothing was done to U-B's case";
  auto own_act = act(alice, "/api/v1/cases/C-A-1/1");
  ASSERT_TRUE(own_act);
  EXPECT_EQ(own_act->status, 201) << "alice acts on her own unit's case: " << own_act->body;
}

INSTANTIATE_TEST_SUITE_P(Stores, CrossUnitTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
