// People and access (issue 6 part B) over both stores: units and users, all-or-nothing import,
// sign-in and sessions (Auth, with the clock as a parameter), and the audit trail that neither
// the code nor the database lets anyone change.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "access.h"
#include "audit.h"
#include "auth.h"
#include "central_store.h"
#include "people_csv.h"
#include "test_database.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;

class PeopleTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = fs::temp_directory_path() / ("hcp-people-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    std::string error;
    store_ = OpenStore(database_.url(), dir_.string(), error);
    ASSERT_TRUE(store_) << error;
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void AddUser(const std::string& name, const std::string& role, const std::string& unit, const std::string& password) {
    auto hash = HashPassword(password);
    ASSERT_TRUE(hash);
    auto added = store_->AddUser(UserRecord{name, role, unit, *hash, false, 0});
    ASSERT_TRUE(added) << added.errors()[0].message_en;
    ASSERT_TRUE(*added);
  }
  // Runs `sql` straight on the database (bypassing the store): "" or the database's error.
  std::string RawExec(const std::string& sql) {
    if (GetParam() == "postgresql") {
      const std::string out = database_.Value(sql + " RETURNING 1");
      return out.rfind("ERROR: ", 0) == 0 ? out : "";
    }
    sqlite3* db = nullptr;
    sqlite3_open((dir_ / "central.db").c_str(), &db);
    char* err = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string out = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return out;
  }

  testing::TestDatabase database_;
  fs::path dir_;
  std::unique_ptr<CentralStore> store_;
};

constexpr int64_t kT0 = 1'790'000'000'000;  // a fixed "now" in milliseconds

TEST_P(PeopleTest, UnitsAndUsersAreStoredOnceAndAHandlerNeedsAnExistingUnit) {
  ASSERT_TRUE(store_->AddUnit(UnitRecord{"U-A", "甲单位", 0}).value());
  EXPECT_FALSE(store_->AddUnit(UnitRecord{"U-A", "again", 0}).value()) << "a taken code answers false";
  EXPECT_EQ(store_->FindUnit("U-A").value()->name, "甲单位");
  EXPECT_FALSE(store_->FindUnit("U-X").value().has_value());
  AddUser("alice", "handler", "U-A", "correct horse 1");
  auto alice = store_->FindUser("alice").value();
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->role, "handler");
  EXPECT_EQ(alice->unit, "U-A");
  EXPECT_EQ(alice->password_hash.rfind("$argon2id$", 0), 0u) << alice->password_hash;
  EXPECT_FALSE(alice->disabled);
  EXPECT_FALSE(store_->AddUser(UserRecord{"alice", "admin", "", "x", false, 0}).value());
  // The schema refuses what the CLI refuses too: a handler without a unit, a unit that does not
  // exist, an unknown role.
  EXPECT_FALSE(store_->AddUser(UserRecord{"h1", "handler", "", "x", false, 0}).ok());
  EXPECT_FALSE(store_->AddUser(UserRecord{"h2", "handler", "U-X", "x", false, 0}).ok());
  EXPECT_FALSE(store_->AddUser(UserRecord{"h3", "boss", "", "x", false, 0}).ok());
  EXPECT_FALSE(store_->FindUser("h1").value().has_value());
}

TEST_P(PeopleTest, ImportIsAllOrNothing) {
  ASSERT_TRUE(store_->AddUser(UserRecord{"taken", "admin", "", "x", false, 0}).value());
  auto failed = store_->ImportPeople({UnitRecord{"U-1", "一", 0}, UnitRecord{"U-2", "二", 0}},
                                     {UserRecord{"new", "handler", "U-1", "x", false, 0},
                                      UserRecord{"taken", "reviewer", "", "x", false, 0}});
  EXPECT_FALSE(failed.ok()) << "a taken name fails the import";
  EXPECT_FALSE(store_->FindUnit("U-1").value().has_value()) << "nothing of a failed import stays";
  EXPECT_FALSE(store_->FindUser("new").value().has_value());
  auto ok = store_->ImportPeople({UnitRecord{"U-1", "一", 0}}, {UserRecord{"new", "handler", "U-1", "x", false, 0}});
  ASSERT_TRUE(ok.ok()) << ok.errors()[0].message_en;
  EXPECT_TRUE(store_->FindUnit("U-1").value().has_value());
  EXPECT_EQ(store_->FindUser("new").value()->unit, "U-1");
}

TEST_P(PeopleTest, LoginAcceptsTheRightPasswordAndAnswersTheSameForEveryWrongOne) {
  ASSERT_TRUE(store_->AddUnit(UnitRecord{"U-A", "甲", 0}).value());
  AddUser("alice", "handler", "U-A", "correct horse 1");
  Auth auth(*store_, AuthConfig{3600});
  auto in = auth.Login("alice", "correct horse 1", kT0);
  ASSERT_TRUE(in) << in.errors()[0].message_en;
  EXPECT_EQ(in->actor.user, "alice");
  EXPECT_EQ(in->actor.role, "handler");
  EXPECT_EQ(in->actor.unit, "U-A");
  EXPECT_EQ(in->token.size(), 43u);
  EXPECT_EQ(in->session.csrf_token.size(), 43u);
  EXPECT_NE(in->session.csrf_token, in->token);
  // Only the token's hash is stored.
  EXPECT_FALSE(store_->FindSession(in->token).value().has_value());
  EXPECT_TRUE(store_->FindSession(HashSessionToken(in->token)).value().has_value());

  for (auto [user, password] : {std::pair{"alice", "wrong horse 1"}, std::pair{"nobody", "correct horse 1"},
                                std::pair{"alice", ""}}) {
    auto bad = auth.Login(user, password, kT0);
    ASSERT_FALSE(bad.ok()) << user << " / " << password;
    EXPECT_EQ(bad.errors()[0].id, "auth.login_failed");
    EXPECT_EQ(bad.errors()[0].message_en, "Wrong user name or password");
  }
}

TEST_P(PeopleTest, ASessionExpiresAndLogoutAndDisablingEndIt) {
  ASSERT_TRUE(store_->AddUnit(UnitRecord{"U-A", "甲", 0}).value());
  AddUser("alice", "handler", "U-A", "correct horse 1");
  Auth auth(*store_, AuthConfig{3600});
  auto in = auth.Login("alice", "correct horse 1", kT0).value();
  auto live = auth.Resolve(in.token, kT0 + 3599'000);
  ASSERT_TRUE(live) << live.errors()[0].message_en;
  EXPECT_EQ(live->actor.unit, "U-A");
  EXPECT_EQ(live->session.csrf_token, in.session.csrf_token);
  EXPECT_TRUE(Auth::CsrfMatches(live->session, in.session.csrf_token));
  EXPECT_FALSE(Auth::CsrfMatches(live->session, ""));
  EXPECT_FALSE(Auth::CsrfMatches(live->session, in.session.csrf_token.substr(1) + "x"));
  auto expired = auth.Resolve(in.token, kT0 + 3600'000);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.errors()[0].id, "auth.session_required");
  EXPECT_FALSE(store_->FindSession(HashSessionToken(in.token)).value().has_value()) << "an expired session is deleted";
  EXPECT_EQ(auth.Resolve("", kT0).errors()[0].id, "auth.session_required");
  EXPECT_EQ(auth.Resolve("made-up", kT0).errors()[0].id, "auth.session_required");

  auto second = auth.Login("alice", "correct horse 1", kT0).value();
  EXPECT_TRUE(auth.Logout(second.token).value());
  EXPECT_FALSE(auth.Resolve(second.token, kT0).ok());

  auto third = auth.Login("alice", "correct horse 1", kT0).value();
  ASSERT_TRUE(store_->DisableUser("alice").value());
  EXPECT_FALSE(auth.Resolve(third.token, kT0).ok()) << "disabling signs the user out";
  EXPECT_EQ(auth.Login("alice", "correct horse 1", kT0).errors()[0].id, "auth.login_failed");
  EXPECT_FALSE(store_->DisableUser("nobody").value());
}

TEST_P(PeopleTest, AuditRowsAreAppendedInOrderAndTheDatabaseRefusesToChangeThem) {
  const Actor alice{"alice", "handler", "U-A"};
  auto first = Audit(*store_, alice, "case.accept", "case:C-1/1", R"({"state":"pushed"})", R"({"state":"accepted"})");
  ASSERT_TRUE(first) << first.errors()[0].message_en;
  auto second = Audit(*store_, Actor{"bob", "reviewer", ""}, "case.review", "case:C-2/1", "", "{}");
  ASSERT_TRUE(second);
  EXPECT_GT(*second, *first);
  auto trail = store_->AuditTrail("case:C-1/1", 100).value();
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].actor, "alice");
  EXPECT_EQ(trail[0].role, "handler");
  EXPECT_EQ(trail[0].unit, "U-A");
  EXPECT_EQ(trail[0].action, "case.accept");
  EXPECT_EQ(trail[0].before_json, R"({"state":"pushed"})");
  EXPECT_EQ(trail[0].after_json, R"({"state":"accepted"})");
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(std::llabs(trail[0].at_ms - now), 60'000);
  EXPECT_EQ(store_->AuditTrail("", 100).value().size(), 2u);

  // Straight at the database, past the store: UPDATE and DELETE are refused.
  EXPECT_NE(RawExec("UPDATE audit SET actor = 'mallory'").find("append-only"), std::string::npos);
  EXPECT_NE(RawExec("DELETE FROM audit").find("append-only"), std::string::npos);
  auto after = store_->AuditTrail("", 100).value();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].actor, "alice");
}

TEST(PeopleCsv, EveryBadRowIsReportedWithItsLine) {
  const std::string units = "\xEF\xBB\xBF" "code,name\r\nU-1,一\r\nU-1,again\r\n,无代码\r\nU-3,\"三, 分局\"\r\nU-9,old\r\n";
  const std::string users =
      "name,role,unit\n"
      "alice,handler,U-1\n"
      "bob,boss,\n"
      "carol,handler,\n"
      "dave,handler,U-7\n"
      "alice,reviewer,\n"
      "eve,auditor\n"
      "\"multi\nline\",admin,\n"
      "frank,admin,U-3\n"
      "taken,admin,\n";
  auto files = ReadPeopleCsv("units.csv", units, "users.csv", users,
                             [](const std::string& code) { return code == "U-9" || code == "U-OLD"; },
                             [](const std::string& name) { return name == "taken"; });
  const std::vector<std::string> want = {
      "units.csv line 3: unit U-1 appears twice",
      "units.csv line 4: code is empty",
      "units.csv line 6: unit U-9 exists already",
      "users.csv line 3: role \"boss\" is not handler, reviewer, admin or auditor",
      "users.csv line 4: a handler needs a unit",
      "users.csv line 5: unit U-7 is neither in units.csv nor at the centre",
      "users.csv line 6: user alice appears twice",
      "users.csv line 7: 2 cells, the header has 3",
      "users.csv line 8: name holds a control character",
      "users.csv line 11: user taken exists already",
  };
  EXPECT_EQ(files.problems, want);
  ASSERT_GE(files.units.size(), 4u);
  EXPECT_EQ(files.units[3].name, "三, 分局");
}

TEST(PeopleCsv, HeadersAndEncodingAreChecked) {
  auto none = [](const std::string&) { return false; };
  auto files = ReadPeopleCsv("u.csv", "code,title\nU,x\n", "p.csv", "name,unit\nx,U\n", none, none);
  const std::vector<std::string> want = {"u.csv line 1: unknown column \"title\"",
                                         "u.csv line 1: the header lacks the column \"name\"",
                                         "p.csv line 1: the header lacks the column \"role\""};
  EXPECT_EQ(files.problems, want);
  auto gbk = ReadPeopleCsv("u.csv", "code,name\nU,\xBC\xD7\n", "p.csv", "", none, none);
  ASSERT_EQ(gbk.problems.size(), 1u);
  EXPECT_NE(gbk.problems[0].find("not UTF-8"), std::string::npos);
  auto open = ReadPeopleCsv("u.csv", "code,name\nU,\"unclosed\n", "p.csv", "", none, none);
  ASSERT_EQ(open.problems.size(), 1u);
  EXPECT_EQ(open.problems[0], "u.csv line 2: a quoted cell is not closed");
}

INSTANTIATE_TEST_SUITE_P(Stores, PeopleTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::central
