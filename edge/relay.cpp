#include "relay.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "hcp/wire.h"

namespace hcp::edge {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string IngestSigningInput(const std::string& timestamp, const std::string& body) {
  return "hcp-ingest-v1\n" + timestamp + "\n" + body;
}

Relay::Relay(Outbox& outbox, RelayConfig config) : outbox_(outbox), config_(std::move(config)) {}

Relay::~Relay() { Stop(); }

void Relay::Start() { worker_ = std::thread([this] { Loop(); }); }

void Relay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Relay::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void Relay::Loop() {
  std::mt19937 rng{std::random_device{}()};
  int attempt = 0;
  for (;;) {
    int wait_ms = 0;
    const int sent = SendBatch();
    if (sent < 0) {
      // Exponential backoff with full jitter: many edges coming back at once do not stampede.
      ++attempt;
      const int ceiling = std::min(config_.backoff_max_ms, config_.backoff_min_ms << std::min(attempt, 16));
      wait_ms = std::uniform_int_distribution<int>(config_.backoff_min_ms / 2, std::max(config_.backoff_min_ms, ceiling))(rng);
    } else {
      attempt = 0;
      if (static_cast<size_t>(sent) < config_.batch) wait_ms = config_.idle_poll_ms;  // drained
    }
    std::unique_lock lock(mu_);
    if (wait_ms > 0) wake_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_ || (nudged_ && sent >= 0); });
    nudged_ = false;
    if (stopping_) return;
  }
}

int Relay::SendBatch() {
  const std::vector<RelayRow> rows = outbox_.NextBatch(config_.batch);
  if (rows.empty()) return 0;
  Json ratings = Json::array();
  for (const auto& r : rows) {
    ratings.push_back({{"id", r.id},
                       {"case", r.case_id},
                       {"assess", r.assess},
                       {"kid", r.kid},
                       {"claims", Json::parse(r.claims_json, nullptr, false)},
                       {"rating", Json::parse(r.rating_json, nullptr, false)},
                       {"satisfaction", r.satisfaction},
                       {"received_at_ms", r.received_at_ms}});
  }
  const std::string body = Dump(Json{{"edge", config_.edge_key.pub.kid}, {"ratings", std::move(ratings)}});
  const std::string ts = std::to_string(NowMs() / 1000);
  const std::string auth = "HCP-Edge-Ed25519 kid=" + config_.edge_key.pub.kid + ",ts=" + ts +
                           ",sig=" + SignDetached(IngestSigningInput(ts, body), config_.edge_key);

  httplib::Client client(config_.central_url);
  client.set_connection_timeout(3);
  client.set_read_timeout(30);
  client.set_tcp_nodelay(true);
  auto res = client.Post("/api/v1/ingest", {{"Authorization", auth}}, body, "application/json");
  if (!res || res->status != 200) {
    connected_ = false;
    ++failures_;
    return -1;
  }
  auto answer = Json::parse(res->body, nullptr, false);
  if (answer.is_discarded() || !answer.contains("results") || !answer["results"].is_array()) {
    ++failures_;
    return -1;
  }
  std::vector<RelayAck> acks;
  for (const auto& r : answer["results"]) {
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("status") || !r["status"].is_string())
      continue;
    acks.push_back(RelayAck{r["id"].get<std::string>(), r["status"].get<std::string>(),
                            r.contains("reason") && r["reason"].is_string() ? r["reason"].get<std::string>() : ""});
  }
  // Only what the centre acknowledged is marked; anything it left out is sent again.
  if (!outbox_.MarkRelayed(acks, NowMs())) {
    ++failures_;
    return -1;
  }
  connected_ = true;
  relayed_ += static_cast<int64_t>(acks.size());
  return static_cast<int>(acks.size());
}

}  // namespace hcp::edge
