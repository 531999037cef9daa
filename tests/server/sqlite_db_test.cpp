// Opening one new database from several processes and threads at once: every opener sees the
// migrations applied exactly once and none fails (the centre's SQLite file, opened by `hcp central`
// and `hcp central stats` or two centres started together by a supervisor).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_db.h"

namespace hcp::sql {
namespace {

namespace fs = std::filesystem;

// Three steps, so openers can interleave between them; the second would fail if run twice.
const std::vector<std::string_view> kSteps = {
    "CREATE TABLE a (x INTEGER)",
    "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)",
    "CREATE TABLE c (z INTEGER)",
};

fs::path NewPath(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("hcp-sqlite-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "new.db";
}

// Opens and migrates; "" on success, else what failed.
std::string OpenAndMigrate(const fs::path& path) {
  std::string error;
  auto db = Db::Open(path.string(), {}, error);
  if (!db) return "open: " + error;
  if (!Migrate(*db, kSteps, error)) return "migrate: " + error;
  return "";
}

void ExpectMigratedOnce(const fs::path& path) {
  std::string error;
  auto db = Db::Open(path.string(), {}, error);
  ASSERT_TRUE(db) << error;
  auto version = db->Prepare("PRAGMA user_version");
  ASSERT_TRUE(version && version->Step() == SQLITE_ROW);
  EXPECT_EQ(version->Int(0), 3);
  auto rows = db->Prepare("SELECT count(*) FROM a");
  ASSERT_TRUE(rows && rows->Step() == SQLITE_ROW);
  EXPECT_EQ(rows->Int(0), 1) << "migration 2 ran more than once";
}

TEST(SqliteMigrate, ProcessesOpeningOneNewFileAtOnceMigrateItOnce) {
  for (int round = 0; round < 5; ++round) {
    const fs::path path = NewPath("procs-" + std::to_string(round));
    int gate[2];
    ASSERT_EQ(::pipe(gate), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < 8; ++i) {
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        ::close(gate[1]);
        char c;
        (void)!::read(gate[0], &c, 1);  // returns 0 when the parent opens the gate for everyone
        const std::string failure = OpenAndMigrate(path);
        if (!failure.empty()) {
          std::fprintf(stderr, "child %d: %s\n", i, failure.c_str());
          ::_exit(1);
        }
        ::_exit(0);
      }
      children.push_back(pid);
    }
    ::close(gate[0]);
    ::close(gate[1]);  // all children start now
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << ": an opener failed";
    }
    ExpectMigratedOnce(path);
    fs::remove_all(path.parent_path());
  }
}

TEST(SqliteMigrate, ThreadsOpeningOneNewFileAtOnceMigrateItOnce) {
  for (int round = 0; round < 5; ++round) {
    const fs::path path = NewPath("threads-" + std::to_string(round));
    std::vector<std::string> failures(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) threads.emplace_back([&, i] { failures[i] = OpenAndMigrate(path); });
    for (auto& t : threads) t.join();
    for (const auto& f : failures) EXPECT_EQ(f, "") << "round " << round;
    ExpectMigratedOnce(path);
    fs::remove_all(path.parent_path());
  }
}

TEST(SqliteMigrate, RefusesADatabaseNewerThanItsMigrations) {
  const fs::path path = NewPath("newer");
  ASSERT_EQ(OpenAndMigrate(path), "");
  std::string error;
  auto db = Db::Open(path.string(), {}, error);
  ASSERT_TRUE(db) << error;
  EXPECT_FALSE(Migrate(*db, {kSteps[0], kSteps[1]}, error));
  EXPECT_NE(error.find("newer than this hcp knows"), std::string::npos) << error;
  fs::remove_all(path.parent_path());
}

}  // namespace
}  // namespace hcp::sql
