// Edge and centre together on loopback ports: every accepted rating reaches the centre once.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../central/test_database.h"
#include "../edge/edge_test_support.h"
#include "central_server.h"
#include "sqlite_db.h"
#include "summary_json.h"

namespace hcp::edge::testing {
namespace {

// A port nothing listens on yet (the centre starts there later).
int FreePort() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);
  return ntohs(a.sin_port);
}

struct Centre {
  std::filesystem::path dir;
  std::unique_ptr<central::CentralServer> server;
  std::thread thread;

  // On SQLite in `data`, or on the PostgreSQL database `pg_url` when one is given.
  void Start(int port, const std::vector<VerifyKey>& edges, const std::filesystem::path& data,
             const std::string& pg_url = "") {
    dir = data;
    std::string error;
    auto store = pg_url.empty() ? central::OpenSqliteStore(dir.string(), error) : central::OpenPostgresStore(pg_url, error);
    ASSERT_TRUE(store) << error;
    central::CentralConfig config;
    config.listen_port = port;
    config.admin_token = "test-token";
    server = std::make_unique<central::CentralServer>(config, std::move(store), edges);
    ASSERT_TRUE(server->Bind());
    thread = std::thread([this] { server->Run(); });
  }
  void Stop() {
    if (server) server->Stop();
    if (thread.joinable()) thread.join();
    server.reset();
  }
  ~Centre() { Stop(); }
  central::Summary Stats() { return server->store().StatsSummary().value(); }
};

class RelayTest : public EdgeFixture {
 protected:
  void StartRelayingEdge(int centre_port, size_t batch = 500) {
    edge_key_ = GenerateSigningKey();
    RelayConfig relay{"http://127.0.0.1:" + std::to_string(centre_port), edge_key_};
    relay.batch = batch;
    relay.backoff_min_ms = 50;
    relay.backoff_max_ms = 400;
    relay.idle_poll_ms = 50;
    EdgeConfig config;
    config.rate_per_second = 0;
    StartEdge(config, relay);
  }

  // Waits (bounded) until the outbox is drained.
  bool Drained(int seconds = 20) {
    for (int i = 0; i < seconds * 20; ++i) {
      if (server_->outbox().Backlog() == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::vector<std::string> Rate(const std::string& prefix, int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      auto res = Post({{"ticket", Ticket(Claims(prefix + std::to_string(i)))}, {"satisfaction", 1 + i % 5},
                       {"comment", "评价"}}, prefix + std::to_string(i));
      EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no answer");
      if (res && res->status == 201) ids.push_back(Json::parse(res->body)["id"]);
    }
    return ids;
  }

  SigningKey edge_key_;
};

TEST_F(RelayTest, AcceptedRatingsReachTheCentreOnce) {
  const int port = FreePort();
  StartRelayingEdge(port);
  Centre centre;
  centre.Start(port, {edge_key_.pub}, TempDir("centre"));
  Rate("A-", 40);
  ASSERT_TRUE(Drained());
  auto stats = centre.Stats();
  EXPECT_EQ(stats.all.Total(), 40);
  EXPECT_EQ(stats.rejected, 0);
  EXPECT_EQ(stats.all.Count(Level::VerySatisfied), 8);
  EXPECT_EQ(server_->relay()->relayed(), 40);
}

TEST_F(RelayTest, CentreDownTheEdgeKeepsAcceptingThenDrains) {
  const int port = FreePort();
  StartRelayingEdge(port);
  Rate("B-", 30);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server_->outbox().Backlog(), 30);
  auto metrics = Client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("hcp_outbox_backlog 30"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hcp_relay_connected 0"), std::string::npos);
  EXPECT_GT(server_->relay()->failures(), 0);

  Centre centre;
  centre.Start(port, {edge_key_.pub}, TempDir("centre"));
  Rate("B2-", 5);
  ASSERT_TRUE(Drained());
  EXPECT_EQ(centre.Stats().all.Total(), 35);
  EXPECT_NE(Client().Get("/metrics")->body.find("hcp_relay_connected 1"), std::string::npos);
}

// A rating the centre cannot count, in the middle of a backlog (an edge of another version, a
// damaged outbox row: here its claims have a version the centre does not know). It must not hold
// back the ratings behind it, and must not be lost: every valid rating reaches the centre once,
// the invalid one is kept there as rejected with its reason, and the edge records and counts it.
// Before, the centre refused the whole batch as ingest.invalid and the relay sent it for ever.
class InvalidInBacklogTest : public RelayTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(InvalidInBacklogTest, IsKeptAsRejectedWithItsReasonAndEveryValidRatingArrivesOnce) {
  central::testing::TestDatabase pg;
  if (GetParam() == "postgresql") ASSERT_NO_FATAL_FAILURE(pg.Create());
  const int port = FreePort();
  StartRelayingEdge(port);  // the centre is down: a backlog builds
  auto ids = Rate("INV-A-", 300);
  {
    std::string error;
    auto db = sql::Db::Open((dir_ / "outbox.db").string(), {}, error);
    ASSERT_TRUE(db) << error;
    auto insert = db->Prepare(
        "INSERT INTO ratings (id, request_hash, case_id, assess, kid, claims, rating, satisfaction, received_at_ms) "
        "VALUES ('r-invalid-1', 'h', 'INV-X', 1, 'k', '{\"case\":\"INV-X\",\"assess\":1,\"v\":9}', "
        "'{\"satisfaction\":3}', 3, 1)");
    ASSERT_TRUE(insert);
    ASSERT_EQ(insert->Step(), SQLITE_DONE) << db->LastError();
  }
  const auto more = Rate("INV-B-", 300);
  ids.insert(ids.end(), more.begin(), more.end());
  ASSERT_EQ(ids.size(), 600u);
  EXPECT_EQ(server_->outbox().Backlog(), 601);

  Centre centre;
  centre.Start(port, {edge_key_.pub}, TempDir("centre"), pg.url());
  ASSERT_TRUE(Drained(30)) << "backlog left: " << server_->outbox().Backlog();

  // At the centre: every valid rating once, the invalid one apart, with its reason and detail.
  auto stats = centre.Stats();
  EXPECT_EQ(stats.all.Total(), 600);
  EXPECT_EQ(stats.rejected, 1);
  EXPECT_EQ(stats.rejected_by_reason, (std::map<std::string, int64_t>{{"ingest.rating_invalid", 1}}));
  for (int i = 0; i < 300; ++i)
    for (const char* prefix : {"INV-A-", "INV-B-"}) {
      auto claims = centre.server->store().RatingClaims(prefix + std::to_string(i), 1);
      ASSERT_TRUE(claims && *claims) << prefix << i;
    }
  const std::string kept_sql = "SELECT reason || ' ' || case_id || ' ' || detail FROM rejected WHERE id = 'r-invalid-1'";
  std::string kept;
  if (GetParam() == "postgresql") {
    kept = pg.Value(kept_sql);
  } else {
    std::string error;
    auto db = sql::Db::Open((centre.dir / "central.db").string(), {}, error);
    ASSERT_TRUE(db) << error;
    auto q = db->Prepare(kept_sql);
    ASSERT_TRUE(q && q->Step() == SQLITE_ROW);
    kept = q->Text(0);
  }
  EXPECT_EQ(kept.rfind("ingest.rating_invalid INV-X claims", 0), 0u) << kept;
  auto centre_metrics = httplib::Client("127.0.0.1", port).Get("/metrics")->body;
  EXPECT_NE(centre_metrics.find("hcp_ingest_invalid_total 1\n"), std::string::npos) << centre_metrics;

  // At the edge: the row is settled as rejected, with the reason and what is wrong, and counted.
  auto outcome = server_->outbox().RelayOutcome("r-invalid-1");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, "rejected");
  EXPECT_EQ(outcome->reason, "ingest.rating_invalid");
  EXPECT_EQ(outcome->detail.rfind("claims", 0), 0u) << outcome->detail;
  for (const auto& id : ids) {
    auto stored = server_->outbox().RelayOutcome(id);
    ASSERT_TRUE(stored) << id;
    EXPECT_EQ(stored->status, "stored") << id;
  }
  auto metrics = Client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("hcp_relay_invalid_total 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hcp_relay_already_rated_total 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("hcp_relay_connected 1"), std::string::npos) << metrics;
}

INSTANTIATE_TEST_SUITE_P(Stores, InvalidInBacklogTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// Two lanes: while the first batch is slow at the centre, the second fails. The second is sent
// again, and the first, still in flight, is not sent a second time: the relay used to go back to
// the oldest row and send it again (harmless at the centre, which stores a replay once, but the
// batch was counted twice in both sides' metrics). A stand-in centre holds the first batch and
// refuses the second once.
TEST_F(RelayTest, ABatchThatFailsIsSentAgainButNotOneStillInFlight) {
  const int port = FreePort();
  StartRelayingEdge(port, 50);  // two batches of 50
  const auto ids = Rate("FLY-", 100);
  ASSERT_EQ(ids.size(), 100u);

  std::mutex mu;
  std::map<std::string, int> answered;  // id -> times answered "stored"
  bool held = false, refused = false;
  httplib::Server centre;
  centre.Post("/api/v1/ingest", [&](const httplib::Request& req, httplib::Response& res) {
    const Json batch = Json::parse(req.body);
    const std::string first = batch["ratings"][0]["id"];
    bool hold = false;
    {
      std::lock_guard lock(mu);
      if (first == ids[50] && !refused) {
        refused = true;
        res.status = 503;
        return;
      }
      if (first == ids[0] && !held) hold = held = true;
    }
    if (hold) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    Json results = Json::array();
    std::lock_guard lock(mu);
    for (const auto& r : batch["ratings"]) {
      ++answered[r["id"].get<std::string>()];
      results.push_back({{"id", r["id"]}, {"status", "stored"}});
    }
    res.set_content(Dump(Json{{"results", results}}), "application/json");
  });
  ASSERT_TRUE(centre.bind_to_port("127.0.0.1", port));
  std::thread serving([&] { centre.listen_after_bind(); });
  const bool drained = Drained(20);
  centre.stop();
  serving.join();
  ASSERT_TRUE(drained) << "backlog left: " << server_->outbox().Backlog();
  ASSERT_TRUE(held && refused) << "the stand-in centre saw the first batch held and the second refused";
  ASSERT_EQ(answered.size(), 100u);
  for (const auto& [id, times] : answered) EXPECT_EQ(times, 1) << id << " was sent again while in flight";
  EXPECT_EQ(server_->relay()->relayed(), 100);
}

class TwoEdgesTest : public ::testing::Test {};

TEST_F(TwoEdgesTest, FirstRatingOfACaseWinsAndTheOtherEdgeLearnsItWasRejected) {
  const int port = FreePort();
  const SigningKey issuer = GenerateSigningKey();
  auto make_edge = [&](const std::string& name, const SigningKey& edge_key) {
    TicketVerifier v;
    v.Trust(issuer.pub);
    EdgeConfig config;
    config.listen_port = 0;
    config.data_dir = TempDir(name).string();
    config.access_log = false;
    RelayConfig relay{"http://127.0.0.1:" + std::to_string(port), edge_key};
    relay.idle_poll_ms = 50;
    std::string error;
    auto e = EdgeServer::Create(config, ReasonCatalogue::Embedded().value(),
                                [v](std::string_view t, int64_t now) { return v.Verify(t, now); }, error, relay);
    EXPECT_TRUE(e && e->Bind()) << error;
    return e;
  };
  const SigningKey key_a = GenerateSigningKey(), key_b = GenerateSigningKey();
  auto a = make_edge("edge-a", key_a), b = make_edge("edge-b", key_b);
  std::thread ta([&] { a->Run(); }), tb([&] { b->Run(); });
  const std::string ticket = *IssueTicket(Claims("SAME-CASE"), issuer, std::nullopt);
  const std::string body = Dump(Json{{"ticket", ticket}, {"satisfaction", 5}});
  auto ra = httplib::Client("127.0.0.1", a->port()).Post("/api/v1/ratings", body, "application/json");
  ASSERT_EQ(ra->status, 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto rb = httplib::Client("127.0.0.1", b->port()).Post("/api/v1/ratings", body, "application/json");
  ASSERT_EQ(rb->status, 201) << "each edge only knows its own outbox";

  Centre centre;
  centre.Start(port, {key_a.pub, key_b.pub}, TempDir("centre"));
  for (int i = 0; i < 400 && (a->outbox().Backlog() + b->outbox().Backlog()) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto stats = centre.Stats();
  EXPECT_EQ(stats.all.Total(), 1);
  EXPECT_EQ(stats.rejected, 1);

  // The edge whose rating lost knows it: its outbox row says rejected, with the reason.
  const std::string id_a = Json::parse(ra->body)["id"], id_b = Json::parse(rb->body)["id"];
  auto outcome_a = a->outbox().RelayOutcome(id_a), outcome_b = b->outbox().RelayOutcome(id_b);
  ASSERT_TRUE(outcome_a && outcome_b);
  // "First" is the first to reach the centre: both edges relay when it comes up, so either may win.
  const RelayAck& won = outcome_a->status == "stored" ? *outcome_a : *outcome_b;
  const RelayAck& lost = outcome_a->status == "stored" ? *outcome_b : *outcome_a;
  EXPECT_EQ(won.status, "stored");
  EXPECT_EQ(lost.status, "rejected");
  EXPECT_EQ(lost.reason, "rating.already_rated");
  a->Stop();
  b->Stop();
  ta.join();
  tb.join();
}

// The ingest API itself: signed by a trusted edge, fresh, and replay-safe.
TEST(IngestApi, RefusesUnsignedUnknownStaleAndTamperedBatchesAndStoresReplaysOnce) {
  const SigningKey edge = GenerateSigningKey(), issuer = GenerateSigningKey();
  Centre centre;
  centre.Start(0, {edge.pub}, TempDir("centre"));
  httplib::Client c("127.0.0.1", centre.server->port());
  const Json claims = TicketClaimsToJson(ParseTicketClaims([&] {
    Json j = Claims("ING-1");
    j["kid"] = issuer.pub.kid;
    return j;
  }()).value());
  const std::string body = Dump(Json{{"edge", edge.pub.kid},
                                     {"ratings", {{{"id", "r-test-1"}, {"claims", claims}, {"rating", {{"satisfaction", 4}}},
                                                   {"satisfaction", 4}, {"received_at_ms", 1}}}}});
  auto post = [&](const SigningKey& key, int64_t ts, const std::string& sent_body) {
    const std::string t = std::to_string(ts);
    const std::string auth = "HCP-Edge-Ed25519 kid=" + key.pub.kid + ",ts=" + t + ",sig=" +
                             SignDetached(IngestSigningInput(t, body), key);
    return c.Post("/api/v1/ingest", {{"Authorization", auth}}, sent_body, "application/json");
  };
  auto unsigned_res = c.Post("/api/v1/ingest", body, "application/json");
  EXPECT_EQ(unsigned_res->status, 401);
  EXPECT_EQ(FirstErrorId(unsigned_res), "ingest.unauthorized");
  auto stranger = post(GenerateSigningKey(), NowUnix(), body);
  EXPECT_EQ(stranger->status, 403);
  EXPECT_EQ(FirstErrorId(stranger), "ingest.unknown_edge");
  auto stale = post(edge, NowUnix() - 3600, body);
  EXPECT_EQ(stale->status, 401);
  EXPECT_EQ(FirstErrorId(stale), "ingest.stale");
  std::string tampered = body;
  tampered.replace(tampered.find("\"satisfaction\":4"), 16, "\"satisfaction\":1");
  auto forged = post(edge, NowUnix(), tampered);
  EXPECT_EQ(forged->status, 401);
  EXPECT_EQ(centre.Stats().all.Total(), 0);

  for (int i = 0; i < 3; ++i) {
    auto ok = post(edge, NowUnix(), body);
    ASSERT_EQ(ok->status, 200) << ok->body;
    EXPECT_EQ(Json::parse(ok->body)["results"][0]["status"], "stored");
  }
  EXPECT_EQ(centre.Stats().all.Total(), 1) << "a replayed batch stores nothing twice";
}

// The centre stores each rating's claims and rating as received: whatever the layout of the
// body, what is stored is what its parser read, also where a key is written with escapes.
TEST(IngestApi, StoresTheClaimsAndRatingTheParserRead) {
  const SigningKey edge = GenerateSigningKey(), issuer = GenerateSigningKey();
  Centre centre;
  centre.Start(0, {edge.pub}, TempDir("centre"));
  httplib::Client c("127.0.0.1", centre.server->port());
  auto claims_of = [&](const std::string& case_id) {
    Json j = Claims(case_id);
    j["kid"] = issuer.pub.kid;
    return TicketClaimsToJson(ParseTicketClaims(j).value());
  };
  auto post = [&](const std::string& body) {
    const std::string t = std::to_string(NowUnix());
    const std::string auth = "HCP-Edge-Ed25519 kid=" + edge.pub.kid + ",ts=" + t + ",sig=" +
                             SignDetached(IngestSigningInput(t, body), edge);
    return c.Post("/api/v1/ingest", {{"Authorization", auth}}, body, "application/json");
  };
  const Json rating = {{"satisfaction", 4}, {"comment", "好"}};
  const Json pretty_claims = claims_of("SPAN-1");
  const std::string pretty = Dump(Json{{"edge", edge.pub.kid},
                                       {"ratings", {{{"id", "r-span-1"}, {"claims", pretty_claims}, {"rating", rating},
                                                     {"satisfaction", 4}, {"received_at_ms", 1}}}}},
                                  2);
  auto first = post(pretty);
  ASSERT_EQ(first->status, 200) << first->body;
  auto stored = centre.server->store().RatingClaims("SPAN-1", 1);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ(*ParseJson(**stored), pretty_claims);

  // Two "claims" members, the second spelt with an escape: the parser keeps the second.
  const Json decoy = claims_of("SPAN-DECOY"), kept = claims_of("SPAN-2");
  const std::string escaped = "{\"edge\":\"" + edge.pub.kid + "\",\"ratings\":[{\"id\":\"r-span-2\",\"claims\":" +
                              Dump(decoy) + ",\"\\u0063laims\":" + Dump(kept) + ",\"rating\":" + Dump(rating) +
                              ",\"satisfaction\":4,\"received_at_ms\":1}]}";
  auto second = post(escaped);
  ASSERT_EQ(second->status, 200) << second->body;
  stored = centre.server->store().RatingClaims("SPAN-2", 1);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ(*ParseJson(**stored), kept);
  EXPECT_EQ(centre.Stats().all.Total(), 2);
}

}  // namespace
}  // namespace hcp::edge::testing
