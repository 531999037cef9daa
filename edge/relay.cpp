#include "relay.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "hcp/json_text.h"
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

void Relay::Start() {
  for (int i = 0; i < std::max(1, config_.lanes); ++i) {
    lanes_.push_back(std::make_unique<Lane>());
    Lane* lane = lanes_.back().get();
    lane->worker = std::thread([this, lane] { Loop(*lane); });
  }
}

void Relay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  // Stop is called twice at shutdown, by the signal thread and by the server's destructor, and
  // the first join can take a while (a batch in flight). Two joins of one thread hang the second
  // for ever (found by SIGTERM during a drain), so joining is serialised: the second caller waits
  // for the first and then finds nothing left to join.
  std::lock_guard join_lock(join_mu_);
  for (auto& lane : lanes_)
    if (lane->worker.joinable()) lane->worker.join();
}

void Relay::Nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void Relay::Loop(Lane& lane) {
  std::mt19937 rng{std::random_device{}()};
  int attempt = 0;
  for (;;) {
    int wait_ms = 0;
    const int sent = SendBatch(lane);
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

int Relay::SendBatch(Lane& lane) {
  std::vector<RelayRow> rows;
  {
    std::lock_guard lock(cursor_mu_);
    rows = outbox_.NextBatch(config_.batch, cursor_);
    // Nothing after the cursor: all is acknowledged, or in flight in another lane. Rows
    // accepted later get higher seq numbers, so the cursor stays.
    if (rows.empty()) return 0;
    cursor_ = rows.back().seq;
  }
  // This batch's rows go back to be sent again, and only they: rows before it are acknowledged
  // or in flight in another lane, which rewinds for its own if it fails. Rewinding to the start
  // sent a batch still in flight a second time (relay test, under ASan: a whole batch counted
  // twice in the metrics; harmless at the centre, which stores a replay once).
  auto rewind = [&] {
    std::lock_guard lock(cursor_mu_);
    cursor_ = std::min(cursor_, rows.front().seq - 1);
  };
  auto failed = [&] {
    rewind();
    ++failures_;
    return -1;
  };
  // The body is spliced from the outbox's stored JSON texts rather than parsed and dumped again:
  // they were written by Dump, so they are already compact, valid JSON. Members in the same
  // (sorted) order Dump would give. Built in a buffer kept across batches: a fresh 0.5 MB
  // string per batch cost page faults (docs/performance.md, relay drain).
  std::string& body = lane.body;
  body.clear();
  // Strings through AppendJsonString: Dump(Json(v)) for each was 9 % of the edge's CPU in a drain.
  auto text = [&](const std::string& v) { AppendJsonString(body, v); };
  auto number = [&](int64_t v) { body += std::to_string(v); };
  body += "{\"edge\":";
  text(config_.edge_key.pub.kid);
  body += ",\"ratings\":[";
  for (size_t i = 0; i < rows.size(); ++i) {
    const RelayRow& r = rows[i];
    if (i > 0) body += ',';
    body += "{\"assess\":";
    number(r.assess);
    body += ",\"case\":";
    text(r.case_id);
    body += ",\"claims\":";
    body += r.claims_json;
    body += ",\"id\":";
    text(r.id);
    body += ",\"kid\":";
    text(r.kid);
    body += ",\"rating\":";
    body += r.rating_json;
    body += ",\"received_at_ms\":";
    number(r.received_at_ms);
    body += ",\"satisfaction\":";
    number(r.satisfaction);
    body += '}';
  }
  body += "]}";
  const std::string ts = std::to_string(NowMs() / 1000);
  const std::string auth = "HCP-Edge-Ed25519 kid=" + config_.edge_key.pub.kid + ",ts=" + ts +
                           ",sig=" + SignDetached(IngestSigningInput(ts, body), config_.edge_key);

  // One kept-alive connection while the centre answers: a drain is many batches in a row, and a
  // new connection per batch also lands each batch on another of the centre's worker threads.
  if (!lane.client) {
    lane.client = std::make_unique<httplib::Client>(config_.central_url);
    lane.client->set_connection_timeout(3);
    lane.client->set_read_timeout(30);
    lane.client->set_tcp_nodelay(true);
    lane.client->set_keep_alive(true);
  }
  auto res = lane.client->Post("/api/v1/ingest", {{"Authorization", auth}}, body, "application/json");
  if (!res || res->status != 200) {
    lane.client.reset();  // start afresh: the centre may have restarted or the route changed
    connected_ = false;
    return failed();
  }
  auto answer = Json::parse(res->body, nullptr, false);
  if (answer.is_discarded() || !answer.contains("results") || !answer["results"].is_array()) return failed();
  std::vector<RelayAck> acks;
  for (const auto& r : answer["results"]) {
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("status") || !r["status"].is_string())
      continue;
    auto text = [&](const char* key) { return r.contains(key) && r[key].is_string() ? r[key].get<std::string>() : ""; };
    acks.push_back(RelayAck{r["id"].get<std::string>(), r["status"].get<std::string>(), text("reason"), text("detail")});
  }
  // Only what the centre acknowledged is marked; anything it left out is sent again. The usual
  // answer, every row stored, in order, is marked as one range (a lookup by id per row was a
  // seventh of the edge's CPU in a drain: docs/performance.md).
  bool all_stored = acks.size() == rows.size();
  for (size_t i = 0; all_stored && i < rows.size(); ++i)
    all_stored = acks[i].id == rows[i].id && acks[i].status == "stored";
  const bool marked = all_stored ? outbox_.MarkRangeStored(rows.front().seq, rows.back().seq, NowMs())
                                 : outbox_.MarkRelayed(acks, NowMs());
  if (!marked) return failed();
  // Settled, but not counted at the centre: said once per answer, in /metrics and the edge's log.
  for (const RelayAck& a : acks) {
    if (a.status != "rejected") continue;
    ++(a.reason == "rating.already_rated" ? already_rated_ : invalid_);
    if (config_.on_rejected) config_.on_rejected(a);
  }
  // A row the centre left out would be skipped by the cursor: send this batch's rest again.
  if (acks.size() < rows.size()) rewind();
  connected_ = true;
  relayed_ += static_cast<int64_t>(acks.size());
  return static_cast<int>(acks.size());
}

}  // namespace hcp::edge
