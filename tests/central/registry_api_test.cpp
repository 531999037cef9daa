// The case registry through real HTTP: a centre on a loopback port with a real SQLite file, API
// keys created as an operator would, tickets issued and their short links resolved at the centre
// and through a real edge.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <iterator>
#include <set>

#include "../edge/edge_test_support.h"
#include "api_key.h"
#include "central_server.h"
#include "contact_unsealer.h"
#include "test_database.h"

namespace hcp::edge::testing {
namespace {

constexpr const char* kPhone = "13800138000";

Json CaseBody(const std::string& case_id) {
  return Json{{"case", case_id},
              {"item", "000105001000"},
              {"item_name", "道路运输经营许可"},
              {"unit", "11361100MB1234567X"},
              {"unit_name", "上饶市交通运输局"},
              {"area", "361100"},
              {"window", "W-07"},
              {"channel", "qr"},
              {"finished_at", FormatRfc3339(NowUnix() - 600, 480)},
              {"evaluator", {{"sub", "u-" + case_id}, {"kind", "person"}, {"name", "张*"}, {"phone", kPhone}}}};
}

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file of a folder (the database, its WAL), concatenated.
std::string FolderBytes(const std::filesystem::path& dir) {
  std::string all;
  for (const auto& f : std::filesystem::directory_iterator(dir))
    if (f.is_regular_file()) all += FileBytes(f.path());
  return all;
}

// A port nothing listens on yet (the centre starts there after the edge that points to it).
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

std::set<std::string> ErrorFields(const std::string& body) {
  std::set<std::string> fields;
  auto j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("errors")) return fields;
  for (const auto& e : j["errors"]) fields.insert(e["field"].get<std::string>());
  return fields;
}

// Run over both stores: "sqlite" (a file in a temporary folder) and "postgresql" (HCP_TEST_PG).
class RegistryApiTest : public EdgeFixture, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    centre_dir_ = TempDir("centre-registry");
    seal_ = GenerateSealKeyPair();
    issuer_ = GenerateSigningKey();
  }
  void TearDown() override {
    StopCentre();
    EdgeFixture::TearDown();
    std::filesystem::remove_all(centre_dir_);
  }

  // A centre with an API key for "网厅"; issuing tickets with `issuer_` unless told otherwise.
  void StartCentre(bool issues = true, bool seals = true, double link_burst = 30, int port = 0) {
    std::string error;
    auto store = central::OpenStore(database_.url(), centre_dir_.string(), error);
    ASSERT_TRUE(store) << error;
    api_key_ = central::NewApiKey();
    ASSERT_TRUE(store->AddApiKey("网厅", central::HashApiKey(api_key_)).value());
    central::CentralConfig config;
    config.listen_port = port;
    config.admin_token = "admin";
    config.registry.link_base = "https://pj.example.gov.cn";
    if (issues) config.issuer = issuer_;
    if (seals) config.seal = seal_;
    config.link_rate_burst = link_burst;
    config.link_rate_per_second = 0.01;
    centre_ = std::make_unique<central::CentralServer>(config, std::move(store), std::vector<VerifyKey>{});
    ASSERT_TRUE(centre_->Bind());
    centre_thread_ = std::thread([this] { centre_->Run(); });
  }
  void StopCentre() {
    if (centre_) centre_->Stop();
    if (centre_thread_.joinable()) centre_thread_.join();
    centre_.reset();
  }

  httplib::Client CentreClient() {
    httplib::Client c("127.0.0.1", centre_->port());
    c.set_read_timeout(10);
    return c;
  }
  httplib::Result Report(const Json& body, const std::string& key) {
    httplib::Headers headers;
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    return CentreClient().Post("/api/v1/cases", headers, Dump(body), "application/json");
  }
  httplib::Result Report(const Json& body) { return Report(body, api_key_); }

  central::testing::TestDatabase database_;  // PostgreSQL only; declared first, dropped last
  std::filesystem::path centre_dir_;
  SealKeyPair seal_;
  std::string api_key_;
  std::unique_ptr<central::CentralServer> centre_;
  std::thread centre_thread_;
};

TEST_P(RegistryApiTest, ReportedCaseGetsATicketAndAShortLink) {
  StartCentre();
  auto res = Report(CaseBody("SR-1"));
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(res->get_header_value("Idempotent-Replayed"), "");
  auto j = Json::parse(res->body);
  EXPECT_EQ(j["case"], "SR-1");
  EXPECT_EQ(j["assess"], 1);
  const std::string code = j["short_code"];
  EXPECT_EQ(code.size(), 11u);
  for (char c : code) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << code;
  EXPECT_EQ(j["short_url"], "https://pj.example.gov.cn/r/" + code);

  // The ticket verifies with the issuer's public key, carries the case and the sealed phone only.
  const std::string ticket = j["ticket"];
  TicketVerifier verifier;
  verifier.Trust(issuer_.pub);
  auto claims = verifier.Verify(ticket, NowUnix());
  ASSERT_TRUE(claims) << claims.errors()[0].message_en;
  EXPECT_EQ(claims->case_id, "SR-1");
  EXPECT_EQ(claims->window, "W-07");
  EXPECT_EQ(claims->channel, Channel::Qr);
  EXPECT_GT(claims->exp_unix, NowUnix() + 29 * 86400);  // the default rating period, 30 days
  const std::string payload = *Base64UrlDecode(ticket.substr(5, ticket.find('.', 5) - 5));
  EXPECT_EQ(payload.find(kPhone), std::string::npos) << payload;
  auto phone = OpenContact(claims->evaluator.contact, seal_);
  ASSERT_TRUE(phone);
  EXPECT_EQ(*phone, kPhone);

  // The registry holds what the default rating needs, and the phone only sealed.
  auto stored = centre_->store().FindCase("SR-1", 1);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->area, "361100");
  EXPECT_EQ((*stored)->unit, "11361100MB1234567X");
  EXPECT_EQ((*stored)->source, "网厅");
  EXPECT_EQ((*stored)->finished_at_unix, claims->finished_at_unix);
  EXPECT_EQ(central::ContactUnsealer(seal_).ContactFor(centre_->store(), "SR-1", 1, central::ContactPurpose::Reminder, "system")
                .value(),
            kPhone);
  StopCentre();
  if (GetParam() == "sqlite") {
    EXPECT_EQ(FolderBytes(centre_dir_).find(kPhone), std::string::npos) << "the phone is in the centre's files in clear";
  } else {
    EXPECT_EQ(database_.Value(std::string("SELECT count(*) FROM cases WHERE (cases.*)::text LIKE '%") + kPhone + "%'"), "0");
    EXPECT_EQ(database_.Value("SELECT count(*) FROM cases"), "1");
  }
}

TEST_P(RegistryApiTest, TheSameReportAgainGetsTheSameAnswerAnotherOneA409) {
  StartCentre();
  const Json body = CaseBody("SR-2");
  auto first = Report(body);
  ASSERT_TRUE(first && first->status == 201) << (first ? first->body : "no answer");

  // Same report, members in another order: the first answer, marked as a replay.
  const std::string reordered = R"({"evaluator": )" + Dump(body["evaluator"]) + R"(, "case": "SR-2", )" +
                                Dump(body).substr(1);
  auto again = CentreClient().Post("/api/v1/cases", {{"Authorization", "Bearer " + api_key_}}, reordered, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(again->body, first->body);

  Json other_item = body;
  other_item["item_name"] = "道路运输经营许可（变更）";
  auto conflict = Report(other_item);
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->status, 409);
  EXPECT_EQ(FirstErrorId(conflict), "registry.conflict");

  Json other_phone = body;
  other_phone["evaluator"]["phone"] = "13900139000";
  EXPECT_EQ(FirstErrorId(Report(other_phone)), "registry.conflict");
  Json no_phone = body;
  no_phone["evaluator"].erase("phone");
  EXPECT_EQ(FirstErrorId(Report(no_phone)), "registry.conflict");

  // The follow-up rating of the same case is a report of its own.
  Json follow_up = body;
  follow_up["assess"] = 2;
  auto second = Report(follow_up);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 201) << second->body;
  EXPECT_NE(Json::parse(second->body)["short_code"], Json::parse(first->body)["short_code"]);
}

TEST_P(RegistryApiTest, ConcurrentSameReportsGetOneRegistrationAndOneAnswer) {
  StartCentre();
  const Json body = CaseBody("SR-RACE");
  std::vector<std::thread> clients;
  std::mutex mu;
  std::vector<std::string> bodies;
  int fresh = 0, other = 0;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      auto res = Report(body);
      std::lock_guard lock(mu);
      if (!res || res->status != 201) {
        ++other;
        return;
      }
      bodies.push_back(res->body);
      if (res->get_header_value("Idempotent-Replayed").empty()) ++fresh;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(other, 0);
  EXPECT_EQ(fresh, 1);
  ASSERT_EQ(bodies.size(), 8u);
  for (const auto& b : bodies) EXPECT_EQ(b, bodies.front());
  const std::string metrics = CentreClient().Get("/metrics")->body;
  EXPECT_NE(metrics.find("hcp_cases_registered_total 1\n"), std::string::npos) << metrics;
}

TEST_P(RegistryApiTest, WithoutAValidApiKeyNothingIsStored) {
  StartCentre();
  for (const std::string& key : {std::string(""), std::string("hcpk_wrong"), api_key_ + "x"}) {
    auto res = Report(CaseBody("SR-3"), key);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << key;
    EXPECT_EQ(FirstErrorId(res), "auth.api_key_required");
    EXPECT_EQ(ErrorFields(res->body), std::set<std::string>{"Authorization"});
  }
  auto basic = CentreClient().Post("/api/v1/cases", {{"Authorization", "Basic " + api_key_}}, Dump(CaseBody("SR-3")),
                                   "application/json");
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  ASSERT_TRUE(centre_->store().RevokeApiKey("网厅").value());
  EXPECT_EQ(Report(CaseBody("SR-3"))->status, 401);
  auto stored = centre_->store().FindCase("SR-3", 1);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->has_value());
}

TEST_P(RegistryApiTest, AnInvalidReportListsEveryProblem) {
  StartCentre();
  Json body = CaseBody("SR-4");
  body.erase("item");                          // missing
  body["unit_name"] = 7;                       // wrong type
  body["channel"] = "fax";                     // unknown channel
  body["finished_at"] = "2026-11-20 10:00";    // not RFC 3339
  body["colour"] = "blue";                     // unknown field
  body["kid"] = "0123456789abcdef";            // the centre's business
  body["evaluator"]["name"] = "张三";          // a person's name in clear
  body["evaluator"]["phone"] = "call me";      // not a phone number
  auto res = Report(body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(ErrorFields(res->body), (std::set<std::string>{"item", "unit_name", "channel", "finished_at", "colour", "kid",
                                                           "evaluator.name", "evaluator.phone"}))
      << res->body;
  const Json answer = Json::parse(res->body);  // kept alive: a range-for over a temporary's member dangles
  for (const auto& e : answer["errors"]) {
    EXPECT_EQ(e["id"], "registry.invalid");
    EXPECT_FALSE(e["message"].get<std::string>().empty());
    EXPECT_FALSE(e["message_en"].get<std::string>().empty());
  }
  // Too large: refused before it is read, nothing stored.
  Json big = CaseBody("SR-4");
  big["item_name"] = std::string(70000, 'x');
  auto too_large = Report(big);
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(FirstErrorId(too_large), "request.too_large");
  EXPECT_EQ(too_large->get_header_value("Connection"), "close");  // answered before the body was read
  // Not JSON, not an object.
  auto broken = CentreClient().Post("/api/v1/cases", {{"Authorization", "Bearer " + api_key_}}, "{\"case\":", "application/json");
  EXPECT_EQ(broken->status, 400);
  EXPECT_EQ(FirstErrorId(broken), "request.invalid_json");
  EXPECT_EQ(FirstErrorId(Report(Json::array())), "request.not_object");
  // Nothing was stored, and a correct report afterwards is accepted.
  EXPECT_FALSE(centre_->store().FindCase("SR-4", 1).value().has_value());
  EXPECT_EQ(Report(CaseBody("SR-4"))->status, 201);
}

TEST_P(RegistryApiTest, WithoutIssuerKeyTheCaseIsRegisteredWithoutATicket) {
  StartCentre(/*issues=*/false);
  auto res = Report(CaseBody("SR-5"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  auto j = Json::parse(res->body);
  EXPECT_EQ(j["case"], "SR-5");
  EXPECT_FALSE(j.contains("ticket"));
  EXPECT_FALSE(j.contains("short_code"));
}

TEST_P(RegistryApiTest, WithoutSealKeyAPhoneIsRefusedNotStoredInClear) {
  StartCentre(/*issues=*/true, /*seals=*/false);
  auto res = Report(CaseBody("SR-6"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422);
  EXPECT_EQ(FirstErrorId(res), "registry.no_seal_key");
  Json no_phone = CaseBody("SR-6");
  no_phone["evaluator"].erase("phone");
  EXPECT_EQ(Report(no_phone)->status, 201);
}

TEST_P(RegistryApiTest, ShortLinkResolvesAtTheCentreAndThroughAnEdge) {
  // An edge pointed at the centre's port; the centre issues with the key the edge trusts (issuer_).
  const int port = FreePort();
  EdgeConfig config;
  config.central_url = "http://127.0.0.1:" + std::to_string(port);
  config.rate_per_second = 0;
  StartEdge(config);
  StartCentre(true, true, 30, port);
  auto res = Report(CaseBody("SR-7"));
  ASSERT_TRUE(res && res->status == 201);
  const auto j = Json::parse(res->body);
  const std::string code = j["short_code"], ticket = j["ticket"];

  auto at_centre = CentreClient().Get("/api/v1/links/" + code);
  ASSERT_TRUE(at_centre);
  EXPECT_EQ(at_centre->status, 200);
  EXPECT_EQ(Json::parse(at_centre->body), (Json{{"ticket", ticket}}));
  for (const std::string& unknown : {std::string("AAAAAAAAAAA"), std::string("no-such!code")}) {
    auto missing = CentreClient().Get("/api/v1/links/" + unknown);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_EQ(FirstErrorId(missing), "link.not_found");
  }

  auto at_edge = Client().Get("/api/v1/links/" + code);
  ASSERT_TRUE(at_edge);
  EXPECT_EQ(at_edge->status, 200) << at_edge->body;
  EXPECT_EQ(Json::parse(at_edge->body), (Json{{"ticket", ticket}}));
  auto missing = Client().Get("/api/v1/links/AAAAAAAAAAA");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(FirstErrorId(missing), "link.not_found");
  // The ticket the link gave opens the rating form at that edge.
  auto form = Client().Get("/api/v1/form?ticket=" + ticket);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200) << form->body;

  // Cached: with the centre gone, the edge still answers the code it resolved a moment ago, and
  // says "unavailable", not "unknown", for a code it has not seen.
  StopCentre();
  auto cached = Client().Get("/api/v1/links/" + code);
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 200);
  auto unreachable = Client().Get("/api/v1/links/BBBBBBBBBBB");
  ASSERT_TRUE(unreachable);
  EXPECT_EQ(unreachable->status, 503);
  EXPECT_EQ(FirstErrorId(unreachable), "server.unavailable");
}

TEST_P(RegistryApiTest, LinkLookupsAreRateLimited) {
  StartCentre(true, true, /*link_burst=*/3);
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    auto res = CentreClient().Get("/api/v1/links/AAAAAAAAAAA");
    ASSERT_TRUE(res);
    if (res->status == 429) {
      ++limited;
      EXPECT_EQ(FirstErrorId(res), "request.rate_limited");
      EXPECT_FALSE(res->get_header_value("Retry-After").empty());
    } else {
      EXPECT_EQ(res->status, 404);
    }
  }
  EXPECT_EQ(limited, 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, RegistryApiTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace hcp::edge::testing
