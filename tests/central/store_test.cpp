// The centre's store, one suite over both backends: "sqlite" (a temporary folder) and
// "postgresql" (HCP_TEST_PG, e.g. postgresql://hcp@127.0.0.1:PORT/hcp_test; every test gets a
// database of its own, created and dropped around it). Without HCP_TEST_PG the PostgreSQL tests
// FAIL, so a missing server never looks green; HCP_TEST_PG_OPTIONAL=1 turns that into a skip for
// quick local runs. scripts/test always provides the cluster (scripts/pg_cluster).
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "central_store.h"

namespace hcp::central {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  return std::to_string(getpid()) + "_" + std::to_string(counter++);
}

// A plain libpq connection for the test's own housekeeping.
struct Admin {
  explicit Admin(const std::string& conninfo) : conn(PQconnectdb(conninfo.c_str())) {}
  ~Admin() { PQfinish(conn); }
  bool ok() const { return PQstatus(conn) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(conn); }
  // Runs `sql`; the first value of the first row, or "ERROR: …".
  std::string Run(const std::string& sql) {
    PGresult* r = PQexec(conn, sql.c_str());
    std::string out;
    const auto status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK) {
      out = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    } else if (status != PGRES_COMMAND_OK) {
      out = std::string("ERROR: ") + PQresultErrorMessage(r);
    }
    PQclear(r);
    return out;
  }
  PGconn* conn;
};

// `conninfo` with its database replaced by `db`; URIs stay URIs (so OpenStore picks PostgreSQL).
std::string WithDatabase(const std::string& conninfo, const std::string& db) {
  const auto scheme = conninfo.find("://");
  if (scheme != std::string::npos) {
    const auto path = conninfo.find('/', scheme + 3);
    const auto query = conninfo.find('?', scheme + 3);
    const std::string authority = conninfo.substr(0, std::min(path, query));
    return authority + "/" + db + (query == std::string::npos ? "" : conninfo.substr(query));
  }
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (!options) {
    PQfreemem(err);
    return conninfo;
  }
  std::string out;
  for (auto* o = options; o->keyword; ++o) {
    if (!o->val || std::string(o->keyword) == "dbname") continue;
    out += std::string(o->keyword) + "='";
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\'' || *c == '\\') out += '\\';
      out += *c;
    }
    out += "' ";
  }
  PQconninfoFree(options);
  return out + "dbname='" + db + "'";
}

// prefix + number, without GCC 12's false -Wrestrict on `"literal" + std::to_string(n)`.
std::string Name(const char* prefix, int n) {
  std::string s = prefix;
  s += std::to_string(n);
  return s;
}

RelayedRating Rating(const std::string& id, const std::string& case_id, int satisfaction = 5,
                     const std::string& unit = "330100-tax", const std::string& channel = "pc", int assess = 1) {
  RelayedRating r;
  r.id = id;
  r.case_id = case_id;
  r.assess = assess;
  r.kid = "issuer-1";
  r.claims_json = R"({"case":")" + case_id + R"(","note":"quotes \" and \\ backslashes, {braces}, commas"})";
  r.rating_json = R"({"satisfaction":)" + std::to_string(satisfaction) + "}";
  r.satisfaction = satisfaction;
  r.received_at_ms = 1700000000000;
  r.unit = unit;
  r.unit_name = "杭州市税务局 \"" + unit + "\"";
  r.channel = channel;
  return r;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = (fs::temp_directory_path() / ("hcp_central_store_" + UniqueSuffix())).string();
      return;
    }
    const std::string base = Env("HCP_TEST_PG");
    if (base.empty()) {
      if (Env("HCP_TEST_PG_OPTIONAL") == "1") GTEST_SKIP() << "HCP_TEST_PG is not set (HCP_TEST_PG_OPTIONAL=1)";
      FAIL() << "HCP_TEST_PG is not set: point it at a PostgreSQL database (scripts/test starts one with "
                "scripts/pg_cluster), or set HCP_TEST_PG_OPTIONAL=1 to skip the PostgreSQL backend";
    }
    admin_ = std::make_unique<Admin>(base);
    ASSERT_TRUE(admin_->ok()) << "cannot connect to HCP_TEST_PG=" << base << ": " << admin_->error();
    db_name_ = "hcp_t_" + UniqueSuffix();
    ASSERT_EQ(admin_->Run("CREATE DATABASE " + db_name_), "");
    conninfo_ = WithDatabase(base, db_name_);
  }

  void TearDown() override {
    stores_.clear();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
    if (admin_ && !db_name_.empty()) {
      EXPECT_EQ(admin_->Run("DROP DATABASE " + db_name_ + " WITH (FORCE)"), "");
    }
  }

  bool postgres() const { return GetParam() == "postgresql"; }

  std::unique_ptr<CentralStore> OpenOne(std::string& error) {
    return OpenStore(postgres() ? conninfo_ : "", dir_, error);
  }

  // A store that lives until the end of the test.
  CentralStore& Open() {
    std::string error;
    auto store = OpenOne(error);
    EXPECT_TRUE(store) << error;
    if (!store) {
      std::fflush(stdout);
      std::abort();
    }
    stores_.push_back(std::move(store));
    return *stores_.back();
  }

  std::vector<IngestResult> Ingest(CentralStore& store, const std::string& edge, const std::vector<RelayedRating>& batch) {
    auto result = store.Ingest(edge, batch);
    EXPECT_TRUE(result) << (result ? "" : result.errors().front().id);
    return result ? *result : std::vector<IngestResult>{};
  }

  Summary Stats(CentralStore& store) {
    auto summary = store.StatsSummary();
    EXPECT_TRUE(summary);
    return summary ? *summary : Summary{};
  }

  std::string dir_;
  std::string conninfo_;
  std::string db_name_;
  std::unique_ptr<Admin> admin_;
  std::vector<std::unique_ptr<CentralStore>> stores_;
};

TEST_P(StoreTest, IngestStoresEveryRating) {
  auto& store = Open();
  auto results = Ingest(store, "edge-a", {Rating("r1", "c1"), Rating("r2", "c2"), Rating("r3", "c3", 1)});
  ASSERT_EQ(results.size(), 3u);
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].id, Name("r", static_cast<int>(i) + 1));  // in the batch's order
    EXPECT_EQ(results[i].status, IngestStatus::Stored);
    EXPECT_EQ(results[i].reason, "");
  }
  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 3);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_TRUE(Ingest(store, "edge-a", {}).empty());
}

TEST_P(StoreTest, ReplayedBatchStoresNothingTwice) {
  auto& store = Open();
  const std::vector<RelayedRating> batch = {Rating("r1", "c1"), Rating("r2", "c2", 2), Rating("r3", "c3")};
  Ingest(store, "edge-a", batch);
  for (int replay = 0; replay < 3; ++replay) {
    auto results = Ingest(store, "edge-a", batch);
    ASSERT_EQ(results.size(), 3u);
    for (const auto& r : results) EXPECT_EQ(r.status, IngestStatus::Stored) << r.id;
  }
  // A replay overlapping new ratings, and one id twice in the same batch.
  auto mixed = Ingest(store, "edge-a", {Rating("r4", "c4"), Rating("r2", "c2", 2), Rating("r4", "c4"), Rating("r5", "c5")});
  ASSERT_EQ(mixed.size(), 4u);
  for (const auto& r : mixed) EXPECT_EQ(r.status, IngestStatus::Stored) << r.id;
  EXPECT_EQ(mixed[2].id, "r4");
  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 5);
  EXPECT_EQ(s.rejected, 0);
}

TEST_P(StoreTest, SecondRatingOfACaseIsRejectedWithTheWinner) {
  auto& store = Open();
  Ingest(store, "edge-a", {Rating("first", "case-1", 5)});
  auto second = Ingest(store, "edge-b", {Rating("second", "case-1", 1), Rating("other", "case-2")});
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].id, "second");
  EXPECT_EQ(second[0].status, IngestStatus::Rejected);
  EXPECT_EQ(second[0].reason, "rating.already_rated");
  EXPECT_EQ(second[0].existing_id, "first");
  EXPECT_EQ(second[1].status, IngestStatus::Stored);

  // Replaying the refused rating answers "rejected" again, from either edge, and keeps one row.
  for (const char* edge : {"edge-b", "edge-a"}) {
    auto again = Ingest(store, edge, {Rating("second", "case-1", 1)});
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].status, IngestStatus::Rejected);
    EXPECT_EQ(again[0].reason, "rating.already_rated");
    EXPECT_EQ(again[0].existing_id, "first");
  }
  // The winner replayed is still stored; another assess number of the case is a rating of its own.
  auto more = Ingest(store, "edge-a", {Rating("first", "case-1", 5), Rating("again", "case-1", 4, "330100-tax", "pc", 2)});
  ASSERT_EQ(more.size(), 2u);
  EXPECT_EQ(more[0].status, IngestStatus::Stored);
  EXPECT_EQ(more[1].status, IngestStatus::Stored);

  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 3);
  EXPECT_EQ(s.all.Count(Level::VerySatisfied), 2);  // "second" (非常不满意) is in no figure
  EXPECT_EQ(s.all.Count(Level::VeryDissatisfied), 0);
  EXPECT_EQ(s.rejected, 1);
}

// A rating the centre cannot count (RelayedRating::invalid) is kept as rejected with its reason and
// detail, between ratings that are stored; replayed, it answers the same and keeps one row; a
// damaged copy of a rating stored before answers "stored" (the centre has that rating).
TEST_P(StoreTest, InvalidRatingIsKeptAsRejectedWithItsReasonAndHoldsBackNothing) {
  auto& store = Open();
  RelayedRating bad = Rating("bad", "case-bad", 3);
  bad.invalid = "ingest.rating_invalid";
  bad.invalid_detail = "claims.v: unknown version";
  const std::vector<RelayedRating> batch = {Rating("ok-1", "case-1"), bad, Rating("ok-2", "case-2", 1)};
  for (int replay = 0; replay < 2; ++replay) {
    auto results = Ingest(store, "edge-a", batch);
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].status, IngestStatus::Stored);
    EXPECT_EQ(results[1].id, "bad");
    EXPECT_EQ(results[1].status, IngestStatus::Rejected);
    EXPECT_EQ(results[1].reason, "ingest.rating_invalid");
    EXPECT_EQ(results[1].detail, "claims.v: unknown version");
    EXPECT_EQ(results[1].existing_id, "");
    EXPECT_EQ(results[2].status, IngestStatus::Stored);
  }
  // Its case is not taken: a valid rating of it is stored.
  auto valid = Ingest(store, "edge-a", {Rating("good-of-bad-case", "case-bad", 4)});
  ASSERT_EQ(valid.size(), 1u);
  EXPECT_EQ(valid[0].status, IngestStatus::Stored);
  // A damaged copy of a stored id.
  RelayedRating copy = Rating("ok-1", "case-1");
  copy.invalid = "ingest.rating_invalid";
  copy.invalid_detail = "damaged";
  auto again = Ingest(store, "edge-a", {copy});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].status, IngestStatus::Stored);

  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 3);
  EXPECT_EQ(s.all.Count(Level::Basic), 0) << "the invalid rating (基本满意) is in no figure";
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.rejected_by_reason, (std::map<std::string, int64_t>{{"ingest.rating_invalid", 1}}));
  // Duplicates and invalid ratings are told apart.
  Ingest(store, "edge-b", {Rating("second-of-case-2", "case-2", 5)});
  EXPECT_EQ(Stats(store).rejected_by_reason,
            (std::map<std::string, int64_t>{{"ingest.rating_invalid", 1}, {"rating.already_rated", 1}}));
}

TEST_P(StoreTest, FirstInTheBatchWinsWithinOneBatch) {
  auto& store = Open();
  // Ids in reverse order of the alphabet: the batch's order decides, not the id.
  auto results = Ingest(store, "edge-a", {Rating("zz", "case-9", 5), Rating("aa", "case-9", 1), Rating("mm", "case-8")});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].id, "zz");
  EXPECT_EQ(results[0].status, IngestStatus::Stored);
  EXPECT_EQ(results[1].id, "aa");
  EXPECT_EQ(results[1].status, IngestStatus::Rejected);
  EXPECT_EQ(results[1].existing_id, "zz");
  EXPECT_EQ(results[2].status, IngestStatus::Stored);
  EXPECT_EQ(Stats(store).rejected, 1);
}

TEST_P(StoreTest, OverlappingBatchesFromFourThreadsAreIngestedExactlyOnce) {
  // Two centres on one database (for SQLite: one file), two threads each, every thread sending all
  // ratings in its own shuffled order and batch cut. 200 ratings for 150 cases: 50 must lose.
  auto& centre_a = Open();
  auto& centre_b = Open();
  std::vector<RelayedRating> all;
  for (int i = 0; i < 200; ++i) {
    all.push_back(Rating(Name("r", i), Name("c", i % 150), 1 + i % 5, Name("unit-", i % 7), i % 2 ? "pc" : "app"));
  }
  std::mutex mu;
  std::map<std::string, std::set<std::string>> answers;  // id → every answer it got ("stored", "rejected:winner")
  std::vector<std::string> failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      CentralStore& store = t % 2 ? centre_b : centre_a;
      std::vector<RelayedRating> mine = all;
      std::mt19937 rng(1000 + t);
      std::shuffle(mine.begin(), mine.end(), rng);
      for (int round = 0; round < 2; ++round) {  // and everything once more: a full replay
        for (size_t at = 0; at < mine.size();) {
          const size_t n = std::min<size_t>(mine.size() - at, 5 + rng() % 40);
          std::vector<RelayedRating> batch(mine.begin() + at, mine.begin() + at + n);
          at += n;
          auto result = store.Ingest(Name("edge-", t), batch);
          std::lock_guard lock(mu);
          if (!result) {
            failures.push_back(result.errors().front().id);
            continue;
          }
          for (const auto& r : *result) {
            answers[r.id].insert(r.status == IngestStatus::Stored ? "stored" : "rejected:" + r.existing_id);
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " batches failed, first: " << failures.front();

  // Every id got one answer everywhere; every case has exactly one stored rating, and every loser
  // names it.
  std::map<std::string, std::string> winner_of_case;
  ASSERT_EQ(answers.size(), 200u);
  for (const auto& r : all) {
    const auto& got = answers[r.id];
    ASSERT_EQ(got.size(), 1u) << r.id << " answered differently";
    if (*got.begin() == "stored") {
      EXPECT_TRUE(winner_of_case.emplace(r.case_id, r.id).second) << "two winners for " << r.case_id;
    }
  }
  EXPECT_EQ(winner_of_case.size(), 150u);
  for (const auto& r : all) {
    const std::string answer = *answers[r.id].begin();
    if (answer != "stored") {
      EXPECT_EQ(answer, "rejected:" + winner_of_case[r.case_id]) << r.id;
    }
  }
  for (CentralStore* store : {&centre_a, &centre_b}) {
    const Summary s = Stats(*store);
    EXPECT_EQ(s.all.Total(), 150);
    EXPECT_EQ(s.rejected, 50);
  }
}

TEST_P(StoreTest, SummaryTotalsByLevelUnitAndChannel) {
  auto& store = Open();
  Ingest(store, "edge-a",
         {
             Rating("a1", "k1", 5, "u-tax", "pc"),
             Rating("a2", "k2", 4, "u-tax", "app"),
             Rating("a3", "k3", 3, "u-tax", "pc"),
             Rating("a4", "k4", 1, "u-tax", "sms"),
             Rating("b1", "k5", 5, "u-police", "pc"),
             Rating("b2", "k6", 2, "u-police", "window"),
             Rating("b3", "k7", 5, "u-police", "window"),
         });
  Ingest(store, "edge-b", {Rating("dup", "k1", 1, "u-tax", "pc")});  // rejected: counted apart

  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 7);
  EXPECT_EQ(s.all.Defaults(), 0);
  EXPECT_EQ(s.all.Excluded(), 0);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.all.Count(Level::VerySatisfied), 3);
  EXPECT_EQ(s.all.Count(Level::Satisfied), 1);
  EXPECT_EQ(s.all.Count(Level::Basic), 1);
  EXPECT_EQ(s.all.Count(Level::Dissatisfied), 1);
  EXPECT_EQ(s.all.Count(Level::VeryDissatisfied), 1);
  EXPECT_EQ(GoodCount(s.all), 5);
  EXPECT_EQ(BadCount(s.all), 2);
  EXPECT_EQ(GoodRate(s.all), (Rate{5, 7}));

  ASSERT_EQ(s.by_unit.size(), 2u);
  EXPECT_EQ(s.by_unit[0].unit, "u-police");  // ordered by unit
  EXPECT_EQ(s.by_unit[0].unit_name, "杭州市税务局 \"u-police\"");
  EXPECT_EQ(s.by_unit[0].tally.Total(), 3);
  EXPECT_EQ(GoodRate(s.by_unit[0].tally), (Rate{2, 3}));
  EXPECT_EQ(s.by_unit[1].unit, "u-tax");
  EXPECT_EQ(s.by_unit[1].tally.Total(), 4);
  EXPECT_EQ(s.by_unit[1].tally.Count(Level::VeryDissatisfied), 1);

  ASSERT_EQ(s.by_channel.size(), 4u);
  EXPECT_EQ(s.by_channel.at("pc").Total(), 3);
  EXPECT_EQ(s.by_channel.at("app").Total(), 1);
  EXPECT_EQ(s.by_channel.at("sms").Total(), 1);
  EXPECT_EQ(s.by_channel.at("window").Total(), 2);
  EXPECT_EQ(BadCount(s.by_channel.at("window")), 1);
}

TEST_P(StoreTest, EmptyStoreSummaryAndHealth) {
  auto& store = Open();
  EXPECT_TRUE(store.Healthy());
  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 0);
  EXPECT_EQ(s.rejected, 0);
  EXPECT_TRUE(s.by_unit.empty());
  EXPECT_TRUE(s.by_channel.empty());
  EXPECT_FALSE(GoodRate(s.all).Value().has_value());
}

TEST_P(StoreTest, MigrationsAreIdempotent) {
  {
    auto& first = Open();
    Ingest(first, "edge-a", {Rating("r1", "c1"), Rating("r2", "c1")});
  }
  stores_.clear();
  // Opened again (a restart): nothing re-applied, everything still there.
  auto& again = Open();
  auto replay = Ingest(again, "edge-a", {Rating("r1", "c1"), Rating("r2", "c1")});
  ASSERT_EQ(replay.size(), 2u);
  EXPECT_EQ(replay[0].status, IngestStatus::Stored);
  EXPECT_EQ(replay[1].status, IngestStatus::Rejected);
  const Summary s = Stats(again);
  EXPECT_EQ(s.all.Total(), 1);
  EXPECT_EQ(s.rejected, 1);
  if (postgres()) {
    Admin db(conninfo_);
    ASSERT_TRUE(db.ok()) << db.error();
    // Every migration once, numbered without gaps (how many there are grows with the schema).
    EXPECT_EQ(db.Run("SELECT (count(*) = max(version) AND count(*) >= 4)::text FROM schema_migrations"), "true");
  }
}

TEST_P(StoreTest, LargeBatchInOneTransaction) {
  auto& store = Open();
  std::vector<RelayedRating> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(Rating(Name("big-", i), Name("case-", i % 1500)));
  auto results = Ingest(store, "edge-a", batch);
  ASSERT_EQ(results.size(), 2000u);
  int stored = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].id, batch[i].id);
    stored += results[i].status == IngestStatus::Stored;
  }
  EXPECT_EQ(stored, 1500);
  const Summary s = Stats(store);
  EXPECT_EQ(s.all.Total(), 1500);
  EXPECT_EQ(s.rejected, 500);
}

CaseRecord Case(const std::string& case_id, int assess = 1, const std::string& code = "") {
  CaseRecord c;
  c.case_id = case_id;
  c.assess = assess;
  c.unit = "11330100MB0000000X";
  c.unit_name = "杭州市市场监督管理局";
  c.area = "330100";
  c.channel = "pc";
  c.finished_at_unix = 1795000000;
  c.contact = "sealed-contact-of-" + case_id;
  c.body = R"({"case":")" + case_id + R"(","note":"quotes \" and \\"})";
  c.ticket = code.empty() ? "" : "hcp1.ticket-of-" + case_id;
  c.short_code = code;
  c.source = "网厅";
  c.registered_at_ms = 1795000000123;
  return c;
}

TEST_P(StoreTest, RegisteredCaseIsStoredOnceAndFoundAgain) {
  auto& store = Open();
  auto first = store.RegisterCase(Case("case-1", 1, "AbC123xyz09"));
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->created);

  // The same case and assess number again, with other data: nothing changes, the stored one comes back.
  CaseRecord other = Case("case-1", 1, "ZZZ");
  other.body = "{}";
  other.contact = "";
  auto again = store.RegisterCase(other);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  const CaseRecord& r = again->record;
  EXPECT_EQ(r.body, Case("case-1").body);
  EXPECT_EQ(r.contact, "sealed-contact-of-case-1");
  EXPECT_EQ(r.short_code, "AbC123xyz09");
  EXPECT_EQ(r.ticket, "hcp1.ticket-of-case-1");
  EXPECT_EQ(r.unit_name, "杭州市市场监督管理局");
  EXPECT_EQ(r.area, "330100");
  EXPECT_EQ(r.channel, "pc");
  EXPECT_EQ(r.finished_at_unix, 1795000000);
  EXPECT_EQ(r.source, "网厅");
  EXPECT_EQ(r.registered_at_ms, 1795000000123);

  // The follow-up rating (assess 2) is a registration of its own; no ticket means no short code.
  auto follow_up = store.RegisterCase(Case("case-1", 2));
  ASSERT_TRUE(follow_up);
  EXPECT_TRUE(follow_up->created);
  auto second_without_code = store.RegisterCase(Case("case-2"));  // two cases without a code: both fine
  ASSERT_TRUE(second_without_code);
  EXPECT_TRUE(second_without_code->created);

  auto found = store.FindCase("case-1", 2);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->short_code, "");
  auto missing = store.FindCase("case-9", 1);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());

  auto ticket = store.TicketByShortCode("AbC123xyz09");
  ASSERT_TRUE(ticket);
  ASSERT_TRUE(ticket->has_value());
  EXPECT_EQ(**ticket, "hcp1.ticket-of-case-1");
  auto none = store.TicketByShortCode("abc123xyz09");  // codes are case-sensitive
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, ConcurrentReportsOfOneCaseStoreOne) {
  auto& a = Open();
  auto& b = Open();
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto r = (t % 2 ? b : a).RegisterCase(Case(Name("race-", i), 1, Name("code", t * 100 + i)));
        EXPECT_TRUE(r);
        if (r && r->created) ++created;
        if (r) EXPECT_EQ(r->record.case_id, Name("race-", i));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 20);
}

TEST_P(StoreTest, RatingClaimsOfTheAcceptedRating) {
  auto& store = Open();
  Ingest(store, "edge-a", {Rating("r1", "c1"), Rating("r2", "c1")});
  auto claims = store.RatingClaims("c1", 1);
  ASSERT_TRUE(claims);
  ASSERT_TRUE(claims->has_value());
  EXPECT_EQ(**claims, Rating("r1", "c1").claims_json);
  auto none = store.RatingClaims("c1", 2);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(StoreTest, ApiKeysAreAddedLookedUpByHashAndRevoked) {
  auto& store = Open();
  auto added = store.AddApiKey("网厅", "hash-1");
  ASSERT_TRUE(added);
  EXPECT_TRUE(*added);
  auto taken = store.AddApiKey("网厅", "hash-2");
  ASSERT_TRUE(taken);
  EXPECT_FALSE(*taken);
  ASSERT_TRUE(store.AddApiKey("app", "hash-3"));

  auto name = store.ApiKeyName("hash-1");
  ASSERT_TRUE(name);
  ASSERT_TRUE(name->has_value());
  EXPECT_EQ(**name, "网厅");
  auto unknown = store.ApiKeyName("hash-2");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has_value());

  auto revoked = store.RevokeApiKey("网厅");
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(*revoked);
  auto twice = store.RevokeApiKey("网厅");
  ASSERT_TRUE(twice);
  EXPECT_FALSE(*twice);
  auto gone = store.ApiKeyName("hash-1");
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());

  auto list = store.ListApiKeys();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "app");  // byte order
  EXPECT_FALSE((*list)[0].revoked);
  EXPECT_EQ((*list)[1].name, "网厅");
  EXPECT_TRUE((*list)[1].revoked);
  EXPECT_GT((*list)[1].created_at_ms, 0);
}

TEST_P(StoreTest, ContactAccessesAreKeptInOrderPerCase) {
  auto& store = Open();
  ASSERT_TRUE(store.RecordContactAccess(ContactAccess{"c1", 1, "reminder", "system", 1000}));
  ASSERT_TRUE(store.RecordContactAccess(ContactAccess{"c2", 1, "return_visit", "officer-1", 1500}));
  ASSERT_TRUE(store.RecordContactAccess(ContactAccess{"c1", 1, "return_visit", "officer-2", 900}));  // clock stepped back
  auto trail = store.ContactAccesses("c1", 1);
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->size(), 2u);
  EXPECT_EQ((*trail)[0].purpose, "reminder");  // in the order recorded, not by time
  EXPECT_EQ((*trail)[0].actor, "system");
  EXPECT_EQ((*trail)[0].at_ms, 1000);
  EXPECT_EQ((*trail)[1].actor, "officer-2");
  auto none = store.ContactAccesses("c1", 2);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST(OpenStore, RefusesAnUnknownDatabaseUrl) {
  std::string error;
  EXPECT_FALSE(OpenStore("mysql://root@localhost/hcp", "/nonexistent", error));
  EXPECT_NE(error.find("postgresql://"), std::string::npos) << error;
}

TEST(OpenStore, SaysWhyPostgresqlIsUnreachable) {
  std::string error;
  // Port 1 on loopback: nothing listens there.
  EXPECT_FALSE(OpenPostgresStore("postgresql://hcp@127.0.0.1:1/none?connect_timeout=2", error));
  EXPECT_NE(error.find("cannot connect to PostgreSQL"), std::string::npos) << error;
}

// PostgreSQL only, each test in a database of its own.
class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = Env("HCP_TEST_PG");
    if (base_.empty()) {
      if (Env("HCP_TEST_PG_OPTIONAL") == "1") GTEST_SKIP() << "HCP_TEST_PG is not set (HCP_TEST_PG_OPTIONAL=1)";
      FAIL() << "HCP_TEST_PG is not set (see the top of this file)";
    }
    admin_ = std::make_unique<Admin>(base_);
    ASSERT_TRUE(admin_->ok()) << admin_->error();
    db_name_ = "hcp_t_" + UniqueSuffix();
    ASSERT_EQ(admin_->Run("CREATE DATABASE " + db_name_), "");
    conninfo_ = WithDatabase(base_, db_name_);
  }
  void TearDown() override {
    if (admin_ && !db_name_.empty()) {
      EXPECT_EQ(admin_->Run("DROP DATABASE " + db_name_ + " WITH (FORCE)"), "");
    }
  }

  std::string base_, db_name_, conninfo_;
  std::unique_ptr<Admin> admin_;
};

// Centres starting at once: the advisory lock lets one apply the migrations, the others see them
// applied. (Not run on SQLite: one centre owns its data folder.)
TEST_F(PostgresStoreTest, CentresStartingTogetherMigrateOnce) {
  std::vector<std::unique_ptr<CentralStore>> opened(4);
  std::vector<std::string> errors(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { opened[t] = OpenPostgresStore(conninfo_, errors[t]); });
  for (auto& t : threads) t.join();
  for (int t = 0; t < 4; ++t) {
    ASSERT_TRUE(opened[t]) << errors[t];
    EXPECT_TRUE(opened[t]->Healthy());
  }
  ASSERT_TRUE(opened[0]->Ingest("edge-a", {Rating("r1", "c1")}));
  auto summary = opened[3]->StatsSummary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->all.Total(), 1);
  opened.clear();
  Admin db(conninfo_);
  ASSERT_TRUE(db.ok()) << db.error();
  EXPECT_EQ(db.Run("SELECT (count(*) = max(version) AND count(*) >= 4)::text FROM schema_migrations"), "true");
}

// The pool reconnects after the server dropped every connection (a restart, a failover, an
// administrator's pg_terminate_backend): the next calls succeed without restarting the centre.
TEST_F(PostgresStoreTest, ReconnectsAfterItsConnectionsAreKilled) {
  std::string error;
  auto store = OpenPostgresStore(conninfo_, error);
  ASSERT_TRUE(store) << error;
  ASSERT_TRUE(store->Ingest("edge-a", {Rating("r1", "c1")}));
  const std::string kill = "SELECT count(pg_terminate_backend(pid))::text FROM pg_stat_activity WHERE datname = '" +
                           db_name_ + "'";
  ASSERT_EQ(admin_->Run(kill), "1");
  EXPECT_TRUE(store->Healthy());
  ASSERT_EQ(admin_->Run(kill), "1");
  auto again = store->Ingest("edge-a", {Rating("r1", "c1"), Rating("r2", "c2")});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 2u);
  EXPECT_EQ((*again)[0].status, IngestStatus::Stored);
  ASSERT_EQ(admin_->Run(kill), "1");
  auto summary = store->StatsSummary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->all.Total(), 2);
}

// Errors are values: a failing statement is server.unavailable, and the store stays usable.
TEST_F(PostgresStoreTest, AFailingStatementIsAnErrorValue) {
  std::string error;
  auto store = OpenPostgresStore(conninfo_, error);
  ASSERT_TRUE(store) << error;
  Admin db(conninfo_);  // in the test's database
  ASSERT_TRUE(db.ok()) << db.error();
  ASSERT_EQ(db.Run("ALTER TABLE rejected RENAME TO rejected_gone"), "");
  ASSERT_TRUE(store->Ingest("edge-a", {Rating("r1", "c1")}));
  auto failed = store->Ingest("edge-b", {Rating("r2", "c1")});  // needs the rejected table
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.errors().front().id, "server.unavailable");
  EXPECT_FALSE(store->StatsSummary());
  EXPECT_TRUE(store->Healthy());
  ASSERT_EQ(db.Run("ALTER TABLE rejected_gone RENAME TO rejected"), "");
  auto now = store->Ingest("edge-b", {Rating("r2", "c1")});
  ASSERT_TRUE(now);
  EXPECT_EQ((*now)[0].status, IngestStatus::Rejected);
}

}  // namespace
}  // namespace hcp::central
