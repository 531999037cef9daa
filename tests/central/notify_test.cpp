// The centre's outboxes through real parts (docs/notifications.md): a real centre on a loopback
// port over both stores (SQLite file, PostgreSQL via HCP_TEST_PG), a bad rating relayed by a signed
// ingest, the case driven through the closed loop, and a real HTTP server on another loopback port
// playing the SMS platform and the unit's own system. The receiver fails first (500s), then is
// down, then the centre restarts, then the receiver takes everything: each SMS and each webhook
// arrives exactly once (by Idempotency-Key), every webhook's signature checks, nothing is lost.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "../edge/edge_test_support.h"
#include "central_server.h"
#include "closed_loop.h"
#include "sms_gateway.h"
#include "test_database.h"
#include "ticket/ticket.h"
#include "webhook_signature.h"

namespace hcp::edge::testing {
namespace {

constexpr const char* kUnit = "11330100MB0000000X";  // the unit of Claims()
constexpr const char* kPhone = "13800138000";
constexpr const char* kSecret = "unit-webhook-secret-7";
constexpr const char* kSmsToken = "sms-platform-token";

int64_t NoonMs(Date d) { return (d.DayNumber() * 86400LL + 4 * 3600) * 1000; }  // 12:00 China time

// The documented test vector (docs/notifications.md): any HMAC-SHA256 gives the same.
TEST(WebhookSignature, MatchesTheDocumentedTestVector) {
  const std::string body = R"({"case":"330100-2026-000123","id":"hook:330100-2026-000123:1:opened","type":"case.opened"})";
  EXPECT_EQ(central::WebhookSignature("hcp-webhook-secret-for-unit-330100", "1790000000", body),
            "v1=d076c7626b0d7593991f546706cc7f79cd74e5e3e99f5105e55950c8f0828e20");
  EXPECT_TRUE(central::VerifyWebhookSignature("hcp-webhook-secret-for-unit-330100", "1790000000", body,
                                              "v1=d076c7626b0d7593991f546706cc7f79cd74e5e3e99f5105e55950c8f0828e20"));
  EXPECT_FALSE(central::VerifyWebhookSignature("hcp-webhook-secret-for-unit-330100", "1790000001", body,
                                               "v1=d076c7626b0d7593991f546706cc7f79cd74e5e3e99f5105e55950c8f0828e20"));
  EXPECT_FALSE(central::VerifyWebhookSignature("another secret", "1790000000", body,
                                               "v1=d076c7626b0d7593991f546706cc7f79cd74e5e3e99f5105e55950c8f0828e20"));
}

TEST(CitizenNotice, TemplatesWithAnUnknownPlaceholderAreRefused) {
  central::SmsTemplates t;
  EXPECT_TRUE(central::ValidateSmsTemplates(t).empty());
  t.rectified = "整改结果：{result}，手机{phone}";
  auto errors = central::ValidateSmsTemplates(t);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "config.invalid");
  EXPECT_EQ(errors[0].field, "sms.templates.rectified");
  EXPECT_EQ(central::MaskPhone(kPhone), "138****8000");
}

// The SMS platform and the unit's system in one loopback server: what it saw, and how it answers.
class Receiver {
 public:
  enum Mode { Fail500, Accept, Refuse400 };
  struct Seen {
    std::string path, key, body, token, signature, timestamp, event;
    int status = 0;
  };
  void Start(int port = 0) {
    server_ = std::make_unique<httplib::Server>();
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      Seen s{req.path, req.get_header_value("Idempotency-Key"), req.body, req.get_header_value("Authorization"),
             req.get_header_value("X-HCP-Signature"), req.get_header_value("X-HCP-Timestamp"),
             req.get_header_value("X-HCP-Event"), 500};
      const Mode mode = req.path == "/sms" ? sms_mode_ : hook_mode_;
      if (mode == Accept) {
        // Idempotent as an integrator's receiver should be: a key seen before is answered 200
        // again without being taken twice (counted, so the test can say it never happened).
        ++taken_[s.key];
        s.status = 200;
      } else {
        s.status = mode == Refuse400 ? 400 : 500;
      }
      res.status = s.status;
      res.set_content(s.status == 200 ? R"({"ok":true})" : R"({"error":"not now"})", "application/json");
      seen_.push_back(std::move(s));
    };
    server_->Post("/sms", handle);
    server_->Post("/hook", handle);
    port_ = port ? (server_->bind_to_port("127.0.0.1", port) ? port : -1) : server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0) << "the receiver cannot listen";
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void Stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }
  ~Receiver() { Stop(); }
  void SetModes(Mode sms, Mode hook) {
    std::lock_guard lock(mu_);
    sms_mode_ = sms;
    hook_mode_ = hook;
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::map<std::string, int> taken() {
    std::lock_guard lock(mu_);
    return taken_;
  }
  // Attempts per key so far.
  std::map<std::string, int> attempts() {
    std::lock_guard lock(mu_);
    std::map<std::string, int> out;
    for (const auto& s : seen_) ++out[s.key];
    return out;
  }
  int port() const { return port_; }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  Mode sms_mode_ = Fail500, hook_mode_ = Fail500;
  std::vector<Seen> seen_;
  std::map<std::string, int> taken_;
};

class NotifyTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") { ASSERT_NO_FATAL_FAILURE(database_.Create()); }
    dir_ = TempDir("centre-notify");
    edge_key_ = GenerateSigningKey();
    seal_ = GenerateSealKeyPair();
    now_ms_ = NoonMs(Date(2026, 9, 29));
    ASSERT_NO_FATAL_FAILURE(receiver_.Start());
    // Milliseconds, so the test runs in seconds; production waits seconds to minutes.
    central::OutboxPolicy fast;
    fast.max_attempts = 1000;
    fast.backoff_min_ms = 5;
    fast.backoff_max_ms = 40;
    fast.poll_ms = 10;
    fast.timeout_ms = 2000;
    fast.lease_ms = 60000;
    notify_.sms_gateway = "http";
    notify_.sms_url = receiver_.Url("/sms");
    notify_.sms_token = kSmsToken;
    notify_.sms_retry = fast;
    notify_.webhook_retry = fast;
  }
  void TearDown() override {
    Stop();
    receiver_.Stop();
    std::filesystem::remove_all(dir_);
  }
  void Start(bool first = true) {
    std::string error;
    auto store = central::OpenStore(database_.url(), dir_.string(), error);
    ASSERT_TRUE(store) << error;
    if (first) {  // the unit, with its own system's webhook (hcp admin unit add --webhook)
      ASSERT_TRUE(store->AddUnit(central::UnitRecord{kUnit, "杭州市市场监督管理局", 0}).value());
      ASSERT_TRUE(store->SetUnitWebhook(kUnit, central::UnitWebhook{receiver_.Url("/hook"), kSecret}).value());
    }
    central::CentralConfig config;
    config.listen_port = 0;
    config.admin_token = "admin";
    config.seal = seal_;
    config.notify = notify_;
    // The centre's clock: the test's day, moving with real time (retries wait real milliseconds).
    config.now_ms = [this] {
      return now_ms_.load() + std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
    };
    centre_ = std::make_unique<central::CentralServer>(config, std::move(store), std::vector<VerifyKey>{edge_key_.pub});
    ASSERT_TRUE(centre_->Bind());
    thread_ = std::thread([this] { centre_->Run(); });
    calendar_ = WorkingCalendar::Embedded().value();
    loop_ = std::make_unique<central::ClosedLoop>(centre_->store(), calendar_, CaseLimits{});
  }
  void Stop() {
    loop_.reset();
    if (centre_) centre_->Stop();
    if (thread_.joinable()) thread_.join();
    centre_.reset();
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", centre_->port());
    c.set_read_timeout(10);
    return c;
  }
  // A bad rating as an edge relays it: the evaluator's phone sealed to the centre in the claims.
  void RelayBadRating(const std::string& case_id) {
    Json claims = Claims(case_id);
    claims["v"] = 1;
    claims["kid"] = "0123456789abcdef";
    claims["evaluator"]["contact"] = SealContact(kPhone, seal_.pub).value();
    const Json rating = {{"satisfaction", 1}, {"reasons", Json::array({"203"})}, {"comment", "等了很久，电话13800138000"}};
    const std::string body = Dump(Json{{"ratings", Json::array({Json{{"id", "e-" + case_id},
                                                                      {"claims", claims},
                                                                      {"rating", rating},
                                                                      {"satisfaction", 1},
                                                                      {"received_at_ms", NowUnix() * 1000}}})}});
    const std::string ts = std::to_string(NowUnix());
    const std::string auth = "HCP-Edge-Ed25519 kid=" + edge_key_.pub.kid + ",ts=" + ts +
                             ",sig=" + SignDetached("hcp-ingest-v1\n" + ts + "\n" + body, edge_key_);
    auto res = Client().Post("/api/v1/ingest", httplib::Headers{{"Authorization", auth}}, body, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  // The unit's handler takes `action` on `day` (the closed loop's own Act, as the API calls it).
  void Act(const std::string& case_id, Date day, const std::string& action, const CaseFields& fields) {
    now_ms_ = NoonMs(day);
    auto done = loop_->Act(central::Actor{"wang", "handler", kUnit}, case_id, 1, action, fields, day, now_ms_);
    ASSERT_TRUE(done) << done.errors()[0].id << " " << done.errors()[0].field;
  }
  bool WaitFor(const std::function<bool()>& done, int ms = 10000) {
    for (int waited = 0; waited < ms; waited += 10) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }
  std::string Metrics() {
    auto res = Client().Get("/metrics");
    return res ? res->body : "";
  }

  central::testing::TestDatabase database_;
  std::filesystem::path dir_;
  SigningKey edge_key_;
  SealKeyPair seal_;
  central::NotifySettings notify_;
  std::atomic<int64_t> now_ms_{0};
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  Receiver receiver_;
  WorkingCalendar calendar_;
  std::unique_ptr<central::CentralServer> centre_;
  std::unique_ptr<central::ClosedLoop> loop_;
  std::thread thread_;
};

TEST_P(NotifyTest, EverySmsAndWebhookArrivesOnceThroughFailuresDowntimeAndARestart) {
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_NO_FATAL_FAILURE(RelayBadRating("N-1"));  // → webhook case.opened (due 2026-10-08, across 国庆)
  ASSERT_NO_FATAL_FAILURE(RelayBadRating("N-1"));  // the batch replayed: nothing twice
  // The return visit was due 2026-10-08: the daily job of the 9th escalates it (→ case.escalated).
  now_ms_ = NoonMs(Date(2026, 10, 9));
  ASSERT_TRUE(centre_->RunDaily(Date(2026, 10, 9)));
  ASSERT_TRUE(centre_->RunDaily(Date(2026, 10, 9)));  // idempotent: no second escalation, no second webhook
  ASSERT_NO_FATAL_FAILURE(Act("N-1", Date(2026, 10, 9), "return_visit", {{"method", "phone"}, {"outcome", "valid"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-1", Date(2026, 10, 12), "extend", {{"reason", "需协调窗口改造"}, {"new_due", "2026-11-06"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-1", Date(2026, 10, 30), "rectify", {{"result", "已增设两个窗口"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-1", Date(2026, 11, 2), "confirm", {{"method", "sms"}}));

  const std::set<std::string> expected = {"hook:N-1:1:opened", "hook:N-1:1:escalated:2026-10-08", "hook:N-1:1:closed",
                                          "sms:N-1:1:2", "sms:N-1:1:3", "sms:N-1:1:4"};
  // 1. The receiver answers 500: every message is tried again and again, with backoff.
  ASSERT_TRUE(WaitFor([&] {
    auto a = receiver_.attempts();
    for (const auto& key : expected)
      if (a[key] < 3) return false;
    return true;
  })) << "each message tried at least 3 times against 500s";
  EXPECT_TRUE(receiver_.taken().empty());
  // 2. The receiver is down (connection refused): the attempts go on, nothing is marked sent.
  const int port = receiver_.port();
  receiver_.Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // 3. The centre restarts: the messages are in its store, not in its memory.
  Stop();
  {
    std::string error;
    auto rows = central::OpenStore(database_.url(), dir_.string(), error);
    ASSERT_NE(rows, nullptr) << error;
    auto outbox = rows->OutboxOfCase("N-1", 1);
    ASSERT_TRUE(outbox);
    std::set<std::string> pending;
    for (const auto& m : *outbox) {
      EXPECT_EQ(m.state, "pending") << m.id;
      EXPECT_GE(m.attempts, 3) << m.id;
      EXPECT_EQ(m.body.find(kPhone), std::string::npos) << "the phone is never stored in the outbox: " << m.body;
      EXPECT_EQ(m.body.find("等了很久"), std::string::npos) << "no comment text to the unit: " << m.body;
      pending.insert(m.id);
    }
    EXPECT_EQ(pending, expected);
  }
  receiver_.SetModes(Receiver::Accept, Receiver::Accept);
  ASSERT_NO_FATAL_FAILURE(receiver_.Start(port));
  ASSERT_NO_FATAL_FAILURE(Start(false));
  ASSERT_TRUE(WaitFor([&] { return receiver_.taken().size() == expected.size(); }))
      << "delivered: " << receiver_.taken().size();
  // Give a wrongly repeated delivery the time to show itself.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::set<std::string> keys;
  for (const auto& [key, times] : receiver_.taken()) {
    EXPECT_EQ(times, 1) << key << " taken more than once";
    keys.insert(key);
  }
  EXPECT_EQ(keys, expected);

  // What arrived: SMS with the bearer token and the phone opened at send time; webhooks signed.
  for (const auto& s : receiver_.seen()) {
    if (s.path == "/sms") {
      EXPECT_EQ(s.token, std::string("Bearer ") + kSmsToken);
      auto j = Json::parse(s.body);
      EXPECT_EQ(j["phone"], kPhone);
      EXPECT_EQ(j["id"], s.key);
      if (s.key == "sms:N-1:1:2") {
        EXPECT_NE(j["text"].get<std::string>().find("2026-11-06"), std::string::npos) << j["text"];
        EXPECT_NE(j["text"].get<std::string>().find("需协调窗口改造"), std::string::npos) << j["text"];
      }
      if (s.key == "sms:N-1:1:3") {
        EXPECT_NE(j["text"].get<std::string>().find("已增设两个窗口"), std::string::npos);
      }
      if (s.key == "sms:N-1:1:4") {
        EXPECT_NE(j["text"].get<std::string>().find("已办结"), std::string::npos);
      }
    } else {
      EXPECT_TRUE(central::VerifyWebhookSignature(kSecret, s.timestamp, s.body, s.signature)) << s.key;
      EXPECT_EQ(s.body.find(kPhone), std::string::npos);
      auto j = Json::parse(s.body);
      EXPECT_EQ(j["id"], s.key);
      EXPECT_EQ(j["type"], s.event);
      if (s.key == "hook:N-1:1:opened") {
        EXPECT_EQ(j["deadline"]["due"], "2026-10-08");
        EXPECT_EQ(j["deadline"]["kind"], "return_visit");
        EXPECT_EQ(j["level"], "very_dissatisfied");
        EXPECT_EQ(j["reasons"], Json::array({"203"}));
        EXPECT_EQ(j["unit"], kUnit);
      }
      if (s.key == "hook:N-1:1:closed") {
        EXPECT_EQ(j["resolution"], "rectified");
      }
    }
  }
  // Every opening of the phone for an SMS left its row (purpose "notice").
  auto trail = centre_->store().ContactAccesses("N-1", 1);
  ASSERT_TRUE(trail);
  int notices = 0;
  for (const auto& a : *trail) notices += a.purpose == "notice";
  EXPECT_GE(notices, 3 * 3 + 3) << "at least 3 failed tries and 1 delivery for each of the 3 SMS";

  ASSERT_TRUE(WaitFor([&] {
    const std::string m = Metrics();
    return m.find("hcp_sms_outbox_pending 0\n") != std::string::npos &&
           m.find("hcp_webhook_outbox_pending 0\n") != std::string::npos;
  })) << Metrics();
  const std::string m = Metrics();
  EXPECT_NE(m.find("hcp_sms_outbox_delivered_total 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("hcp_webhook_outbox_delivered_total 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("hcp_sms_outbox_failed 0\n"), std::string::npos) << m;
}

TEST_P(NotifyTest, RetriesStopAtTheCapAndARefusalIsFinalBothCounted) {
  notify_.sms_retry.max_attempts = 3;
  receiver_.SetModes(Receiver::Fail500, Receiver::Refuse400);
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_NO_FATAL_FAILURE(RelayBadRating("N-2"));
  ASSERT_NO_FATAL_FAILURE(Act("N-2", Date(2026, 9, 30), "return_visit", {{"method", "phone"}, {"outcome", "valid"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-2", Date(2026, 10, 9), "rectify", {{"result", "已整改"}}));
  ASSERT_TRUE(WaitFor([&] {
    const std::string m = Metrics();
    return m.find("hcp_sms_outbox_failed 1\n") != std::string::npos &&
           m.find("hcp_webhook_outbox_failed 1\n") != std::string::npos;
  })) << Metrics();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // nothing is tried after giving up
  auto a = receiver_.attempts();
  EXPECT_EQ(a["sms:N-2:1:2"], 3) << "max_attempts 3";
  EXPECT_EQ(a["hook:N-2:1:opened"], 1) << "a 400 is not tried again";
  auto outbox = centre_->store().OutboxOfCase("N-2", 1);
  ASSERT_TRUE(outbox);
  ASSERT_EQ(outbox->size(), 2u);
  for (const auto& msg : *outbox) {
    EXPECT_EQ(msg.state, "failed") << msg.id;
    EXPECT_NE(msg.last_error.find(msg.channel == "sms" ? "HTTP 500" : "HTTP 400"), std::string::npos) << msg.last_error;
  }
  const std::string m = Metrics();
  EXPECT_NE(m.find("hcp_sms_outbox_pending 0\n"), std::string::npos) << m;
  EXPECT_NE(m.find("hcp_sms_outbox_attempts_failed_total 3\n"), std::string::npos) << m;
}

// The operator's resend (hcp central resend): a failed message is sent again once the receiver
// is back, with its attempts counted afresh; a sent or pending one is left alone.
TEST_P(NotifyTest, AFailedMessageRequeuedByTheOperatorIsDeliveredOnce) {
  notify_.sms_retry.max_attempts = 2;
  receiver_.SetModes(Receiver::Fail500, Receiver::Refuse400);
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_NO_FATAL_FAILURE(RelayBadRating("N-4"));
  ASSERT_NO_FATAL_FAILURE(Act("N-4", Date(2026, 9, 30), "return_visit", {{"method", "phone"}, {"outcome", "valid"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-4", Date(2026, 10, 9), "rectify", {{"result", "已整改"}}));
  ASSERT_TRUE(WaitFor([&] {
    const std::string m = Metrics();
    return m.find("hcp_sms_outbox_failed 1\n") != std::string::npos &&
           m.find("hcp_webhook_outbox_failed 1\n") != std::string::npos;
  })) << Metrics();
  receiver_.SetModes(Receiver::Accept, Receiver::Accept);
  auto& store = centre_->store();
  EXPECT_EQ(store.RequeueFailedOutbox("sms", "no-such-id", now_ms_).value(), 0);
  EXPECT_EQ(store.RequeueFailedOutbox("sms", "", now_ms_).value(), 1) << "only the failed SMS";
  ASSERT_TRUE(WaitFor([&] { return Metrics().find("hcp_sms_outbox_delivered_total 1\n") != std::string::npos; })) << Metrics();
  EXPECT_EQ(store.RequeueFailedOutbox("sms", "", now_ms_).value(), 0) << "a sent message is not sent again";
  std::string hook_id;
  const auto failed = store.OutboxOfCase("N-4", 1);  // kept alive: the loop reads into it
  ASSERT_TRUE(failed);
  for (const auto& msg : *failed)
    if (msg.channel == "webhook") hook_id = msg.id;
  ASSERT_FALSE(hook_id.empty());
  EXPECT_EQ(store.RequeueFailedOutbox("webhook", hook_id, now_ms_).value(), 1);
  ASSERT_TRUE(WaitFor([&] { return Metrics().find("hcp_webhook_outbox_delivered_total 1\n") != std::string::npos; })) << Metrics();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto a = receiver_.attempts();
  EXPECT_EQ(a["sms:N-4:1:2"], 3) << "2 failed attempts, then 1 after the resend";
  EXPECT_EQ(a["hook:N-4:1:opened"], 2) << "refused once, delivered once after the resend";
  const auto sent = store.OutboxOfCase("N-4", 1);
  ASSERT_TRUE(sent);
  for (const auto& msg : *sent) {
    EXPECT_EQ(msg.state, "sent") << msg.id;
    EXPECT_EQ(msg.attempts, 1) << msg.id << ": attempts counted afresh";
  }
}

TEST_P(NotifyTest, TheFileGatewayWritesTheMaskedNumberNeverTheClearOne) {
  notify_.sms_gateway = "file";
  notify_.sms_file = (dir_ / "notifications.jsonl").string();
  ASSERT_NO_FATAL_FAILURE(Start());
  ASSERT_TRUE(centre_->store().SetUnitWebhook(kUnit, central::UnitWebhook{}).value());  // no webhook: none queued
  ASSERT_NO_FATAL_FAILURE(RelayBadRating("N-3"));
  ASSERT_NO_FATAL_FAILURE(Act("N-3", Date(2026, 9, 30), "return_visit", {{"method", "phone"}, {"outcome", "valid"}}));
  ASSERT_NO_FATAL_FAILURE(Act("N-3", Date(2026, 10, 9), "rectify", {{"result", "已整改"}}));
  auto read = [&] {
    std::ifstream in(notify_.sms_file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  ASSERT_TRUE(WaitFor([&] { return !read().empty(); }));
  const std::string lines = read();
  EXPECT_EQ(lines.find(kPhone), std::string::npos) << lines;
  auto j = Json::parse(lines.substr(0, lines.find('\n')));
  EXPECT_EQ(j["phone"], "138****8000");
  EXPECT_EQ(j["id"], "sms:N-3:1:2");
  EXPECT_EQ(j["kind"], "rectified");
  EXPECT_NE(j["text"].get<std::string>().find("已整改"), std::string::npos);
  auto outbox = centre_->store().OutboxOfCase("N-3", 1);
  ASSERT_TRUE(outbox);
  ASSERT_EQ(outbox->size(), 1u) << "the unit has no webhook: only the SMS";
  EXPECT_TRUE(receiver_.seen().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, NotifyTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hcp::edge::testing
