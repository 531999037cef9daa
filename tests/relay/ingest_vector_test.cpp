// The worked example of docs/relay.md: one signed batch, byte for byte. Ed25519 is
// deterministic, so an integrator who reimplements the edge's side (or the centre's) can check
// their bytes against these; the test keeps the page and the code from drifting apart.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>

#include "../edge/edge_test_support.h"
#include "central_server.h"
#include "relay.h"

namespace hcp::edge::testing {
namespace {

// Edge key seed: bytes 0x21..0x40.
constexpr const char* kEdgeKeyFile = "ISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0A=\n";  // edge.key
constexpr const char* kEdgePubFile = "5/FioQvsVZr+oZXk3OhLaVaNXSywlj60RsBoXisX8vA=\n";  // edge.pub
constexpr const char* kEdgeKid = "c945cbf2a5602002";
constexpr const char* kTimestamp = "1795435200";  // 2026-11-23T12:00:00Z
// One rating: the claims of the ticket test vector (docs/integration.md), as the edge verified them.
constexpr const char* kBody =
    R"({"edge":"EDGEKID","ratings":[{"assess":1,"case":"SR2026112000123","claims":{"area":"361100","assess":1,"case":"SR2026112000123","channel":"qr","evaluator":{"kind":"person","name":"张*","sub":"u-7f3a9c"},"exp":"2026-12-20T10:00:00+08:00","finished_at":"2026-11-20T10:00:00+08:00","item":"000105001000","item_name":"道路运输经营许可","kid":"65b60673d6ed884b","unit":"11361100MB1234567X","unit_name":"上饶市交通运输局","v":1,"window":"A07"},"id":"r-1a20846fe7b5d0c9e8f7a6b5c43","kid":"65b60673d6ed884b","rating":{"comment":"等了很久","dimensions":{},"public":false,"reasons":["203"],"satisfaction":2},"received_at_ms":1795435200123,"satisfaction":2}]})";
constexpr const char* kSignature = "y6CoNNYEyszzW4W_Js6mcKG1yKq1NGTPQqX-EBeF97VVAfBQV7F6vEmgLBbAVmIdUhyi1ZKZ6Dkjn8yw4I0tCA";
constexpr const char* kAnswer = R"({"results":[{"id":"r-1a20846fe7b5d0c9e8f7a6b5c43","status":"stored"}]})";

Key32 EdgeSeed() {
  Key32 seed;
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(0x21 + i);
  return seed;
}

std::string Body() {
  std::string body = kBody;
  body.replace(body.find("EDGEKID"), 7, kEdgeKid);
  return body;
}

TEST(IngestVector, MatchesTheDocumentedWorkedExample) {
  const SigningKey key = SigningKeyFromSeed(EdgeSeed());
  EXPECT_EQ(EncodeKeyFile(key.seed), kEdgeKeyFile);
  EXPECT_EQ(EncodeKeyFile(key.pub.bytes), kEdgePubFile);
  EXPECT_EQ(key.pub.kid, kEdgeKid);
  const std::string body = Body();
  EXPECT_EQ(IngestSigningInput(kTimestamp, body), std::string("hcp-ingest-v1\n") + kTimestamp + "\n" + body);
  EXPECT_EQ(SignDetached(IngestSigningInput(kTimestamp, body), key), kSignature);

  // The centre takes it (its clock check widened: the example's timestamp is fixed), stores it
  // once, and answers the documented bytes, the second time too.
  const auto dir = TempDir("ingest-vector");
  std::string error;
  auto store = central::OpenSqliteStore(dir.string(), error);
  ASSERT_TRUE(store) << error;
  central::CentralConfig config;
  config.listen_port = 0;
  config.max_clock_skew_s = 1 << 30;
  central::CentralServer centre(config, std::move(store), {key.pub});
  ASSERT_TRUE(centre.Bind());
  std::thread run([&] { centre.Run(); });
  httplib::Client c("127.0.0.1", centre.port());
  const std::string auth = std::string("HCP-Edge-Ed25519 kid=") + kEdgeKid + ",ts=" + kTimestamp + ",sig=" + kSignature;
  for (int i = 0; i < 2; ++i) {
    auto res = c.Post("/api/v1/ingest", {{"Authorization", auth}}, body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->body, kAnswer);
  }
  EXPECT_EQ(centre.store().StatsSummary().value().all.Total(), 1);
  centre.Stop();
  run.join();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hcp::edge::testing
