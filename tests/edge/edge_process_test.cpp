// `hcp edge` as an operator runs it: a real process, killed with SIGKILL under load and stopped
// with SIGTERM; every rating that got a 201 must survive, none twice.
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include "edge_test_support.h"

extern char** environ;

namespace hcp::edge::testing {
namespace {

const char* HcpBinary() { return HCP_BINARY; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A child process with stderr captured in a file.
struct Process {
  pid_t pid = -1;
  std::filesystem::path log;

  static Process Start(const std::vector<std::string>& args, const std::filesystem::path& log) {
    Process p;
    p.log = log;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (posix_spawn(&p.pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) p.pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    return p;
  }
  // Exit status, or -signal when killed.
  int Wait() {
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  ~Process() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

// Runs hcp to completion; returns the exit code and stderr.
std::pair<int, std::string> RunHcp(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::vector<std::string> full = {HcpBinary()};
  full.insert(full.end(), args.begin(), args.end());
  auto log = dir / ("run-" + std::to_string(std::random_device{}()) + ".log");
  Process p = Process::Start(full, log);
  const int rc = p.Wait();
  return {rc, Slurp(log)};
}

class EdgeProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("edgeproc");
    issuer_ = GenerateSigningKey();
    std::ofstream(dir_ / "issuer.pub") << EncodeKeyFile(issuer_.pub.bytes);
    std::ofstream(dir_ / "edge.json") << R"({"rate_per_second": 0, "access_log": false})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts the edge on a free port of its choosing and reads the port from its "listening" log.
  Process StartEdge() {
    std::filesystem::remove(dir_ / "edge.log");
    Process p = Process::Start({HcpBinary(), "edge", "--listen", "127.0.0.1:0", "--data", (dir_ / "data").string(),
                                "--issuer-key", (dir_ / "issuer.pub").string(), "--config", (dir_ / "edge.json").string()},
                               dir_ / "edge.log");
    port_ = 0;
    for (int i = 0; i < 200 && port_ == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::istringstream lines(Slurp(dir_ / "edge.log"));
      for (std::string line; std::getline(lines, line);) {
        auto j = Json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.value("msg", "") == "listening") port_ = j["port"].get<int>();
      }
    }
    EXPECT_GT(port_, 0) << Slurp(dir_ / "edge.log");
    return p;
  }

  std::string Body(const std::string& case_id) {
    return Dump(Json{{"ticket", *IssueTicket(Claims(case_id), issuer_, std::nullopt)},
                     {"satisfaction", 1 + static_cast<int>(case_id.size() % 5)},
                     {"reasons", Json::array()},
                     {"comment", "评价 " + case_id}});
  }

  // Every id in the outbox, read straight from the SQLite file.
  std::multiset<std::string> StoredIds() {
    std::multiset<std::string> ids;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2((dir_ / "data" / "outbox.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open outbox.db";
      return ids;
    }
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id FROM ratings", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) ids.insert(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return ids;
  }

  std::filesystem::path dir_;
  SigningKey issuer_;
  int port_ = 0;
};

// What a client fleet saw: keys answered 201 (with the id), and requests that got no answer.
struct Outcome {
  std::mutex mu;
  std::map<std::string, std::string> accepted;                  // idempotency key → id
  std::vector<std::pair<std::string, std::string>> unanswered;  // (key, body)
};

// Sends every (key, body) from 8 client threads until `stop`; what is not sent or not answered
// goes to `unanswered`, to be retried with the same key after a restart.
void Send(int port, std::vector<std::pair<std::string, std::string>> work, Outcome& out, std::atomic<bool>& stop) {
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_connection_timeout(2);
      for (size_t i = t; i < work.size(); i += 8) {
        const auto& [key, body] = work[i];
        if (stop) {
          std::lock_guard lock(out.mu);
          out.unanswered.emplace_back(key, body);
          continue;
        }
        auto res = c.Post("/api/v1/ratings", {{"Idempotency-Key", key}}, body, "application/json");
        std::lock_guard lock(out.mu);
        if (res && res->status == 201) out.accepted[key] = Json::parse(res->body)["id"];
        else if (res) ADD_FAILURE() << res->status << " " << res->body;
        else out.unanswered.emplace_back(key, body);
      }
    });
  }
  for (auto& c : clients) c.join();
}

TEST_F(EdgeProcessTest, KillNineUnderLoadLosesNoAcceptedRatingAndStoresNoneTwice) {
  Outcome out;
  std::mt19937 rng(12345);
  int sent = 0;
  for (int round = 0; round < 5; ++round) {
    Process edge = StartEdge();
    ASSERT_GT(port_, 0);
    // Retried requests (same key, same body) go first, then new ratings.
    std::vector<std::pair<std::string, std::string>> work;
    work.swap(out.unanswered);
    for (int i = 0; i < 1500; ++i, ++sent) work.emplace_back("key-" + std::to_string(sent), Body("K-" + std::to_string(sent)));
    std::atomic<bool> stop{false};
    std::thread load([&] { Send(port_, std::move(work), out, stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<>(50, 300)(rng)));
    ASSERT_EQ(kill(edge.pid, SIGKILL), 0);
    EXPECT_EQ(edge.Wait(), -SIGKILL);
    stop = true;
    load.join();

    const auto stored = StoredIds();
    std::set<std::string> unique(stored.begin(), stored.end());
    EXPECT_EQ(unique.size(), stored.size()) << "a rating stored twice";
    for (const auto& [key, id] : out.accepted) EXPECT_EQ(stored.count(id), 1u) << "lost a 201: " << key;
    std::cout << "[ round " << round << "  ] accepted so far " << out.accepted.size() << ", stored " << stored.size()
              << ", to retry " << out.unanswered.size() << "\n";
  }
  // Deliver the rest, then everything sent is stored exactly once.
  Process edge = StartEdge();
  std::atomic<bool> stop{false};
  std::vector<std::pair<std::string, std::string>> rest;
  rest.swap(out.unanswered);
  Send(port_, std::move(rest), out, stop);
  EXPECT_TRUE(out.unanswered.empty());
  kill(edge.pid, SIGTERM);
  EXPECT_EQ(edge.Wait(), 0);
  const auto stored = StoredIds();
  EXPECT_EQ(stored.size(), out.accepted.size());
  EXPECT_EQ(out.accepted.size(), static_cast<size_t>(sent));
  for (const auto& [key, id] : out.accepted) EXPECT_EQ(stored.count(id), 1u) << key;
  std::cout << "[ figures  ] " << sent << " ratings over 5 kill -9 rounds: " << out.accepted.size() << " accepted, "
            << stored.size() << " stored, 0 duplicates expected, "
            << (out.accepted.size() > stored.size() ? out.accepted.size() - stored.size() : 0) << " lost\n";
}

TEST_F(EdgeProcessTest, SigtermFinishesRequestsInFlightAndExitsCleanly) {
  Process edge = StartEdge();
  ASSERT_GT(port_, 0);
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    std::vector<std::string> bodies;
    for (int i = 0; i < 50; ++i) bodies.push_back(Body("T-" + std::to_string(t) + "-" + std::to_string(i)));
    clients.emplace_back([&, bodies = std::move(bodies), port = port_] {
      httplib::Client c("127.0.0.1", port);
      for (const auto& b : bodies) {
        auto res = c.Post("/api/v1/ratings", b, "application/json");
        if (res && res->status == 201) ++created;
        else if (!res) ++refused;
        else ADD_FAILURE() << res->status << " " << res->body;
      }
    });
  }
  // SIGTERM once the load is under way (a fixed sleep was too short on a busy machine: the clients
  // had not had one answer yet), with requests still to come.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (created.load() < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(edge.pid, SIGTERM);
  EXPECT_EQ(edge.Wait(), 0);
  for (auto& c : clients) c.join();
  const std::string log = Slurp(dir_ / "edge.log");
  EXPECT_NE(log.find("\"msg\":\"stopping\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"msg\":\"stopped\""), std::string::npos) << log;
  EXPECT_EQ(StoredIds().size(), static_cast<size_t>(created.load()));
  EXPECT_GT(created.load(), 0);
}

TEST_F(EdgeProcessTest, BadConfigurationStopsWithWhatToFix) {
  auto [rc, err] = RunHcp({"edge", "--data", (dir_ / "d").string()}, dir_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(err.find("--issuer-key"), std::string::npos) << err;

  std::ofstream(dir_ / "bad.json") << R"({"listen": "127.0.0.1:99999", "threds": 8, "allow_origins": ["https://a.gov.cn/"], "relay_lanes": 9})";
  std::tie(rc, err) = RunHcp({"edge", "--config", (dir_ / "bad.json").string(), "--data", (dir_ / "d").string(),
                              "--issuer-key", (dir_ / "issuer.pub").string()}, dir_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(err.find("threds"), std::string::npos) << err;
  EXPECT_NE(err.find("port"), std::string::npos) << err;
  EXPECT_NE(err.find("https://a.gov.cn/"), std::string::npos) << err;
  EXPECT_NE(err.find("relay_lanes"), std::string::npos) << err;

  std::ofstream(dir_ / "garbage.pub") << "not a key\n";
  std::tie(rc, err) = RunHcp({"edge", "--data", (dir_ / "d").string(), "--issuer-key", (dir_ / "garbage.pub").string()}, dir_);
  EXPECT_EQ(rc, 2);
  EXPECT_NE(err.find("key.invalid"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "d" / "outbox.db")) << "nothing is started on a bad configuration";
}

}  // namespace
}  // namespace hcp::edge::testing
