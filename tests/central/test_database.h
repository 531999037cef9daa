#pragma once
// A PostgreSQL database of its own for one test: created in the cluster HCP_TEST_PG points at
// (scripts/test starts one with scripts/pg_cluster), dropped at the end. Without HCP_TEST_PG the
// test FAILS, so a missing server never looks green; HCP_TEST_PG_OPTIONAL=1 makes it a skip for
// quick local runs.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace hcp::central::testing {

class TestDatabase {
 public:
  // Call from SetUp under ASSERT_NO_FATAL_FAILURE; url() is then a postgresql:// URL.
  void Create() {
    const char* base = std::getenv("HCP_TEST_PG");
    if (!base || !*base) {
      const char* optional = std::getenv("HCP_TEST_PG_OPTIONAL");
      if (optional && std::string(optional) == "1") GTEST_SKIP() << "HCP_TEST_PG is not set (HCP_TEST_PG_OPTIONAL=1)";
      FAIL() << "HCP_TEST_PG is not set: point it at PostgreSQL (scripts/pg_cluster), or set HCP_TEST_PG_OPTIONAL=1";
    }
    base_ = base;
    const auto scheme = base_.find("://");
    ASSERT_NE(scheme, std::string::npos) << "HCP_TEST_PG must be a postgresql:// URL here: " << base_;
    static std::atomic<int> counter{0};
    name_ = "hcp_api_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    ASSERT_EQ(Run("CREATE DATABASE " + name_), "");
    const auto path = base_.find('/', scheme + 3);
    const auto query = base_.find('?', scheme + 3);
    url_ = base_.substr(0, std::min(path, query)) + "/" + name_ + (query == std::string::npos ? "" : base_.substr(query));
  }
  ~TestDatabase() {
    if (!name_.empty()) {
      EXPECT_EQ(Run("DROP DATABASE " + name_ + " WITH (FORCE)"), "");
    }
  }
  const std::string& url() const { return url_; }
  // The first value of the first row of `sql` on the test's database, or "ERROR: …".
  std::string Value(const std::string& sql) const {
    PGconn* conn = PQconnectdb(url_.c_str());
    std::string out = "ERROR: ";
    if (PQstatus(conn) != CONNECTION_OK) {
      out += PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
      else out += PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }
  // Runs statements without rows (DROP INDEX, ALTER DATABASE …) on the test's database: "" or the error.
  std::string Exec(const std::string& sql) const { return Run(sql, url_); }

 private:
  // Runs statements without rows on the base database (or `url`): "" or the error.
  std::string Run(const std::string& sql, const std::string& url = "") const {
    PGconn* conn = PQconnectdb((url.empty() ? base_ : url).c_str());
    std::string out;
    if (PQstatus(conn) != CONNECTION_OK) {
      out = PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) != PGRES_COMMAND_OK) out = PQresultErrorMessage(r);
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }

  std::string base_, name_, url_;
};

}  // namespace hcp::central::testing
