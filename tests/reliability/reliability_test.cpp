// Every rating that got a 201 reaches the central store exactly once, whatever happens in
// between: the edge killed with SIGKILL under load and while relaying, the centre killed during
// ingest, the centre gone or frozen for a while, the edge's disk full. Real `hcp edge` and
// `hcp central` processes on loopback ports, real SQLite files; the counts are read from the
// files themselves and printed, so a run shows what it proved.
#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "../edge/edge_test_support.h"
#include "../support/process.h"

namespace hcp::edge::testing {
namespace {

using hcp::testing::FreePort;
using hcp::testing::Process;
using hcp::testing::Slurp;
using Ms = std::chrono::milliseconds;

// Rows read straight from a SQLite file (the servers may be running: WAL lets us read beside them).
std::vector<std::vector<std::string>> Query(const std::filesystem::path& db_path, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << db_path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* t = sqlite3_column_text(s, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rows;
}

// What a fleet of clients saw. Each request has its own Idempotency-Key and case; a request that
// got no answer (the edge died) or a 503 is sent again later with the same key and body, as the
// widget does, so a rating committed just before the kill is answered from the outbox, not stored twice.
class Load {
 public:
  Load(const SigningKey& issuer, std::string prefix) : issuer_(issuer), prefix_(std::move(prefix)) {}

  // Sends from `threads` clients to the edge at `port`: first what is waiting to be retried, then
  // new ratings, up to `new_limit` new ones in all. A client stops at its first unanswered request
  // (the edge is gone); all stop at `stop`.
  void Run(int port, int threads, const std::atomic<bool>& stop, int64_t new_limit = INT64_MAX) {
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t) {
      clients.emplace_back([&, port, new_limit] {
        httplib::Client c("127.0.0.1", port);
        c.set_connection_timeout(2);
        c.set_read_timeout(10);
        while (!stop) {
          std::pair<std::string, std::string> work;
          {
            std::lock_guard lock(mu_);
            if (!retry_.empty()) {
              work = std::move(retry_.front());
              retry_.pop_front();
            } else if (next_ < new_limit) {
              work.first = prefix_ + std::to_string(next_++);
            } else {
              return;
            }
          }
          if (work.second.empty()) work.second = Body(work.first);
          auto res = c.Post("/api/v1/ratings", {{"Idempotency-Key", work.first}}, work.second, "application/json");
          std::lock_guard lock(mu_);
          if (res && res->status == 201) {
            const std::string id = Json::parse(res->body)["id"];
            auto [it, fresh] = accepted_.emplace(work.first, id);
            if (!fresh && it->second != id) errors_.push_back(work.first + " answered with two ids: " + it->second + ", " + id);
          } else if (res && res->status == 503 && FirstErrorId(res) == "server.storage_full") {
            ++storage_full_;
            retry_after_ = res->get_header_value("Retry-After");
            retry_.push_back(std::move(work));
            return;
          } else if (res) {
            errors_.push_back(std::to_string(res->status) + " " + res->body);
            return;
          } else {
            retry_.push_back(std::move(work));
            return;
          }
        }
      });
    }
    for (auto& c : clients) c.join();
  }

  std::map<std::string, std::string> accepted() {
    std::lock_guard lock(mu_);
    return accepted_;
  }
  size_t waiting() {
    std::lock_guard lock(mu_);
    return retry_.size();
  }
  int64_t sent() {
    std::lock_guard lock(mu_);
    return next_;
  }
  int64_t storage_full() {
    std::lock_guard lock(mu_);
    return storage_full_;
  }
  std::string retry_after() {
    std::lock_guard lock(mu_);
    return retry_after_;
  }
  std::vector<std::string> errors() {
    std::lock_guard lock(mu_);
    return errors_;
  }

 private:
  std::string Body(const std::string& key) const {
    const std::string case_id = "C-" + key;
    return Dump(Json{{"ticket", *IssueTicket(Claims(case_id), issuer_, std::nullopt)},
                     {"satisfaction", 1 + static_cast<int>(key.size() % 5)},
                     {"reasons", Json::array()},
                     {"comment", "评价 " + key}});
  }

  const SigningKey& issuer_;
  const std::string prefix_;
  std::mutex mu_;
  int64_t next_ = 0;
  int64_t storage_full_ = 0;
  std::string retry_after_;  // of the last 503 server.storage_full
  std::deque<std::pair<std::string, std::string>> retry_;  // (key, body)
  std::map<std::string, std::string> accepted_;            // key → rating id
  std::vector<std::string> errors_;
};

// One value from a Prometheus text page; NaN when absent.
double Metric(const std::string& page, const std::string& name) {
  std::istringstream lines(page);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::atof(line.c_str() + name.size() + 1);
  return NAN;
}

class ReliabilityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("reliability");
    auto keys = WriteKeySet((dir_ / "keys").string(), false);
    ASSERT_TRUE(keys.ok());
    auto issuer = LoadSigningKey((dir_ / "keys" / "issuer.key").string());
    ASSERT_TRUE(issuer.ok());
    issuer_ = *issuer;
    centre_port_ = FreePort();
    WriteEdgeConfig(0);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
    else std::cout << "[ kept     ] " << dir_ << " (logs and databases of the failed test)\n";
  }

  void WriteEdgeConfig(long max_page_count) {
    std::ofstream(dir_ / "edge.json") << Dump(Json{{"rate_per_second", 0}, {"access_log", false}, {"threads", 32},
                                                   {"max_page_count", max_page_count},
                                                   // smaller batches than the default: more of them, more cuts
                                                   {"relay_batch", 100}, {"relay_lanes", 2}});
  }

  std::filesystem::path CentreData() const { return dir_ / "centre"; }
  std::filesystem::path EdgeData() const { return dir_ / "edge"; }
  std::string CentreUrl() const { return "http://127.0.0.1:" + std::to_string(centre_port_); }

  Process StartCentre() {
    Process p = Process::Start({HCP_BINARY, "central", "--listen", "127.0.0.1:" + std::to_string(centre_port_), "--data",
                                CentreData().string(), "--trust-edge", (dir_ / "keys" / "edge.pub").string()},
                               dir_ / "centre.log");
    EXPECT_EQ(p.WaitListening(), centre_port_) << Slurp(dir_ / "centre.log");
    return p;
  }

  // The edge on a port of its choosing (edge_port_), relaying to the centre's fixed URL.
  Process StartEdge() {
    Process p = Process::Start({HCP_BINARY, "edge", "--listen", "127.0.0.1:0", "--data", EdgeData().string(),
                                "--issuer-key", (dir_ / "keys" / "issuer.pub").string(), "--config",
                                (dir_ / "edge.json").string(), "--central", CentreUrl(), "--edge-key",
                                (dir_ / "keys" / "edge.key").string()},
                               dir_ / "edge.log");
    edge_port_ = p.WaitListening();
    EXPECT_GT(edge_port_, 0) << Slurp(dir_ / "edge.log");
    return p;
  }

  std::string EdgeMetrics() {
    httplib::Client c("127.0.0.1", edge_port_);
    c.set_read_timeout(5);
    auto res = c.Get("/metrics");
    return res ? res->body : "";
  }

  // Waits (bounded) until the edge reports an empty backlog.
  bool Drained(std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (Metric(EdgeMetrics(), "hcp_outbox_backlog") == 0) return true;
      std::this_thread::sleep_for(Ms(50));
    }
    return false;
  }

  std::set<std::string> CentreIds() {
    std::set<std::string> ids;
    for (auto& row : Query(CentreData() / "central.db", "SELECT id FROM ratings")) ids.insert(row[0]);
    return ids;
  }
  // Ids the edge has not marked relayed yet.
  std::set<std::string> Unrelayed() {
    std::set<std::string> ids;
    for (auto& row : Query(EdgeData() / "outbox.db", "SELECT id FROM ratings WHERE relayed_at_ms IS NULL"))
      ids.insert(row[0]);
    return ids;
  }

  // The check every scenario ends with: accepted (201) = at the centre, each exactly once.
  void ExpectExactlyOnce(const std::string& scenario, const std::map<std::string, std::string>& accepted) {
    const auto db = CentreData() / "central.db";
    const auto ratings = Query(db, "SELECT id, case_id, assess FROM ratings");
    const auto rejected = Query(db, "SELECT id FROM rejected");
    std::multiset<std::string> ids;
    std::set<std::string> cases;
    for (const auto& r : ratings) {
      ids.insert(r[0]);
      cases.insert(r[1] + "#" + r[2]);
    }
    size_t delivered = 0, lost = 0;
    std::set<std::string> accepted_ids;
    for (const auto& [key, id] : accepted) {
      accepted_ids.insert(id);
      if (ids.count(id) >= 1) ++delivered;
      else if (++lost <= 5) ADD_FAILURE() << scenario << ": lost the accepted rating " << id << " (key " << key << ")";
    }
    // A duplicate is a rating stored twice: the same id twice, the same case twice, or a second
    // rating for one case refused at ingest (each request here rates its own case).
    const size_t same_id = ratings.size() - std::set<std::string>(ids.begin(), ids.end()).size();
    const size_t same_case = ratings.size() - cases.size();
    const size_t duplicates = same_id + same_case + rejected.size();
    size_t unexpected = 0;
    for (const auto& id : ids) unexpected += accepted_ids.count(id) ? 0 : 1;
    std::cout << "[ counts   ] " << scenario << ": accepted " << accepted.size() << ", delivered " << delivered
              << ", duplicates " << duplicates << ", lost " << lost << " (at the centre " << ratings.size()
              << ", never answered 201 " << unexpected << ")\n";
    EXPECT_EQ(lost, 0u) << scenario;
    EXPECT_EQ(duplicates, 0u) << scenario;
    EXPECT_EQ(unexpected, 0u) << scenario << ": a rating at the centre no client was told was accepted";
    EXPECT_EQ(delivered, accepted.size()) << scenario;
    EXPECT_EQ(Query(db, "PRAGMA integrity_check"), (std::vector<std::vector<std::string>>{{"ok"}}));

    // The operator's view agrees: `hcp central stats` counts accepted ratings in `total`.
    Process stats = Process::Start({HCP_BINARY, "central", "stats", "--data", CentreData().string()}, dir_ / "stats.log",
                                   dir_ / "stats.json");
    EXPECT_EQ(stats.Wait(), 0) << Slurp(dir_ / "stats.log");
    const Json summary = Json::parse(Slurp(dir_ / "stats.json"), nullptr, false);
    ASSERT_TRUE(summary.is_object()) << Slurp(dir_ / "stats.json");
    EXPECT_EQ(summary.value("total", int64_t{-1}), static_cast<int64_t>(accepted.size())) << scenario;
    EXPECT_EQ(summary.value("rejected", int64_t{-1}), 0) << scenario;
  }

  std::filesystem::path dir_;
  SigningKey issuer_;
  int centre_port_ = 0;
  int edge_port_ = 0;
};

TEST_F(ReliabilityTest, EdgeKilledTenTimesUnderLoadAndWhileRelayingDeliversEveryAcceptedRatingOnce) {
  Process centre = StartCentre();
  Load load(issuer_, "a-");
  std::mt19937 rng(20261123);
  size_t acked_not_marked = 0;  // at the centre, but the edge died before marking them relayed
  for (int round = 0; round < 10; ++round) {
    Process edge = StartEdge();
    ASSERT_GT(edge_port_, 0);
    // The relay starts on the backlog the last kill left; the clients add new ratings meanwhile.
    std::atomic<bool> stop{false};
    std::thread clients([&] { load.Run(edge_port_, 8, stop); });
    std::this_thread::sleep_for(Ms(std::uniform_int_distribution<>(150, 450)(rng)));
    ASSERT_EQ(edge.Kill(), -SIGKILL);
    stop = true;
    clients.join();

    const auto unrelayed = Unrelayed();
    const auto at_centre = CentreIds();
    size_t in_flight = 0;
    for (const auto& id : unrelayed) in_flight += at_centre.count(id);
    acked_not_marked += in_flight;
    std::cout << "[ round " << round << "  ] accepted " << load.accepted().size() << ", at the centre "
              << at_centre.size() << ", backlog at the kill " << unrelayed.size() << " (of which " << in_flight
              << " stored at the centre, not yet marked), to retry " << load.waiting() << "\n";
  }
  // Back for good: the unanswered requests are retried, the backlog drains.
  Process edge = StartEdge();
  std::atomic<bool> stop{false};
  load.Run(edge_port_, 8, stop, load.sent());
  EXPECT_EQ(load.waiting(), 0u);
  ASSERT_TRUE(Drained()) << EdgeMetrics();
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  EXPECT_EQ(load.accepted().size(), static_cast<size_t>(load.sent()));
  std::cout << "[ figures  ] 10 kill -9 of the edge; " << acked_not_marked
            << " times a rating was at the centre while the dead edge had not marked it (summed over the kills): sent again, stored once\n";
  ExpectExactlyOnce("edge kill -9 x10", load.accepted());
  EXPECT_EQ(centre.Stop(), 0);
}

TEST_F(ReliabilityTest, CentreKilledDuringIngestStoresEveryRatingOnce) {
  Process edge = StartEdge();
  ASSERT_GT(edge_port_, 0);
  Load load(issuer_, "b-");
  std::atomic<bool> stop{false};
  load.Run(edge_port_, 8, stop, 3000);  // a backlog while the centre is down
  ASSERT_EQ(load.accepted().size(), 3000u);
  std::thread clients([&] { load.Run(edge_port_, 2, stop); });  // and more all along

  std::mt19937 rng(4);
  int kills_during_ingest = 0;
  for (int round = 0; round < 5; ++round) {
    Process centre = StartCentre();
    // Kill it once it is busy: right after its first batch, in the middle of the next.
    const size_t before = CentreIds().size();
    bool busy = false;
    // Bounded generously: the relay may be in its backoff, and sanitizer builds are slow.
    for (int i = 0; i < 3000 && !busy; ++i) {
      std::this_thread::sleep_for(Ms(5));
      httplib::Client c("127.0.0.1", centre_port_);
      auto res = c.Get("/metrics");
      busy = res && Metric(res->body, "hcp_ingest_stored_total") > 0;
    }
    std::this_thread::sleep_for(Ms(std::uniform_int_distribution<>(0, 30)(rng)));
    ASSERT_EQ(centre.Kill(), -SIGKILL);
    kills_during_ingest += busy ? 1 : 0;
    std::cout << "[ round " << round << "  ] centre killed " << (busy ? "while ingesting" : "(had not ingested yet)")
              << "; at the centre " << before << " -> " << CentreIds().size() << ", accepted "
              << load.accepted().size() << "\n";
  }
  stop = true;
  clients.join();
  Process centre = StartCentre();
  ASSERT_TRUE(Drained()) << EdgeMetrics();
  // Whether a kill lands mid-ingest is timing (slow under sanitizers on a shared machine); what
  // must hold every time is below. At least one kill has to hit a busy centre to mean anything.
  std::cout << "[ figures  ] " << kills_during_ingest << " of 5 kills landed while the centre ingested\n";
  EXPECT_GE(kills_during_ingest, 1) << "no kill landed while the centre ingested";
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  ExpectExactlyOnce("centre kill -9 x5", load.accepted());
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(centre.Stop(), 0);
}

// The operator's stop (SIGTERM) of both servers at once, in the middle of a drain: both exit
// cleanly and promptly (the edge once hung here, joining its relay twice), and nothing is lost.
TEST_F(ReliabilityTest, EdgeAndCentreStoppedTogetherDuringADrainExitCleanlyAndLoseNothing) {
  Load load(issuer_, "s-");
  std::atomic<bool> stop{false};
  int stops_during_ingest = 0;
  for (int round = 0; round < 5; ++round) {
    Process edge = StartEdge();
    ASSERT_GT(edge_port_, 0);
    load.Run(edge_port_, 8, stop, load.sent() + 1500);  // the centre is down: a backlog
    Process centre = StartCentre();
    bool busy = false;
    for (int i = 0; i < 3000 && !busy; ++i) {
      std::this_thread::sleep_for(Ms(5));
      httplib::Client c("127.0.0.1", centre_port_);
      auto res = c.Get("/metrics");
      busy = res && Metric(res->body, "hcp_ingest_stored_total") > 0;
    }
    stops_during_ingest += busy ? 1 : 0;
    edge.Signal(SIGTERM);
    centre.Signal(SIGTERM);
    EXPECT_EQ(edge.StopWithin(std::chrono::seconds(15)), 0) << "the edge did not stop cleanly; " << Slurp(dir_ / "edge.log");
    EXPECT_EQ(centre.StopWithin(std::chrono::seconds(15)), 0) << Slurp(dir_ / "centre.log");
    std::cout << "[ round " << round << "  ] both stopped " << (busy ? "while the centre ingested" : "(not ingesting yet)")
              << "; accepted " << load.accepted().size() << ", at the centre " << CentreIds().size() << "\n";
  }
  EXPECT_EQ(stops_during_ingest, 5);
  Process centre = StartCentre();
  Process edge = StartEdge();
  ASSERT_TRUE(Drained()) << EdgeMetrics();
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  EXPECT_EQ(load.waiting(), 0u);
  ExpectExactlyOnce("edge and centre SIGTERM x5 during a drain", load.accepted());
  EXPECT_EQ(edge.StopWithin(std::chrono::seconds(15)), 0);
  EXPECT_EQ(centre.StopWithin(std::chrono::seconds(15)), 0);
}

TEST_F(ReliabilityTest, CentreGoneThenFrozenForAWhileThenBackDrainsEverything) {
  Process centre = StartCentre();
  Process edge = StartEdge();
  ASSERT_GT(edge_port_, 0);
  Load load(issuer_, "c-");
  std::atomic<bool> stop{false};
  std::thread clients([&] { load.Run(edge_port_, 2, stop); });
  std::this_thread::sleep_for(Ms(300));

  // Gone: the process stopped, connections refused. The edge keeps accepting; the backlog waits.
  ASSERT_EQ(centre.Stop(), 0);
  std::this_thread::sleep_for(Ms(2000));
  std::string page = EdgeMetrics();
  EXPECT_EQ(Metric(page, "hcp_relay_connected"), 0) << page;
  EXPECT_GT(Metric(page, "hcp_outbox_backlog"), 0) << page;
  EXPECT_GT(Metric(page, "hcp_relay_lag_seconds"), 1.0) << page;
  EXPECT_GT(Metric(page, "hcp_relay_failures_total"), 0) << page;
  std::cout << "[ gone     ] after 2 s: backlog " << Metric(page, "hcp_outbox_backlog") << ", lag "
            << Metric(page, "hcp_relay_lag_seconds") << " s, failed batches " << Metric(page, "hcp_relay_failures_total")
            << "\n";
  centre = StartCentre();
  const auto back = std::chrono::steady_clock::now();
  while (Metric(EdgeMetrics(), "hcp_relay_connected") != 1 && std::chrono::steady_clock::now() - back < std::chrono::seconds(30))
    std::this_thread::sleep_for(Ms(20));
  std::cout << "[ back     ] reconnected after "
            << std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - back).count() << " ms\n";

  // Frozen: the process is there and the kernel accepts connections, but nothing answers (a
  // hung host, a dropped route). The batch in flight waits; nothing is marked until it is answered.
  centre.Signal(SIGSTOP);
  std::this_thread::sleep_for(Ms(2000));
  page = EdgeMetrics();
  EXPECT_GT(Metric(page, "hcp_outbox_backlog"), 0) << page;
  std::cout << "[ frozen   ] after 2 s: backlog " << Metric(page, "hcp_outbox_backlog") << ", lag "
            << Metric(page, "hcp_relay_lag_seconds") << " s\n";
  centre.Signal(SIGCONT);

  std::this_thread::sleep_for(Ms(300));
  stop = true;
  clients.join();
  ASSERT_TRUE(Drained()) << EdgeMetrics();
  EXPECT_EQ(Metric(EdgeMetrics(), "hcp_relay_lag_seconds"), 0);
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  EXPECT_EQ(load.waiting(), 0u);
  ExpectExactlyOnce("centre gone 2 s, frozen 2 s", load.accepted());
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(centre.Stop(), 0);
}

TEST_F(ReliabilityTest, FullOutboxRefusesWith503LosesNothingAndRecoversWithMoreRoom) {
  Process centre = StartCentre();
  WriteEdgeConfig(60);  // 60 pages of 4 KiB: about a hundred ratings, then "disk full"
  Process edge = StartEdge();
  ASSERT_GT(edge_port_, 0);
  Load load(issuer_, "d-");
  // One client, one rating at a time: once refused, the same request is tried again a few times.
  std::atomic<bool> stop{false};
  for (int i = 0; i < 2000 && load.storage_full() < 5; ++i) load.Run(edge_port_, 1, stop, load.sent() + 1);
  const size_t accepted_while_filling = load.accepted().size();
  EXPECT_GE(load.storage_full(), 5);
  EXPECT_GT(accepted_while_filling, 20u);
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  // The answer a client got: 503, the stable error id (checked by Load), and when to come back.
  EXPECT_EQ(load.retry_after(), "60");
  const std::string log = Slurp(dir_ / "edge.log");
  EXPECT_NE(log.find("\"msg\":\"storage_full\""), std::string::npos) << log;
  // Meanwhile a load balancer asking /readyz is told to send citizens elsewhere, and why.
  {
    httplib::Client probe("127.0.0.1", edge_port_);
    auto ready = probe.Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 503);
    EXPECT_NE(ready->body.find("server.storage_full"), std::string::npos) << ready->body;
  }
  // What was accepted before the disk filled still reaches the centre.
  EXPECT_TRUE(Drained(std::chrono::seconds(20))) << EdgeMetrics();
  std::cout << "[ full     ] accepted " << accepted_while_filling << " before the outbox filled; " << load.storage_full()
            << " answers were 503 server.storage_full; at the centre " << CentreIds().size() << "\n";

  // Room again (the operator grew the volume; here: the cap raised), restart, and the clients'
  // retries with the same keys are accepted.
  EXPECT_EQ(edge.Stop(), 0);
  WriteEdgeConfig(0);
  edge = StartEdge();
  ASSERT_GT(edge_port_, 0);
  {
    httplib::Client probe("127.0.0.1", edge_port_);
    auto ready = probe.Get("/readyz");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->status, 200) << ready->body;
  }
  load.Run(edge_port_, 4, stop, load.sent() + 200);
  EXPECT_EQ(load.waiting(), 0u);
  EXPECT_EQ(load.accepted().size(), static_cast<size_t>(load.sent()));
  ASSERT_TRUE(Drained()) << EdgeMetrics();
  EXPECT_EQ(load.errors(), std::vector<std::string>{});
  ExpectExactlyOnce("outbox full, then room", load.accepted());
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(centre.Stop(), 0);
}

}  // namespace
}  // namespace hcp::edge::testing
