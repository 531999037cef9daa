// Back-office sign-in through real HTTP (issue 6 part B): a centre on a loopback port over both
// stores; login, the session cookie's flags, /me, CSRF on unsafe methods, login rate limits,
// session expiry, the audit rows, and the cross-unit rule as the closed loop's endpoints see it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "auth.h"
#include "central_server.h"
#include "centre_on_port.h"
#include "hcp/wire.h"
#include "test_database.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;

using testing::CookieValue;
using testing::FirstError;
using testing::Signed;

class AuthApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = fs::temp_directory_path() / ("hcp-auth-api-" + std::to_string(::getpid()) + "-" +
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

TEST_P(AuthApiTest, LoginSetsAStrictHttpOnlySecureCookieAndMeAnswersWhoItIs) {
  ASSERT_NO_FATAL_FAILURE(Start());
  auto res = Login("alice", kPassword);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("hcp_session=", 0), 0u) << cookie;
  for (const char* flag : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Secure", "; Max-Age=28800"})
    EXPECT_NE(cookie.find(flag), std::string::npos) << flag << " missing in " << cookie;
  auto body = Json::parse(res->body);
  EXPECT_EQ(body["user"], "alice");
  EXPECT_EQ(body["role"], "handler");
  EXPECT_EQ(body["unit"], "U-A");
  EXPECT_EQ(body["unit_name"], "甲") << "the header shows the unit's name";
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 43u);
  EXPECT_EQ(res->body.find(CookieValue(cookie)), std::string::npos) << "the session token is only in the cookie";

  auto me = Client().Get("/api/v1/me", {{"Cookie", "theme=dark; hcp_session=" + CookieValue(cookie)}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(Json::parse(me->body)["user"], "alice");
  EXPECT_EQ(Json::parse(me->body)["csrf_token"], body["csrf_token"]);
  EXPECT_EQ(Json::parse(me->body)["unit_name"], "甲");
  auto carol = SignIn("carol");
  auto office = Client().Get("/api/v1/me", {{"Cookie", carol.cookie}});
  ASSERT_TRUE(office);
  EXPECT_EQ(Json::parse(office->body)["unit_name"], "") << "no unit, no name";

  auto anonymous = Client().Get("/api/v1/me");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(FirstError(anonymous), "auth.session_required");
  auto forged = Client().Get("/api/v1/me", {{"Cookie", "hcp_session=" + std::string(43, 'A')}});
  EXPECT_EQ(FirstError(forged), "auth.session_required");
}

TEST_P(AuthApiTest, AWrongPasswordAndAnUnknownUserGetTheSame401) {
  ASSERT_NO_FATAL_FAILURE(Start());
  auto wrong = Login("alice", "wrong horse 1");
  auto unknown = Login("zed", kPassword);
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(FirstError(wrong), "auth.login_failed");
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_EQ(wrong->get_header_value("Set-Cookie"), "");
  auto malformed = Client().Post("/api/v1/login", R"({"user": "alice"})", "application/json");
  ASSERT_TRUE(malformed);
  EXPECT_EQ(malformed->status, 422);
}

TEST_P(AuthApiTest, TooManyAttemptsOnOneNameAreRefusedWithRetryAfterEvenWithTheRightPassword) {
  AuthApiConfig config;
  config.login_rate_per_user_burst = 3;
  ASSERT_NO_FATAL_FAILURE(Start(config));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(FirstError(Login("alice", "guess " + std::to_string(i))), "auth.login_failed");
  auto locked = Login("alice", kPassword);
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_EQ(FirstError(locked), "request.rate_limited");
  EXPECT_GE(std::stoi(locked->get_header_value("Retry-After")), 1);
  // Another account from the same address is not locked by alice's attempts.
  auto other = Login("bob", kPassword);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200) << other->body;
}

TEST_P(AuthApiTest, TooManyAttemptsFromOneAddressAreRefused) {
  AuthApiConfig config;
  config.login_rate_per_address_burst = 2;
  ASSERT_NO_FATAL_FAILURE(Start(config));
  EXPECT_EQ(FirstError(Login("u1", "x")), "auth.login_failed");
  EXPECT_EQ(FirstError(Login("u2", "x")), "auth.login_failed");
  EXPECT_EQ(FirstError(Login("alice", kPassword)), "request.rate_limited");
}

TEST_P(AuthApiTest, UnsafeMethodsNeedTheSessionsCsrfToken) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const Signed alice = SignIn("alice");
  const Signed bob = SignIn("bob");
  auto none = Client().Post("/api/v1/logout", {{"Cookie", alice.cookie}}, "", "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 403);
  EXPECT_EQ(FirstError(none), "auth.csrf_failed");
  auto others = Client().Post("/api/v1/logout", {{"Cookie", alice.cookie}, {"X-CSRF-Token", bob.csrf}}, "",
                              "application/json");
  EXPECT_EQ(FirstError(others), "auth.csrf_failed") << "another session's token does not do";
  EXPECT_EQ(Client().Get("/api/v1/me", {{"Cookie", alice.cookie}})->status, 200) << "still signed in";

  auto out = Client().Post("/api/v1/logout", {{"Cookie", alice.cookie}, {"X-CSRF-Token", alice.csrf}}, "",
                           "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 204) << out->body;
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Client().Get("/api/v1/me", {{"Cookie", alice.cookie}})->status, 401);
  EXPECT_EQ(Client().Get("/api/v1/me", {{"Cookie", bob.cookie}})->status, 200);
}

TEST_P(AuthApiTest, ASessionEndsAtItsExpiryAndPlainHttpModeDropsSecure) {
  // Exact expiry is tested with the clock as a parameter (people_test.cpp); here the real clock,
  // with room for a loaded machine.
  AuthApiConfig config;
  config.auth.session_seconds = 4;
  config.cookie_secure = false;
  ASSERT_NO_FATAL_FAILURE(Start(config));
  const auto before = std::chrono::steady_clock::now();
  auto res = Login("alice", kPassword);
  ASSERT_TRUE(res && res->status == 200);
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=4"), std::string::npos) << cookie;
  const std::string session = "hcp_session=" + CookieValue(cookie);
  if (std::chrono::steady_clock::now() - before < std::chrono::seconds(3)) {
    EXPECT_EQ(Client().Get("/api/v1/me", {{"Cookie", session}})->status, 200);
  }
  std::this_thread::sleep_until(before + std::chrono::milliseconds(4200));
  auto late = Client().Get("/api/v1/me", {{"Cookie", session}});
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 401);
  EXPECT_EQ(FirstError(late), "auth.session_required");
}

TEST_P(AuthApiTest, SignInsFailuresOnAccountsAndSignOutsAreAudited) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const Signed alice = SignIn("alice");
  Login("alice", "wrong horse 1");
  Login("not-an-account", "whatever 123");
  Client().Post("/api/v1/logout", {{"Cookie", alice.cookie}, {"X-CSRF-Token", alice.csrf}}, "", "application/json");
  auto trail = centre_.store().AuditTrail("user:alice", 100).value();
  ASSERT_EQ(trail.size(), 3u);
  EXPECT_EQ(trail[0].action, "login");
  EXPECT_EQ(trail[0].actor, "alice");
  EXPECT_EQ(trail[0].unit, "U-A");
  EXPECT_EQ(trail[1].action, "login_failed");
  EXPECT_EQ(trail[2].action, "logout");
  EXPECT_TRUE(centre_.store().AuditTrail("user:not-an-account", 100).value().empty());
  const auto everything = centre_.store().AuditTrail("", 100);  // kept alive: the loop must not outlive it
  ASSERT_TRUE(everything.ok());
  for (const auto& e : everything.value()) {
    EXPECT_EQ((e.before_json + e.after_json).find("horse"), std::string::npos) << "no password in the trail";
    EXPECT_EQ((e.before_json + e.after_json).find(alice.csrf), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AuthApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
