// The edge through real HTTP on a loopback port, with a real SQLite outbox.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "edge_test_support.h"

namespace hcp::edge::testing {
namespace {

// Sends each part in turn on one connection, reading after each until the server closes it or
// goes quiet for `quiet_ms`: what a client, or an attacker behind a proxy, sees on the wire.
// (Parts are not pipelined: httplib drops bytes it read ahead past the end of a request.)
std::string RawExchange(int port, const std::vector<std::string>& parts, int quiet_ms = 1000) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "(connect failed)";
  }
  std::string got;
  bool open = true;
  for (const std::string& bytes : parts) {
    if (!open) break;
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may close before taking everything: that is allowed
      sent += static_cast<size_t>(n);
    }
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, quiet_ms) <= 0) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        open = false;
        break;
      }
      got.append(buf, static_cast<size_t>(n));
    }
  }
  if (open) got += "(still open)";
  ::close(fd);
  return got;
}

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class EdgeServerTest : public EdgeFixture {
 protected:
  void SetUp() override { StartEdge(); }

  Json GoodRating(const std::string& case_id) {
    return Json{{"ticket", Ticket(Claims(case_id))}, {"satisfaction", 5}, {"reasons", {"101"}},
                {"comment", "办得很快"}, {"public", true}};
  }
};

TEST_F(EdgeServerTest, FormDescribesTheCaseForTheWidget) {
  auto res = Client().Get(("/api/v1/form?ticket=" + Ticket(Claims("C-form"))).c_str());
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  auto j = Json::parse(res->body);
  EXPECT_EQ(j["item_name"], "个体工商户设立登记");
  EXPECT_EQ(j["unit_name"], "杭州市市场监督管理局");
  EXPECT_EQ(j["levels"].size(), 5u);
  EXPECT_EQ(j["already_rated"], false);
  EXPECT_EQ(j["limits"]["comment_max"], 500);
  EXPECT_EQ(j["evaluator_name"], "张*");
}

TEST_F(EdgeServerTest, FormWithoutTicketIsUnauthorized) {
  auto res = Client().Get("/api/v1/form");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(FirstErrorId(res), "ticket.malformed");
}

TEST_F(EdgeServerTest, AcceptedRatingIsStoredAndAnswered201) {
  auto res = Post(GoodRating("C-1"), "key-1");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 201) << res->body;
  auto j = Json::parse(res->body);
  EXPECT_EQ(j["case"], "C-1");
  EXPECT_EQ(j["satisfaction"], 5);
  EXPECT_EQ(j["id"].get<std::string>().rfind("r-", 0), 0u);
  EXPECT_EQ(server_->outbox().Count(), 1);
  EXPECT_EQ(server_->outbox().Backlog(), 1);
  auto form = Client().Get(("/api/v1/form?ticket=" + Ticket(Claims("C-1"))).c_str());
  EXPECT_EQ(Json::parse(form->body)["already_rated"], true);
}

TEST_F(EdgeServerTest, SameIdempotencyKeyReplaysTheOriginalAnswer) {
  const Json body = GoodRating("C-2");
  auto first = Post(body, "key-2");
  auto again = Post(body, "key-2");
  ASSERT_TRUE(first && again);
  ASSERT_EQ(first->status, 201);
  EXPECT_EQ(again->status, 201);
  EXPECT_EQ(Json::parse(first->body)["id"], Json::parse(again->body)["id"]);
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(server_->outbox().Count(), 1);
}

TEST_F(EdgeServerTest, SameKeyForADifferentRatingIsRefused) {
  ASSERT_EQ(Post(GoodRating("C-3"), "key-3")->status, 201);
  auto other = Post(GoodRating("C-4"), "key-3");
  EXPECT_EQ(other->status, 422);
  EXPECT_EQ(FirstErrorId(other), "rating.idempotency_conflict");
  EXPECT_EQ(server_->outbox().Count(), 1);
}

TEST_F(EdgeServerTest, SecondRatingForTheSameCaseIsAConflictWithTheExistingId) {
  auto first = Post(GoodRating("C-5"), "key-5a");
  auto second = Post(GoodRating("C-5"), "key-5b");
  ASSERT_EQ(first->status, 201);
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(FirstErrorId(second), "rating.already_rated");
  EXPECT_EQ(Json::parse(second->body)["id"], Json::parse(first->body)["id"]);
  // The one follow-up rating (追评) is a separate assess number and is accepted.
  Json followup = GoodRating("C-5");
  followup["ticket"] = Ticket(Claims("C-5", "pc", 2));
  EXPECT_EQ(Post(followup, "key-5c")->status, 201);
}

TEST_F(EdgeServerTest, ValidationErrorsAre422WithEveryErrorAndTheCliIds) {
  Json body = {{"ticket", Ticket(Claims("C-6"))}, {"satisfaction", 1}, {"reasons", {"999"}},
               {"comment", std::string(600, 'x')}};
  auto res = Post(body);
  ASSERT_EQ(res->status, 422);
  auto errors = Json::parse(res->body)["errors"];
  std::set<std::string> ids;
  for (const auto& e : errors) ids.insert(e["id"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"rating.reason_unknown", "rating.comment_too_long"}));
  auto missing = Post({{"ticket", Ticket(Claims("C-6"))}, {"satisfaction", 2}});
  EXPECT_EQ(missing->status, 422);
  EXPECT_EQ(FirstErrorId(missing), "rating.reason_required");
  // An offline tag on an online channel: the channel comes from the ticket.
  auto hall_tag = Post({{"ticket", Ticket(Claims("C-6"))}, {"satisfaction", 2}, {"reasons", {"210"}}});
  EXPECT_EQ(FirstErrorId(hall_tag), "rating.reason_not_for_channel");
  EXPECT_EQ(server_->outbox().Count(), 0);
}

TEST_F(EdgeServerTest, BadTicketsAreRefusedWithDistinctIds) {
  auto with_ticket = [&](const std::string& t) {
    return Post({{"ticket", t}, {"satisfaction", 5}});
  };
  const std::string good = Ticket(Claims("C-7"));
  std::string tampered = good;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  auto res = with_ticket(tampered);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(FirstErrorId(res), "ticket.bad_signature");

  res = with_ticket("not-a-ticket");
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(FirstErrorId(res), "ticket.malformed");

  auto stranger = IssueTicket(Claims("C-7"), GenerateSigningKey(), std::nullopt);
  res = with_ticket(*stranger);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(FirstErrorId(res), "ticket.unknown_key");

  Json expired = Claims("C-7");
  expired["exp"] = FormatRfc3339(NowUnix() - 60, 480);
  res = with_ticket(Ticket(expired));
  EXPECT_EQ(res->status, 410);
  EXPECT_EQ(FirstErrorId(res), "ticket.expired");

  res = Post({{"satisfaction", 5}});
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(server_->outbox().Count(), 0);
}

TEST_F(EdgeServerTest, OversizedBodiesAre413AndStoreNothing) {
  Json big = GoodRating("C-8");
  big["comment"] = std::string(70 * 1024, 'a');
  auto res = Post(big);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);

  // Chunked: no Content-Length for httplib's own cap to see.
  const std::string text = Dump(big);
  size_t offset = 0;
  auto chunked = Client().Post(
      "/api/v1/ratings",
      [&](size_t, httplib::DataSink& sink) {
        const size_t n = std::min<size_t>(4096, text.size() - offset);
        sink.write(text.data() + offset, n);
        offset += n;
        if (offset == text.size()) sink.done();
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked) << httplib::to_string(chunked.error());
  EXPECT_EQ(chunked->status, 413);
  EXPECT_EQ(server_->outbox().Count(), 0);
}

TEST_F(EdgeServerTest, AnOversizedBodyIsReadToItsEndSoTheNextRequestIsReallyTheNext) {
  // 70 KB over a 64 KB cap: read and thrown away, the 413 arrives, the connection carries on.
  const std::string body(70 * 1024, 'a');
  const std::string wire = "POST /api/v1/ratings HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string got = RawExchange(server_->port(), {wire, "GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n"});
  EXPECT_EQ(got.rfind("HTTP/1.1 413", 0), 0u) << got.substr(0, 200);
  EXPECT_EQ(CountOf(got, "HTTP/1.1 "), 2) << got;
  EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  EXPECT_EQ(server_->outbox().Count(), 0);
}

TEST_F(EdgeServerTest, AnUnreadBodyIsNeverParsedAsAnotherRequest) {
  // A declared length far beyond what the edge will drain: answered at once, connection closed;
  // the "body" carrying a request of its own (smuggling through a proxy) is never run.
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n";
  const std::string huge = "POST /api/v1/ratings HTTP/1.1\r\nHost: edge\r\nContent-Length: 50000000\r\n\r\n" + smuggled;
  std::string got = RawExchange(server_->port(), {huge});
  EXPECT_EQ(got.rfind("HTTP/1.1 413", 0), 0u) << got.substr(0, 200);
  EXPECT_EQ(CountOf(got, "HTTP/1.1 "), 1) << got;
  EXPECT_EQ(got.find("(still open)"), std::string::npos) << "the connection must be closed";

  // A body where none belongs (here chunked, which httplib would buffer without a cap).
  const std::string chunk = smuggled;
  char size_hex[16];
  std::snprintf(size_hex, sizeof size_hex, "%zx", chunk.size());
  got = RawExchange(server_->port(), {"GET /api/v1/form?ticket=x HTTP/1.1\r\nHost: edge\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                      std::string(size_hex) + "\r\n" + chunk + "\r\n0\r\n\r\n"});
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got.substr(0, 200);
  EXPECT_NE(got.find("request.body_not_allowed"), std::string::npos) << got;
  EXPECT_EQ(CountOf(got, "HTTP/1.1 "), 1) << got;
  EXPECT_EQ(got.find("(still open)"), std::string::npos) << "the connection must be closed";
}

TEST_F(EdgeServerTest, AWrongMethodIs405WithAllow) {
  auto res = Client().Get("/api/v1/ratings");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "POST, OPTIONS");
  EXPECT_EQ(FirstErrorId(res), "request.method_not_allowed");
  auto post = Client().Post("/api/v1/form", "", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
}

TEST_F(EdgeServerTest, GzipBombIsCappedAtTheDecodedSize) {
  // 50 MB of spaces inside a valid JSON string compresses to ~50 KB.
  Json bomb = GoodRating("C-9");
  bomb["comment"] = std::string(50 * 1024 * 1024, ' ');
  const std::string plain = Dump(bomb);
  uLongf size = compressBound(plain.size());
  std::string gz(size + 32, '\0');
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = plain.size();
  zs.next_out = reinterpret_cast<Bytef*>(gz.data());
  zs.avail_out = gz.size();
  ASSERT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  gz.resize(zs.total_out);
  deflateEnd(&zs);
  ASSERT_LT(gz.size(), 64u * 1024) << "the compressed body must pass the declared-length cap";

  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  auto res = Client().Post("/api/v1/ratings", headers, gz, "application/json");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(server_->outbox().Count(), 0);
}

TEST_F(EdgeServerTest, MalformedBodiesAre400AndStoreNothing) {
  auto post_text = [&](const std::string& text) { return Client().Post("/api/v1/ratings", text, "application/json"); };
  auto deep = post_text(std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_EQ(deep->status, 400);
  EXPECT_EQ(FirstErrorId(deep), "request.too_deep");
  auto utf8 = post_text("{\"satisfaction\": 5, \"comment\": \"\xC3\x28\"}");
  EXPECT_EQ(utf8->status, 400);
  EXPECT_EQ(FirstErrorId(utf8), "request.invalid_utf8");
  auto broken = post_text("{\"satisfaction\": ");
  EXPECT_EQ(broken->status, 400);
  EXPECT_EQ(FirstErrorId(broken), "request.invalid_json");
  auto key = Post(GoodRating("C-10"), std::string(200, 'k'));
  EXPECT_EQ(key->status, 400);
  EXPECT_EQ(FirstErrorId(key), "request.idempotency_key_invalid");
  EXPECT_EQ(server_->outbox().Count(), 0);
  // Still serving.
  EXPECT_EQ(Client().Get("/healthz")->status, 200);
}

TEST_F(EdgeServerTest, ManyClientsRatingOneCaseGetExactlyOne201) {
  const Json body = GoodRating("C-race");
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 24; ++i) {
    clients.emplace_back([&, i] {
      auto res = Post(body, "race-" + std::to_string(i));
      if (res && res->status == 201) ++created;
      else if (res && res->status == 409) ++conflicts;
      else {
        ++other;
        ADD_FAILURE() << (res ? std::to_string(res->status) + " " + res->body : httplib::to_string(res.error()));
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(conflicts, 23);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(server_->outbox().Count(), 1);
}

TEST_F(EdgeServerTest, CorsOnlyForConfiguredOriginsAndNeverCredentials) {
  httplib::Headers allowed = {{"Origin", "https://www.example.gov.cn"},
                              {"Access-Control-Request-Method", "POST"},
                              {"Access-Control-Request-Headers", "content-type,idempotency-key"}};
  auto pre = Client().Options("/api/v1/ratings", allowed);
  ASSERT_TRUE(pre);
  EXPECT_EQ(pre->status, 204);
  EXPECT_NE(pre->get_header_value("Access-Control-Allow-Methods").find("POST"), std::string::npos);
  EXPECT_NE(pre->get_header_value("Access-Control-Allow-Headers").find("Idempotency-Key"), std::string::npos);

  auto get = Client().Get("/healthz", allowed);
  EXPECT_EQ(get->get_header_value("Access-Control-Allow-Origin"), "https://www.example.gov.cn");
  EXPECT_FALSE(get->has_header("Access-Control-Allow-Credentials"));

  httplib::Headers evil = {{"Origin", "https://evil.example.com"}, {"Access-Control-Request-Method", "POST"}};
  auto denied = Client().Options("/api/v1/ratings", evil);
  EXPECT_EQ(denied->status, 403);
  EXPECT_FALSE(denied->has_header("Access-Control-Allow-Origin"));
  auto evil_get = Client().Get("/healthz", evil);
  EXPECT_FALSE(evil_get->has_header("Access-Control-Allow-Origin"));
}

TEST_F(EdgeServerTest, MetricsCountRequestsAndShowTheBacklog) {
  ASSERT_EQ(Post(GoodRating("C-11"), "key-11")->status, 201);
  auto res = Client().Get("/metrics");
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("hcp_http_requests_total{route=\"/api/v1/ratings\",status=\"201\"} 1"), std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("hcp_http_request_duration_seconds_bucket{route=\"/api/v1/ratings\",le=\"+Inf\"} 1"),
            std::string::npos);
  EXPECT_NE(res->body.find("hcp_outbox_backlog 1"), std::string::npos);
  EXPECT_NE(res->body.find("# TYPE hcp_outbox_commits_total counter"), std::string::npos);
  EXPECT_NE(res->body.find("# TYPE hcp_outbox_backlog gauge"), std::string::npos);
  EXPECT_EQ(Client().Get("/readyz")->status, 200);
}

TEST_F(EdgeServerTest, TooManyHeadersAre431) {
  httplib::Headers headers;
  for (int i = 0; i < 150; ++i) headers.emplace("X-Filler-" + std::to_string(i), "x");
  auto res = Client().Get("/healthz", headers);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 431);
  EXPECT_EQ(FirstErrorId(res), "request.too_many_headers");
  EXPECT_EQ(Client().Get("/healthz")->status, 200);
}

TEST_F(EdgeServerTest, UnknownRoutesGetTheErrorShape) {
  auto res = Client().Get("/nope");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(FirstErrorId(res), "request.not_found");
}

class RateLimitedEdgeTest : public EdgeFixture {};

TEST_F(RateLimitedEdgeTest, TooManyRequestsGet429WithRetryAfter) {
  EdgeConfig config;
  config.rate_per_second = 1;
  config.rate_burst = 3;
  StartEdge(config);
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    auto res = Client().Get("/api/v1/form");
    if (res->status == 429) {
      ++limited;
      retry_after = res->get_header_value("Retry-After");
      EXPECT_EQ(FirstErrorId(res), "request.rate_limited");
    }
  }
  EXPECT_GE(limited, 2);
  EXPECT_GE(std::atoi(retry_after.c_str()), 1);
  EXPECT_EQ(Client().Get("/healthz")->status, 200) << "health checks are not rate limited";
}

class FullDiskEdgeTest : public EdgeFixture {};

TEST_F(FullDiskEdgeTest, FullStorageIs503AndKeepsWhatWasAccepted) {
  EdgeConfig config;
  config.max_page_count = 40;  // a few dozen ratings fit
  config.rate_per_second = 0;
  StartEdge(config);
  std::vector<std::string> accepted;
  int full = 0;
  for (int i = 0; i < 400 && full == 0; ++i) {
    Json body = {{"ticket", Ticket(Claims("D-" + std::to_string(i)))}, {"satisfaction", 4},
                 {"comment", std::string(400, 'c')}};
    auto res = Post(body, "d-" + std::to_string(i));
    ASSERT_TRUE(res);
    if (res->status == 201) accepted.push_back(Json::parse(res->body)["id"]);
    else if (res->status == 503) {
      ++full;
      EXPECT_EQ(FirstErrorId(res), "server.storage_full");
    } else {
      FAIL() << res->status << " " << res->body;
    }
  }
  EXPECT_EQ(full, 1);
  EXPECT_GT(accepted.size(), 3u);
  EXPECT_EQ(server_->outbox().Count(), static_cast<int64_t>(accepted.size()));
}

}  // namespace
}  // namespace hcp::edge::testing
